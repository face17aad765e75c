"""The REPL's state and its commands.

A `Session` holds the deal loaded (as written), the facts (a fact file, then what
was set or unset at the prompt, in order), the as-of date, the named readings in use
and the agreement a name several agreements declare is read in. `Session.handle`
answers one entry — an expression in the language, or a `:command` — with a `Reply`.
Every change is built whole before it replaces the state, so a mistake leaves the
session as it was.

Questions are answered by the deal as in force on the as-of date, as `covenant eval`
answers them: restatements and amendments applied, the facts deciding conditional
amendments. That version is derived when a question needs it and kept until the
deal, the facts or the date change.
"""
from __future__ import annotations

import datetime as dt
import re
import shlex
from dataclasses import dataclass, fields
from pathlib import Path

import yaml

from dsl import ast
from dsl.errors import CovenantError, FactProblem, Findings, NameProblem, UsageProblem, render
from dsl.parser import parse_expression
from interpreter.reports import diff
from interpreter.reports import diff_report
from interpreter.reports import graph_export
from interpreter.static import types as T
from interpreter.evaluation.builtins import BUILTINS
from interpreter.evaluation.calendar import parse_date
from interpreter.static.deal import load_deal
from interpreter.evaluation.evaluator import Derivation, Evaluator
from interpreter.evaluation.facts import FactBase, input_names, read_facts, read_yaml_file
from interpreter.static.graph import focus, inputs_deciding, node_id
from interpreter.static.model import Model, check_deal, check_expression, compile_deal
from interpreter.evaluation.norms import decide, inline_action, read_action
from interpreter.reports.output import explain_lines, format_value, verdict_lines
from interpreter.repl import sections
from interpreter.repl.facts_io import INPUT, fact_entries, facts_yaml, read_value, write_atomically
from interpreter.static.scope import BUILTIN_VALUES, suggest
from interpreter.versions.in_force import effective_by_facts, load_side
from interpreter.evaluation.values import Unknown
from interpreter.versions.lineage import as_of as version_as_of, consolidate


@dataclass
class Reply:
    """The answer to one entry: text to show, whether it succeeded, whether to leave."""

    text: str = ""
    ok: bool = True
    quit: bool = False


@dataclass(frozen=True)
class Command:
    """A `:command`: its usage, what it does, and what its argument is (for completion
    and highlighting): path, section, name, input, command, agreement, reading,
    expression or none."""

    name: str
    usage: str
    summary: str
    argument: str = "none"
    details: str = ""


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
    Command("asof", ":asof DATE", "evaluate as of another date (YYYY-MM-DD, or `today`)", "none",
            "Questions are answered by the deal as in force on that date: an agreement begins on its date "
            "(or `effective` date), a restatement replaces the agreement it restates, amendments apply in "
            "order of date, and the facts decide an amendment that takes effect only `when` a condition holds."),
    Command("use", ":use [AGREEMENT]", "read a name several agreements declare in AGREEMENT; alone, show which",
            "agreement",
            "Without it such a name must be qualified (`agreement.name`). A name only one agreement declares "
            "still decides the agreement an expression is read in; `:use none` forgets the choice."),
    Command("reading", ":reading [NAME | off NAME | none]", "list the named readings, or put one in or out of use",
            "reading",
            "`:reading NAME` evaluates the term it reads under that reading from now on (a reading of the same "
            "term already in use gives way); `:reading off NAME` takes it out of use, `:reading none` all of "
            "them. NAME may be qualified as agreement.reading."),
    Command("explain", ":explain NAME", "how a term's value is derived, step by step", "name"),
    Command("needs", ":needs NAME", "every fact that can decide a term: given, not given, needed now", "name"),
    Command("graph", ":graph NAME [dot|mermaid|json]", "the clause graph around a term (Mermaid by default)", "name"),
    Command("ask", ":ask KIND key=value...", "is a proposed action permitted? every norm that decided it",
            "expression",
            "The action is written as `covenant ask` takes it on the command line, e.g. "
            "`:ask transfer transferee=affiliate date=2001-06-01` (quote a value that holds spaces); a "
            "particular left out is none. A prohibited action is an answer; a malformed one is a mistake."),
    Command("diff", ":diff OLD NEW", "what changed between two agreements or versions", "agreement",
            "OLD and NEW are written as for `covenant diff`: AGREEMENT (as written), AGREEMENT@YYYY-MM-DD "
            "(as in force that day), AGREEMENT@amended (every amendment applied), each optionally followed by "
            "#READING. The facts in effect decide conditional amendments and, when any are given, show the "
            "values that differ."),
    Command("show", ":show SECTION", "a section's rules beside the agreement's own text, e.g. :show 2(b)", "section",
            "Without SECTION, lists the sections. The passage of the source text is found by a heuristic "
            "(the section's number, then each subdivision such as (b), where it begins a line or follows "
            "a space) and may be missing, cut short or too long."),
    Command("save", ":save FILE", "write the facts in effect to a YAML fact file", "path",
            "The file is replaced whole (written beside it, then renamed); loading it gives the same facts back."),
    Command("help", ":help [COMMAND]", "list the commands, or explain one", "command"),
    Command("quit", ":quit", "leave (Ctrl-D also leaves; Ctrl-C cancels the line being typed)", "none"),
)}


