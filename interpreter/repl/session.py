"""The REPL's state and its commands.

A `Session` holds the deal loaded, the facts (a fact file, then what was set or
unset at the prompt, in order) and the as-of date. `Session.handle` answers one
entry — an expression in the language, or a `:command` — with a `Reply`. Every
change is built whole before it replaces the state, so a mistake leaves the session
as it was.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, fields
from pathlib import Path

import networkx as nx

from dsl import ast
from dsl.errors import CovenantError, FactProblem, Findings, NameProblem, UsageProblem, render
from dsl.parser import parse_expression
from interpreter import graph_export, types as T
from interpreter.builtins import BUILTINS
from interpreter.deal import load_deal
from interpreter.evaluate import Derivation, Evaluator
from interpreter.facts import FactBase, load_facts
from interpreter.graph import inputs_deciding, node_id
from interpreter.model import Model, check_expression, compile_deal
from interpreter.output import explain_lines, format_value
from interpreter.repl import sections
from interpreter.repl.facts_io import INPUT, fact_entries, facts_yaml, read_value, write_atomically
from interpreter.scope import BUILTIN_VALUES, suggest
from interpreter.values import Unknown


@dataclass
class Reply:
    """The answer to one entry: text to show, whether it succeeded, whether to leave."""

    text: str = ""
    ok: bool = True
    quit: bool = False


@dataclass(frozen=True)
class Command:
    """A `:command`: its usage, what it does, and what its argument is (for completion
    and highlighting): path, section, name, input, command, expression or none."""

    name: str
    usage: str
    summary: str
    argument: str = "none"
    details: str = ""
    missing: str = ""  # what to use instead while it is not available; empty when it is


COMMANDS: dict[str, Command] = {c.name: c for c in (
    Command("load", ":load PATH...", "replace the deal with the .cov files or folders given", "path",
            "The facts set so far are kept where the new deal declares them; the others are dropped, "
            "and the reply says which."),
    Command("reload", ":reload", "re-read the deal's files and the fact file; keep the facts set here", "none",
            "If a file no longer reads or a fact no longer fits, nothing changes and the problem is shown."),
    Command("facts", ":facts [FILE]", "load a YAML fact file; without FILE, list the facts in effect", "path",
            "Facts set with :set or :unset still apply on top of the new file."),
    Command("set", ":set NAME = VALUE", "give a fact, read as a fact file reads it", "input",
            "The value is checked against the input's declared type: dates 2006-12-28, money 12500000.00, "
            "percentages 10%, `none` for an event that did not happen, lists [a, b], records {field: value}. "
            "Qualify NAME as agreement.name to set it in one agreement only."),
    Command("unset", ":unset NAME", "leave a fact out (it becomes unknown)", "input"),
    Command("asof", ":asof DATE", "evaluate as of another date (YYYY-MM-DD, or `today`)", "none"),
    Command("explain", ":explain NAME", "how a term's value is derived, step by step", "name"),
    Command("needs", ":needs NAME", "every fact that can decide a term: given, not given, needed now", "name"),
    Command("graph", ":graph NAME [dot|mermaid|json]", "the clause graph around a term (Mermaid by default)", "name"),
    Command("show", ":show SECTION", "a section's rules beside the agreement's own text, e.g. :show 2(b)", "section",
            "Without SECTION, lists the sections. The passage of the source text is found by a heuristic "
            "(the section's number, then each subdivision such as (b), where it begins a line or follows "
            "a space) and may be missing, cut short or too long."),
    Command("save", ":save FILE", "write the facts in effect to a YAML fact file", "path",
            "The file is replaced whole (written beside it, then renamed); loading it gives the same facts back."),
    Command("help", ":help [COMMAND]", "list the commands, or explain one", "command"),
    Command("quit", ":quit", "leave (Ctrl-D also leaves; Ctrl-C cancels the line being typed)", "none"),
    Command("ask", ":ask KIND key=value...", "is a proposed action permitted?", "expression",
            missing="`covenant ask` answers it from the command line"),
    Command("diff", ":diff OLD NEW", "what changed between two agreements or versions", "none",
            missing="`covenant diff` compares them from the command line"),
    Command("reading", ":reading NAME", "evaluate under a named alternative reading", "none",
            missing="`covenant eval --reading NAME` does it from the command line"),
)}


@dataclass(frozen=True)
class _Setting:
    """A fact set (or unset, when `offset` is None) at the prompt: the entry as typed,
    kept so that it can be read again against a reloaded deal."""

    key: str
    entry: str
    offset: int | None


class Session:
    """One REPL session: the deal, the facts, the as-of date."""

    def __init__(self, as_of: dt.date):
        self.paths: list[str] = []
        self.model: Model | None = None
        self.fact_file: str | None = None
        self.file_facts = FactBase()
        self.settings: dict[str, _Setting] = {}
        self.facts = FactBase()
        self.as_of = as_of

    # -- starting -------------------------------------------------------------
    def start(self, paths: list[str], fact_file: str | None) -> Reply:
        """Load the deal and the facts named on the command line; report the state."""
        replies = []
        if paths:
            replies.append(self._run(lambda: self._load(paths)))
        if fact_file and self.model is not None:
            replies.append(self._run(lambda: self._load_facts(fact_file)))
        elif fact_file:
            self.fact_file = fact_file  # read when the deal loads (`:reload`)
        failed = [r for r in replies if not r.ok]
        return Reply("\n".join([*(r.text for r in failed), self.status()]), ok=not failed)

    def status(self) -> str:
        """What is loaded: the agreements, the facts, the as-of date."""
        if self.model is None:
            return "no deal loaded (`:load PATH`)"
        lines = [f"{scope.id}: {scope.agreement.title}"
                 + (f", dated {scope.agreement.dated}" if scope.agreement.dated else "")
                 for scope in self.model.scopes.values()]
        given = len(fact_entries(self.model, self.facts.values))
        source = f"from {self.fact_file}" if self.fact_file else "no fact file"
        here = f", {len(self.settings)} set or unset here" if self.settings else ""
        lines.append(f"facts: {given} given ({source}{here})")
        lines.append(f"as of {self.as_of}")
        return "\n".join(lines)

    # -- answering ---------------------------------------------------------------
    def handle(self, entry: str) -> Reply:
        """Answer one entry: an expression, a `:command`, or nothing (blank or comment)."""
        text = entry.strip()
        if not text or text.startswith("#"):
            return Reply()
        if text.startswith(":"):
            return self._run(lambda: self._command(entry), entry)
        return self._run(lambda: self._answer(entry), entry)

    def _run(self, action, entry: str = "") -> Reply:
        """Run an action; a Covenant error becomes a failed reply, rendered."""
        try:
            result = action()
        except (Findings, CovenantError) as problem:
            return Reply(self._rendered(problem, entry), ok=False)
        return result if isinstance(result, Reply) else Reply(result)

    def _rendered(self, problem: Findings | CovenantError, entry: str = "") -> str:
        if isinstance(problem, CovenantError):
            return render(problem, self._sources(entry))
        lines = [render(e, self._sources(entry)) for e in (*problem.errors, *problem.warnings)]
        lines.append(f"{len(problem.errors)} error{'s' if len(problem.errors) != 1 else ''}")
        return "\n".join(lines)

    def _sources(self, entry: str) -> dict[str, str]:
        known = dict(self.model.deal.sources) if self.model else {}
        known[INPUT] = entry
        return known

    def _deal(self) -> Model:
        if self.model is None:
            raise UsageProblem("no deal loaded", hint="load one with `:load PATH` (a .cov file or a folder)")
        return self.model

    def _answer(self, entry: str) -> str:
        model = self._deal()
        expr = parse_expression(entry, INPUT)
        agreement = reading_agreement(model, expr)
        typ = check_expression(model, agreement, expr)
        derivation = Evaluator(model, self.facts, self.as_of).evaluate_expression(agreement, expr, typ)
        return self._answer_line(derivation, agreement)

    def _answer_line(self, d: Derivation, agreement: str) -> str:
        grounds = [d.citation] if d.citation else []
        used = [_short(name, agreement) for name, _, _ in d.inputs]
        if used:
            grounds.append(("facts " if len(used) > 1 else "fact ") + ", ".join(used))
        line = f"{format_value(d.value, d.type)}  [{'; '.join(grounds) or 'no citation: uses no term or fact'}]"
        if isinstance(d.value, Unknown) and d.needs:
            line += "  needs " + ", ".join(self._described_input(n, agreement) for n in d.needs)
        return line

    def _described_input(self, name: str, agreement: str) -> str:
        scopes = self._deal().scopes
        owner = scopes[agreement] if name in scopes[agreement].inputs else \
            next((s for s in scopes.values() if name in s.inputs), None)
        return f"{name} ({owner.declared[name]})" if owner else name

    # -- commands ---------------------------------------------------------------
    def _command(self, entry: str) -> Reply | str:
        match = re.match(r"\s*:(\S*)\s*", entry)
        name, offset = match.group(1), match.end()
        argument = entry[offset:].strip()
        command = COMMANDS.get(name)
        if command is None:
            raise UsageProblem(f"no command `:{name}`",
                               hint=suggest(name, COMMANDS) or "`:help` lists the commands")
        if command.missing:
            raise UsageProblem(f"`:{name}` is not yet available in the REPL", hint=command.missing)
        handler = getattr(self, f"_cmd_{name}")
        if name == "set":
            return handler(entry, offset)
        return handler(argument)

    def _cmd_load(self, argument: str) -> str:
        paths = argument.split()
        if not paths:
            raise UsageProblem("`:load` needs a .cov file or a folder", hint="e.g. `:load agreements/`")
        return self._load(paths)

    def _load(self, paths: list[str]) -> str:
        try:
            model = compile_deal(load_deal(paths))
        except (Findings, CovenantError):
            if self.model is None:
                self.paths = list(paths)  # so that `:reload` can try again once the files are fixed
            raise
        notes = []
        fact_file, file_facts = self.fact_file, FactBase()
        if fact_file:
            try:
                file_facts = load_facts(fact_file, model)
            except CovenantError as error:
                notes.append(render(error))
                notes.append(f"the fact file {fact_file} does not fit this deal and was put aside")
                fact_file = None
        settings = {}
        for key, setting in self.settings.items():
            try:
                _refit(model, key, setting)
                settings[key] = setting
            except CovenantError as error:
                notes.append(f"dropped {error.message}")
        self._commit(paths, model, fact_file, file_facts, settings)
        warnings = [render(w) for w in model.warnings]
        return "\n".join([*warnings, *notes, self.status()])

    def _cmd_reload(self, argument: str) -> Reply | str:
        if not self.paths:
            raise UsageProblem("nothing to reload", hint="load a deal first with `:load PATH`")
        before = dict(self.model.deal.sources) if self.model else {}
        try:
            model = compile_deal(load_deal(self.paths))
            file_facts = load_facts(self.fact_file, model) if self.fact_file else FactBase()
            for key, setting in self.settings.items():
                _refit(model, key, setting)
            facts = _effective(model, file_facts, self.settings)
        except (Findings, CovenantError) as problem:
            kept = "the deal and facts loaded before stay in use" if self.model else "no deal is loaded"
            return Reply(f"{self._rendered(problem)}\nreload failed: {kept}", ok=False)
        self.model, self.file_facts, self.facts = model, file_facts, facts
        changed = [path for path, text in model.deal.sources.items() if before.get(path) != text]
        what = f"changed: {', '.join(changed)}" if changed else "no .cov file changed"
        return "\n".join([*(render(w) for w in model.warnings), f"reloaded ({what})", self.status()])

    def _commit(self, paths, model, fact_file, file_facts, settings) -> None:
        facts = _effective(model, file_facts, settings)
        self.paths, self.model, self.fact_file = list(paths), model, fact_file
        self.file_facts, self.settings, self.facts = file_facts, settings, facts

    def _cmd_facts(self, argument: str) -> str:
        if argument:
            return self._load_facts(argument)
        model = self._deal()
        entries = fact_entries(model, self.facts.values)
        if not entries:
            return "no facts given"
        set_here = {k for k, s in self.settings.items() if s.offset is not None}
        lines = [f"{key} = {format_value(value, typ)}" + ("  (set here)" if key in set_here else "")
                 for key, value, typ in entries]
        unset = [k for k, s in self.settings.items() if s.offset is None]
        if unset:
            lines.append(f"unset here: {', '.join(unset)}")
        return "\n".join(lines)

    def _load_facts(self, path: str) -> str:
        model = self._deal()
        file_facts = load_facts(path, model)
        self._commit(self.paths, model, path, file_facts, self.settings)
        on_top = f"; {len(self.settings)} set or unset here still apply" if self.settings else ""
        return f"loaded {len(file_facts.values)} facts from {path}{on_top}"

    def _cmd_set(self, entry: str, offset: int) -> str:
        model = self._deal()
        match = re.compile(r"([A-Za-z_][\w.]*)\s*=\s*").match(entry, offset)
        if not match:
            raise UsageProblem("write `:set NAME = VALUE`", hint="e.g. `:set some_date = 2007-01-15`")
        key = match.group(1)
        setting = _Setting(key, entry, match.end())
        settings = {k: s for k, s in self.settings.items() if k != key}
        settings[key] = setting
        self._commit(self.paths, model, self.fact_file, self.file_facts, settings)
        targets = input_targets(model, key)
        agreement, name = targets[0]
        value = self.facts.get(agreement, name)
        where = f" in {', '.join(a for a, _ in targets)}" if len(targets) > 1 else ""
        return f"{key} = {format_value(value, model.scopes[agreement].declared[name])}{where}"

    def _cmd_unset(self, argument: str) -> str:
        model = self._deal()
        if not re.fullmatch(r"[A-Za-z_][\w.]*", argument):
            raise UsageProblem("write `:unset NAME`")
        targets = input_targets(model, argument)
        was_given = any(self.facts.has(a, n) for a, n in targets)
        settings = {k: s for k, s in self.settings.items() if k != argument}
        settings[argument] = _Setting(argument, "", None)
        self._commit(self.paths, model, self.fact_file, self.file_facts, settings)
        return f"{argument} is now unknown" if was_given else f"{argument} was not given; it stays unknown"

    def _cmd_asof(self, argument: str) -> str:
        if argument:
            if argument == "today":
                self.as_of = dt.date.today()
            else:
                try:
                    self.as_of = dt.date.fromisoformat(argument)
                except ValueError:
                    raise UsageProblem(f"`{argument}` is not a date written YYYY-MM-DD",
                                       hint="e.g. `:asof 2007-05-01`, or `:asof today`") from None
        return f"as of {self.as_of}"

    def _term(self, argument: str, command: str) -> tuple[str, str]:
        if not argument or len(argument.split()) != 1:
            raise UsageProblem(f"`:{command}` takes one NAME", hint=f"usage: {COMMANDS[command].usage}")
        return self._deal().locate(argument)

    def _cmd_explain(self, argument: str) -> str:
        agreement, name = self._term(argument, "explain")
        derivation = Evaluator(self._deal(), self.facts, self.as_of).derive(agreement, name)
        return "\n".join([f"as of {self.as_of}", *explain_lines(derivation)])

    def _cmd_needs(self, argument: str) -> str:
        model = self._deal()
        agreement, name = self._term(argument, "needs")
        blocking = Evaluator(model, self.facts, self.as_of).derive(agreement, name).needs
        deciding = inputs_deciding(model.graph, node_id(agreement, name))
        lines = [f"{agreement}.{name} can be decided by {len(deciding)} fact{'s' if len(deciding) != 1 else ''}:"]
        for node in deciding:
            data = model.graph.nodes[node]
            decl = model.scopes[data["agreement"]].inputs[data["name"]]
            mark = "needed now" if data["name"] in blocking else (
                "given" if self.facts.has(data["agreement"], data["name"]) else "not given")
            lines.append(f"  {_short(node, agreement)}: {data['type']}{' (optional)' if decl.optional else ''}"
                         f" — {decl.description}  [{mark}]")
        return "\n".join(lines)

    def _cmd_graph(self, argument: str) -> str:
        words = argument.split()
        if len(words) not in (1, 2):
            raise UsageProblem("`:graph` takes a NAME and optionally a format", hint=COMMANDS["graph"].usage)
        fmt = words[1] if len(words) == 2 else "mermaid"
        if fmt not in graph_export.FORMATS:
            raise UsageProblem(f"no graph format `{fmt}`", hint=f"formats: {', '.join(graph_export.FORMATS)}")
        graph = self._deal().graph
        center = node_id(*self._term(words[0], "graph"))
        keep = {center} | nx.descendants(graph, center) | nx.ancestors(graph, center)
        return graph_export.render(graph.subgraph(keep), fmt)

    def _cmd_show(self, argument: str) -> str:
        model = self._deal()
        agreements = [scope.agreement for scope in model.scopes.values()]
        if not argument:
            return "\n".join(f"{a.id} § {s.number} \"{s.title}\"" + (f" ({s.status})" if s.status != "encoded" else "")
                             for a in agreements for s in a.sections)
        found = [(a, s) for a in agreements if (s := sections.find_section(a, argument))]
        if not found:
            numbers = [s.number for a in agreements for s in a.sections]
            raise NameProblem(f"no section {sections.normalize(argument)} in this deal",
                              hint=suggest(sections.normalize(argument), numbers) or
                              "`:show` without a number lists the sections")
        return "\n\n".join(self._section_text(a, s) for a, s in found)

    def _section_text(self, agreement: ast.Agreement, section: ast.Section) -> str:
        rules = sections.rules_text(agreement, self._deal().deal.sources[agreement.path], section)
        out = [f"── rules ({agreement.id}, {section.span}) ──", rules]
        path = sections.source_path(agreement)
        if path is None:
            out.append(f"(no source text: the header of {agreement.id} names none)")
            return "\n".join(out)
        try:
            passage = sections.find_in_source(path.read_text(encoding="utf-8"), section.number)
        except (OSError, UnicodeDecodeError) as error:
            out.append(f"(cannot read the source text {path}: {getattr(error, 'strerror', None) or error})")
            return "\n".join(out)
        if passage is None:
            out.append(f"(section {section.number} not found in the source text {path})")
        else:
            out += [f"── source text ({path}, found by its number) ──", passage]
        return "\n".join(out)

    def _cmd_save(self, argument: str) -> str:
        model = self._deal()
        if not argument:
            raise UsageProblem("`:save` needs a FILE", hint="e.g. `:save facts.yaml`")
        path = str(Path(argument).expanduser())
        entries = fact_entries(model, self.facts.values)
        comment = f"Facts saved from covenant repl ({', '.join(model.scopes)}); evaluated as of {self.as_of}."
        write_atomically(path, facts_yaml(entries, comment))
        return f"saved {len(entries)} fact{'s' if len(entries) != 1 else ''} to {path}"

    def _cmd_help(self, argument: str) -> str:
        if argument:
            command = COMMANDS.get(argument.lstrip(":"))
            if command is None:
                raise UsageProblem(f"no command `{argument}`",
                                   hint=suggest(argument.lstrip(":"), COMMANDS) or "`:help` lists the commands")
            lines = [command.usage, f"  {command.summary}"]
            if command.details:
                lines.append(f"  {command.details}")
            if command.missing:
                lines.append(f"  not yet available in the REPL: {command.missing}")
            return "\n".join(lines)
        lines = ["Type an expression to evaluate it against the deal and the facts, e.g. `NAME`,",
                 "`NAME > $1_000_000`, `later_of(NAME, 2008-01-01)`, `agreement_id.NAME`.",
                 "End a line with \\ (or leave a bracket open) to go on on the next line.", ""]
        width = max(len(c.usage) for c in COMMANDS.values())
        lines += [f"  {c.usage:<{width}}  {c.summary}" for c in COMMANDS.values() if not c.missing]
        lines += ["", "Not yet available:"]
        lines += [f"  {c.usage:<{width}}  {c.summary}" for c in COMMANDS.values() if c.missing]
        return "\n".join(lines)

    def _cmd_quit(self, argument: str) -> Reply:
        return Reply(quit=True)

    # -- vocabulary (for completion and highlighting) ---------------------------
    def names(self) -> list[str]:
        """Every term and input, plain and qualified by its agreement."""
        if self.model is None:
            return []
        plain = [n for s in self.model.scopes.values() for n in s.names()]
        qualified = [f"{s.id}.{n}" for s in self.model.scopes.values() for n in s.names()]
        return list(dict.fromkeys(plain + qualified))

    def input_names(self) -> list[str]:
        """Every input, plain and qualified by its agreement."""
        if self.model is None:
            return []
        plain = [n for s in self.model.scopes.values() for n in s.inputs]
        qualified = [f"{s.id}.{n}" for s in self.model.scopes.values() for n in s.inputs]
        return list(dict.fromkeys(plain + qualified))

    def expression_words(self) -> list[str]:
        """Words an expression may use: terms, inputs, agreements, functions, built-in
        values, enumeration members and parties."""
        words = [*self.names(), *BUILTINS, *BUILTIN_VALUES]
        if self.model is not None:
            for scope in self.model.scopes.values():
                words += [scope.id, *scope.members, *scope.parties]
        return list(dict.fromkeys(words))

    def section_numbers(self) -> list[str]:
        """The numbers of every section of the deal."""
        if self.model is None:
            return []
        return list(dict.fromkeys(s.number for scope in self.model.scopes.values()
                                  for s in scope.agreement.sections))

    def kind_of(self, word: str) -> str | None:
        """What a word names, for highlighting: term, input, function, agreement or None."""
        if word in BUILTINS:
            return "function"
        if self.model is None:
            return None
        if word in self.model.scopes:
            return "agreement"
        for scope in self.model.scopes.values():
            if word in scope.inputs:
                return "input"
            if scope.symbol(word) is not None:
                return "term"
        return None


# -- helpers --------------------------------------------------------------------

def _short(name: str, agreement: str) -> str:
    """`agreement.name` without the agreement when it is the one read in."""
    owner, _, term = name.partition(".")
    return term if owner == agreement else name


def input_targets(model: Model, key: str) -> list[tuple[str, str]]:
    """The (agreement, input) pairs a fact key names: `name` in every agreement that
    declares it, `agreement.name` in that one."""
    agreement, _, name = key.rpartition(".")
    if agreement:
        scope = model.scopes.get(agreement)
        if scope is None:
            raise FactProblem(f"no agreement `{agreement}` in this deal",
                              hint=suggest(agreement, model.scopes) or f"agreements: {', '.join(model.scopes)}")
        if name in scope.inputs:
            return [(agreement, name)]
        raise _not_an_input(model, name, [scope])
    targets = [(s.id, name) for s in model.scopes.values() if name in s.inputs]
    if not targets:
        raise _not_an_input(model, name, list(model.scopes.values()))
    return targets


def _not_an_input(model: Model, name: str, scopes) -> FactProblem:
    if any(s.symbol(name) is not None for s in scopes):
        return FactProblem(f"`{name}` is not a fact: the agreement computes it",
                           hint=f"set the facts it depends on instead; `:needs {name}` lists them")
    return FactProblem(f"unknown fact `{name}`: no agreement loaded declares this input",
                       hint=suggest(name, [n for s in scopes for n in s.inputs]) or
                       "facts are the inputs declared with `input` in the .cov files")


def _refit(model: Model, key: str, setting: _Setting) -> None:
    """Check a fact set earlier against a new deal; the error names the setting."""
    try:
        _effective(model, FactBase(), {key: setting})
    except CovenantError as error:
        raise FactProblem(f"`{key}`, set here, does not fit the deal: {error.message}",
                          hint=f"`:unset {key}` or set it again") from None


def _effective(model: Model, file_facts: FactBase, settings: dict[str, _Setting]) -> FactBase:
    """The facts in effect: the fact file's, then each setting in the order made. An
    unset of a name the deal no longer declares has nothing left to do."""
    facts = FactBase(dict(file_facts.values), dict(file_facts.origins))
    for setting in settings.values():
        if setting.offset is None and not any(setting.key.rpartition(".")[2] in s.inputs
                                              for s in model.scopes.values()):
            continue
        for agreement, name in input_targets(model, setting.key):
            key = f"{agreement}.{name}"
            if setting.offset is None:
                facts.values.pop(key, None)
                facts.origins.pop(key, None)
                continue
            scope = model.scopes[agreement]
            facts.values[key] = read_value(setting.entry, setting.offset, scope.declared[name],
                                           scope.inputs[name].optional, setting.key, frozenset(scope.parties))
            facts.origins.pop(key, None)
    return facts


def reading_agreement(model: Model, expr: ast.Expr) -> str:
    """The agreement an expression is read in: the only one loaded; else the one that
    declares (or qualifies) the first name the expression uses that only one agreement
    declares; else one that declares the type it names, or the first agreement. A name
    several agreements declare, with nothing else to decide, must be qualified."""
    if len(model.scopes) == 1:
        return next(iter(model.scopes))
    local = {c.variable: T.ANY for c in _nodes(expr, ast.Comprehension)}
    uses = _nodes(expr, (ast.Name, ast.Attribute))
    ambiguous: NameProblem | None = None
    fallback: str | None = None
    for node in sorted(uses, key=lambda n: (n.span.start, isinstance(n, ast.Name))):
        if isinstance(node, ast.Attribute):
            if isinstance(node.base, ast.Name) and node.base.id in model.scopes:
                return node.base.id
            continue
        owners = [s.id for s in model.scopes.values() if s.symbol(node.id) is not None]
        typed = [s.id for s in model.scopes.values() if node.id in s.types]
        if typed and not owners:
            fallback = fallback or typed[0]  # `Enum.member`: any agreement declaring the type reads it
            continue
        if len(owners) == 1:
            return owners[0]
        if owners:
            ambiguous = ambiguous or NameProblem(
                f"`{node.id}` is a term of several agreements: {', '.join(owners)}",
                node.span, hint=f"qualify it, e.g. `{owners[0]}.{node.id}`")
        elif node.id not in model.scopes and not _known(model, node, local):
            every = [n for s in model.scopes.values() for n in s.names()]
            raise NameProblem(f"unknown name `{node.id}` in this deal", node.span,
                              hint=suggest(node.id, every) or "`:help` shows what can be asked")
    if ambiguous:
        raise ambiguous
    return fallback or next(iter(model.scopes))


def _known(model: Model, node: ast.Name, local: dict) -> bool:
    """Does some agreement of the deal know this name (a value, a party, a member...)?"""
    for scope in model.scopes.values():
        try:
            model.resolver.name(scope, node, local)
            return True
        except CovenantError:
            continue
    return False


def _nodes(node, kinds) -> list:
    """Every node of the given kinds in an expression."""
    found = [node] if isinstance(node, kinds) else []
    for item in fields(node):
        value = getattr(node, item.name)
        for child in (value if isinstance(value, tuple) else (value,)):
            if isinstance(child, ast.Node):
                found.extend(_nodes(child, kinds))
    return found