@dataclass(frozen=True)
class _Setting:
    """A fact set (or unset, when `offset` is None) at the prompt: the entry as typed,
    kept so that it can be read again against a reloaded deal."""

    key: str
    entry: str
    offset: int | None


class Session:
    """One REPL session: the deal, the facts, the as-of date, the readings in use and
    the agreement ambiguous names are read in."""

    def __init__(self, as_of: dt.date):
        self.paths: list[str] = []
        self.model: Model | None = None      # the deal as written
        self.amended: Model | None = None    # every amendment applied: every input and reading of every version
        self.fact_file: str | None = None
        self.fact_node: yaml.Node | None = None  # the fact file's YAML, read again against each version
        self.settings: dict[str, _Setting] = {}
        self.facts = FactBase()              # the facts in effect, as `amended` reads them
        self.as_of = as_of
        self.readings: frozenset[str] = frozenset()  # named readings in use, as `agreement.reading`
        self.agreement_in_use: str | None = None
        self._in_force: tuple | None = None  # (model, facts, date) -> (version, its facts), see `_version`

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
        given = len(fact_entries(self.amended, self.facts.values))
        source = f"from {self.fact_file}" if self.fact_file else "no fact file"
        here = f", {len(self.settings)} set or unset here" if self.settings else ""
        lines.append(f"facts: {given} given ({source}{here})")
        if self.readings:
            lines.append(f"readings in use: {', '.join(sorted(self.readings))}")
        if self.agreement_in_use:
            lines.append(f"names several agreements declare are read in {self.agreement_in_use}")
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

    def _version(self) -> tuple[Model, FactBase]:
        """The deal as in force on the as-of date and the facts as it reads them,
        derived as `covenant eval` derives them (the facts read against the deal as
        written decide conditional amendments) and kept until the deal, the facts or
        the date change. Raises, and keeps nothing, when an amendment's condition
        depends on a fact not given."""
        written = self._deal()
        cached = self._in_force
        if cached and cached[0] is written and cached[1] is self.facts and cached[2] == self.as_of:
            return cached[3], cached[4]
        deciding = self._facts_for(written)
        try:
            deal = version_as_of(written.deal, self.as_of, effective_by_facts(written, deciding, self.as_of))
        except FactProblem as problem:
            problem.hint = f"{problem.hint}; here, `:set` it" if problem.hint else "`:set` the fact it needs"
            raise
        if deal.agreements.keys() == written.deal.agreements.keys() and all(
                deal.agreements[k] is a for k, a in written.deal.agreements.items()):
            model, facts = written, deciding  # nothing restated or amended by then
        else:
            model = compile_deal(deal)
            facts = self._facts_for(model)
        self._in_force = (written, self.facts, self.as_of, model, facts)
        return model, facts

    def _facts_for(self, model: Model) -> FactBase:
        """The facts in effect as one version of the deal reads them; facts of inputs
        that version does not declare are passed over."""
        if model is self.amended:
            return self.facts
        return _read_facts(model, self.amended, self.fact_file, self.fact_node, self.settings)

    def _evaluator(self, model: Model, facts: FactBase, action: tuple[str, dict] | None = None) -> Evaluator:
        return Evaluator(model, facts, self.as_of, action, readings=self.readings)

    def _read_in(self, model: Model, question):
        """`question(model)`. A name problem that the deal as written would not have
        says that the name is not in the version in force."""
        try:
            return question(model)
        except NameProblem as problem:
            if model is not self.model and _answers(question, self.model):
                problem.notes = (*problem.notes, f"the deal as written has it, but not as in force on {self.as_of} "
                                                 "(restatements and amendments applied)")
            raise

    def _answer(self, entry: str) -> str:
        expr = parse_expression(entry, INPUT)
        model, facts = self._version()

        def question(version: Model) -> tuple[str, T.Type]:
            agreement = reading_agreement(version, expr, self.agreement_in_use)
            return agreement, check_expression(version, agreement, expr)

        agreement, typ = self._read_in(model, question)
        derivation = self._evaluator(model, facts).evaluate_expression(agreement, expr, typ)
        return self._answer_line(model, derivation, agreement)

    def _answer_line(self, model: Model, d: Derivation, agreement: str) -> str:
        grounds = [d.citation] if d.citation else []
        used = [_short(name, agreement) for name, _, _ in d.inputs]
        if used:
            grounds.append(("facts " if len(used) > 1 else "fact ") + ", ".join(used))
        line = f"{format_value(d.value, d.type)}  [{'; '.join(grounds) or 'no citation: uses no term or fact'}]"
        if isinstance(d.value, Unknown) and d.needs:
            line += "  needs " + ", ".join(_described_input(model, n, agreement) for n in d.needs)
        return line

    # -- commands ---------------------------------------------------------------
    def _command(self, entry: str) -> Reply | str:
        match = re.match(r"\s*:(\S*)\s*", entry)
        name, offset = match.group(1), match.end()
        argument = entry[offset:].strip()
        command = COMMANDS.get(name)
        if command is None:
            raise UsageProblem(f"no command `:{name}`",
                               hint=suggest(name, COMMANDS) or "`:help` lists the commands")
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
            model = check_deal(load_deal(paths))
        except (Findings, CovenantError):
            if self.model is None:
                self.paths = list(paths)  # so that `:reload` can try again once the files are fixed
            raise
        amended = _amended(model)
        notes = []
        fact_file, fact_node = self.fact_file, None
        if fact_file:
            try:
                fact_node = read_yaml_file(fact_file)[0]
                read_facts(fact_node, fact_file, amended)
            except CovenantError as error:
                notes.append(render(error))
                notes.append(f"the fact file {fact_file} does not fit this deal and was put aside")
                fact_file, fact_node = None, None
        settings = {}
        for key, setting in self.settings.items():
            try:
                _refit(amended, key, setting)
                settings[key] = setting
            except CovenantError as error:
                notes.append(f"dropped {error.message}")
        readings, in_use, carried = self._carried(model, amended)
        self._commit(paths=list(paths), model=model, amended=amended, fact_file=fact_file, fact_node=fact_node,
                     settings=settings)
        self.readings, self.agreement_in_use = readings, in_use
        warnings = [render(w) for w in model.warnings]
        return "\n".join([*warnings, *notes, *carried, self.status()])

    def _carried(self, model: Model, amended: Model) -> tuple[frozenset[str], str | None, list[str]]:
        """The readings in use and the agreement in use that a new deal still has, and
        a note for each it no longer has."""
        readings = frozenset(r for r in self.readings if r in amended.reading_names())
        notes = [f"reading {r} is no longer in the deal; it is out of use" for r in sorted(self.readings - readings)]
        in_use = self.agreement_in_use if self.agreement_in_use in model.scopes else None
        if self.agreement_in_use and in_use is None:
            notes.append(f"agreement {self.agreement_in_use} is no longer in the deal; `:use` another")
        return readings, in_use, notes

    def _cmd_reload(self, argument: str) -> Reply | str:
        if not self.paths:
            raise UsageProblem("nothing to reload", hint="load a deal first with `:load PATH`")
        before = dict(self.model.deal.sources) if self.model else {}
        try:
            model = check_deal(load_deal(self.paths))
            amended = _amended(model)
            fact_node = read_yaml_file(self.fact_file)[0] if self.fact_file else None
            for key, setting in self.settings.items():
                _refit(amended, key, setting)
            _read_facts(amended, amended, self.fact_file, fact_node, self.settings)
        except (Findings, CovenantError) as problem:
            kept = "the deal and facts loaded before stay in use" if self.model else "no deal is loaded"
            return Reply(f"{self._rendered(problem)}\nreload failed: {kept}", ok=False)
        readings, in_use, carried = self._carried(model, amended)
        self._commit(model=model, amended=amended, fact_node=fact_node)
        self.readings, self.agreement_in_use = readings, in_use
        changed = [path for path, text in model.deal.sources.items() if before.get(path) != text]
        what = f"changed: {', '.join(changed)}" if changed else "no .cov file changed"
        return "\n".join([*(render(w) for w in model.warnings), *carried, f"reloaded ({what})", self.status()])

    def _commit(self, **changes) -> None:
        """Replace parts of the deal and the facts (paths, model, amended, fact_file,
        fact_node, settings) together, the facts in effect read again; if they do not
        read, nothing changes."""
        state = {key: getattr(self, key) for key in ("paths", "model", "amended", "fact_file", "fact_node",
                                                     "settings")} | changes
        facts = _read_facts(state["amended"], state["amended"], state["fact_file"], state["fact_node"],
                            state["settings"])
        for key, value in state.items():
            setattr(self, key, value)
        self.facts = facts

    def _cmd_facts(self, argument: str) -> str:
        if argument:
            return self._load_facts(argument)
        self._deal()
        entries = fact_entries(self.amended, self.facts.values)
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
        self._deal()
        node = read_yaml_file(path)[0]
        file_facts = read_facts(node, path, self.amended)
        self._commit(fact_file=path, fact_node=node)
        on_top = f"; {len(self.settings)} set or unset here still apply" if self.settings else ""
        return f"loaded {len(file_facts.values)} facts from {path}{on_top}"

    def _cmd_set(self, entry: str, offset: int) -> str:
        self._deal()
        model = self.amended
        match = re.compile(r"([A-Za-z_][\w.]*)\s*=\s*").match(entry, offset)
        if not match:
            raise UsageProblem("write `:set NAME = VALUE`", hint="e.g. `:set some_date = 2007-01-15`")
        key = match.group(1)
        setting = _Setting(key, entry, match.end())
        settings = {k: s for k, s in self.settings.items() if k != key}
        settings[key] = setting
        self._commit(settings=settings)
        targets = input_targets(model, key)
        agreement, name = targets[0]
        value = self.facts.get(agreement, name)
        where = f" in {', '.join(a for a, _ in targets)}" if len(targets) > 1 else ""
        return f"{key} = {format_value(value, model.scopes[agreement].declared[name])}{where}"

    def _cmd_unset(self, argument: str) -> str:
        self._deal()
        model = self.amended
        if not re.fullmatch(r"[A-Za-z_][\w.]*", argument):
            raise UsageProblem("write `:unset NAME`")
        targets = input_targets(model, argument)
        was_given = any(self.facts.has(a, n) for a, n in targets)
        settings = {k: s for k, s in self.settings.items() if k != argument}
        settings[argument] = _Setting(argument, "", None)
        self._commit(settings=settings)
        return f"{argument} is now unknown" if was_given else f"{argument} was not given; it stays unknown"

    def _cmd_asof(self, argument: str) -> str:
        if argument:
            date = dt.date.today() if argument == "today" else parse_date(argument)
            if date is None:
                raise UsageProblem(f"`{argument}` is not a date written YYYY-MM-DD",
                                   hint="e.g. `:asof 2007-05-01`, or `:asof today`")
            self.as_of = date
        return f"as of {self.as_of}"

    def _cmd_use(self, argument: str) -> str:
        model = self._deal()
        if argument == "none":
            self.agreement_in_use = None
        elif argument:
            if argument not in model.scopes:
                raise NameProblem(f"no agreement `{argument}` in this deal",
                                  hint=suggest(argument, model.scopes) or f"agreements: {', '.join(model.scopes)}")
            self.agreement_in_use = argument
        if self.agreement_in_use is None:
            return "no agreement in use: qualify a name several agreements declare (agreement.name)"
        return f"names several agreements declare are read in {self.agreement_in_use}"

    def _cmd_reading(self, argument: str) -> str:
        self._deal()
        words = argument.split()
        if not words:
            return self._reading_list()
        if words == ["none"]:
            self.readings = frozenset()
            return "no reading in use: every term is read by its own rule"
        if len(words) == 2 and words[0] == "off":
            chosen = self.amended.choose_readings(words[1:])
            if not chosen <= self.readings:
                return f"{next(iter(chosen))} was not in use"
            self.readings -= chosen
            return f"{next(iter(chosen))} is no longer in use"
        if len(words) != 1 or words[0] == "off":
            raise UsageProblem("write `:reading NAME`, `:reading off NAME` or `:reading none`",
                               hint="`:reading` alone lists the readings")
        name = next(iter(self.amended.choose_readings(words)))
        reading = _reading(self.amended, name)
        rivals = {r for r in self.readings if r.split(".", 1)[0] == name.split(".", 1)[0]
                  and _reading(self.amended, r).target == reading.target}
        self.readings = (self.readings - rivals) | {name}
        instead = f" (instead of {', '.join(sorted(rivals - {name}))})" if rivals - {name} else ""
        return f"{name} is in use{instead}: {reading.target} is read as {reading.description}"

    def _reading_list(self) -> str:
        names = self.amended.reading_names()
        if not names:
            return "no named readings in this deal"
        lines = []
        for name in names:
            reading = _reading(self.amended, name)
            mark = "  [in use]" if name in self.readings else ""
            lines.append(f"{name}: {reading.target} read as {reading.description}  [{reading.citation}]{mark}")
        return "\n".join(lines)

    def _term(self, model: Model, argument: str, command: str) -> tuple[str, str]:
        """(agreement, term) for a NAME typed after a command, read in the version given;
        a name several agreements declare is read in the agreement in use."""
        if not argument or len(argument.split()) != 1:
            raise UsageProblem(f"`:{command}` takes one NAME", hint=f"usage: {COMMANDS[command].usage}")

        def question(version: Model) -> tuple[str, str]:
            in_use = version.scopes.get(self.agreement_in_use or "")
            if "." not in argument and in_use is not None and in_use.symbol(argument) is not None:
                return in_use.id, argument
            return version.locate(argument)

        return self._read_in(model, question)

    def _cmd_explain(self, argument: str) -> str:
        model, facts = self._version()
        agreement, name = self._term(model, argument, "explain")
        derivation = self._evaluator(model, facts).derive(agreement, name)
        return "\n".join([f"as of {self.as_of}", *explain_lines(derivation)])

    def _cmd_needs(self, argument: str) -> str:
        model, facts = self._version()
        agreement, name = self._term(model, argument, "needs")
        blocking = self._evaluator(model, facts).derive(agreement, name).needs
        deciding = inputs_deciding(model.graph, node_id(agreement, name))
        lines = [f"{agreement}.{name} can be decided by {len(deciding)} fact{'s' if len(deciding) != 1 else ''}:"]
        for node in deciding:
            data = model.graph.nodes[node]
            decl = model.scopes[data["agreement"]].inputs[data["name"]]
            mark = "needed now" if data["name"] in blocking else (
                "given" if facts.has(data["agreement"], data["name"]) else "not given")
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
        model, _ = self._version()
        return graph_export.render(focus(model.graph, node_id(*self._term(model, words[0], "graph"))), fmt)

    def _cmd_ask(self, argument: str) -> str:
        try:
            words = shlex.split(argument)
        except ValueError as error:
            raise UsageProblem(f"cannot read the action: {error}", hint="close the quotation marks") from None
        if not words:
            raise UsageProblem("`:ask` needs an action", hint="e.g. `:ask KIND key=value ...`, the action's kind "
                               "and its particulars")
        model, facts = self._version()
        kind, particulars = read_action(inline_action(words), "<command line>", model)
        verdict = decide(self._evaluator(model, facts, (kind, particulars)), kind)
        return "\n".join(verdict_lines(verdict, self.as_of))

    def _cmd_diff(self, argument: str) -> str:
        specs = argument.split()
        if len(specs) != 2:
            raise UsageProblem("`:diff` takes two versions: OLD NEW",
                               hint="e.g. `:diff AGREEMENT@2001-10-25 AGREEMENT@2001-10-27`, `:diff AGREEMENT "
                                    "AGREEMENT@amended` or `:diff AGREEMENT AGREEMENT#READING`")
        written = self._deal()
        deciding = self._facts_for(written)
        old, new = (load_side(written.deal, written, spec, deciding, self.as_of) for spec in specs)
        edits = diff.structural(old, new)
        behaviour = None
        if self.fact_file or self.settings:
            behaviour = diff.behaviour(old, new, [(self._facts_label(), self._facts_for(old.model),
                                                   self._facts_for(new.model))])
        return diff_report.text(old.label, new.label, edits, diff.impact(edits, new), behaviour)

    def _facts_label(self) -> str:
        """The facts in effect, as a diff names them: the fact file, and what was set here."""
        here = "facts set here" if self.settings else ""
        return " + ".join(part for part in (self.fact_file, here) if part)

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
        entries = fact_entries(self.amended, self.facts.values)
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
            return "\n".join(lines)
        lines = ["Type an expression to evaluate it against the deal and the facts, e.g. `NAME`,",
                 "`NAME > $1_000_000`, `later_of(NAME, 2008-01-01)`, `agreement_id.NAME`.",
                 "End a line with \\ (or leave a bracket open) to go on on the next line.", ""]
        width = max(len(c.usage) for c in COMMANDS.values())
        lines += [f"  {c.usage:<{width}}  {c.summary}" for c in COMMANDS.values()]
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
        """Every input (those amendments add too), plain and qualified by its agreement."""
        if self.amended is None:
            return []
        plain = [n for s in self.amended.scopes.values() for n in s.inputs]
        qualified = [f"{s.id}.{n}" for s in self.amended.scopes.values() for n in s.inputs]
        return list(dict.fromkeys(plain + qualified))

    def agreement_ids(self) -> list[str]:
        """The id of every agreement of the deal."""
        return list(self.model.scopes) if self.model is not None else []

    def reading_names(self) -> list[str]:
        """Every named reading, plain and qualified by its agreement."""
        if self.amended is None:
            return []
        qualified = self.amended.reading_names()
        return list(dict.fromkeys([q.split(".", 1)[1] for q in qualified] + qualified))

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


def _described_input(model: Model, name: str, agreement: str) -> str:
    """An input the answer needs, with its type."""
    scopes = model.scopes
    owner = scopes[agreement] if name in scopes[agreement].inputs else \
        next((s for s in scopes.values() if name in s.inputs), None)
    return f"{name} ({owner.declared[name]})" if owner else name


def _answers(question, model: Model) -> bool:
    """Does `question(model)` answer without a problem?"""
    try:
        question(model)
    except CovenantError:
        return False
    return True


def _reading(model: Model, qualified: str) -> ast.Reading:
    agreement, _, name = qualified.partition(".")
    return model.scopes[agreement].readings[name]


def _amended(model: Model) -> Model:
    """The deal with every amendment applied: it declares every input and reading of
    every version (amendments add inputs and readings, never take them away)."""
    if not any(a.amends for a in model.deal.agreements.values()):
        return model
    return compile_deal(consolidate(model.deal, lambda amendment: True))


def _declares(model: Model, key: str) -> bool:
    """Does the model declare the input a fact key names?"""
    agreement, _, name = key.rpartition(".")
    return any(name in s.inputs for s in model.scopes.values() if not agreement or s.id == agreement)


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


def _read_facts(model: Model, amended: Model, fact_file: str | None, fact_node: yaml.Node | None,
                settings: dict[str, _Setting]) -> FactBase:
    """The facts in effect as `model` (a version of the deal, or `amended` itself)
    reads them: the fact file's, then each setting. A fact of an input that only
    another version declares is passed over."""
    known = input_names(amended)
    file_facts = read_facts(fact_node, fact_file, model, tolerated=known) if fact_file else FactBase()
    return _effective(model, file_facts, settings, known)


def _effective(model: Model, file_facts: FactBase, settings: dict[str, _Setting],
               known: frozenset[str] = frozenset()) -> FactBase:
    """The facts in effect: the fact file's, then each setting in the order made. An
    unset of a name the deal no longer declares has nothing left to do; a setting of
    a `known` name (an input of another version) that `model` does not declare is
    passed over."""
    facts = FactBase(dict(file_facts.values), dict(file_facts.origins))
    for setting in settings.values():
        if not _declares(model, setting.key) and (setting.offset is None or setting.key in known):
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


def reading_agreement(model: Model, expr: ast.Expr, preferred: str | None = None) -> str:
    """The agreement an expression is read in: the only one loaded; else the one that
    declares (or qualifies) the first name the expression uses that only one agreement
    declares, or that several declare and `preferred` is one of; else `preferred`, or
    one that declares the type it names, or the first agreement. A name several
    agreements declare, with nothing else to decide, must be qualified."""
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
        if preferred in owners:
            return preferred
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
    if preferred in model.scopes:
        return preferred
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
