"""The REPL commands that look at the deal without changing it: explain, needs, graph,
ask, diff, show, timeline, save, help."""
from __future__ import annotations

import shlex
from pathlib import Path

from dsl import ast
from dsl.errors import NameProblem, UsageProblem
from interpreter.evaluation.calendar import parse_date
from interpreter.evaluation.norms import decide, inline_action, read_action
from interpreter.repl import sections
from interpreter.repl.command_list import COMMANDS, Reply
from interpreter.repl.facts_io import fact_entries, facts_yaml
from interpreter.reports.files import write_atomically
from interpreter.repl.questions import _short
from interpreter.reports import diff, diff_report, graph_export
from interpreter.reports.output import explain_lines, verdict_lines
from interpreter.static.graph import focus, inputs_deciding, node_id
from interpreter.static.model import Model
from interpreter.static.scope import suggest
from interpreter.versions.in_force import load_side


class Views:
    """`:explain`, `:needs`, `:graph`, `:ask`, `:diff`, `:show`, `:timeline`, `:save`, `:help`, `:quit` (mixed into Session)."""

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
        return "\n".join([f"as of {self.as_of}", *explain_lines(derivation, origins=facts.origins)])

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
            passage = sections.find_in_source(sections.source_text(path), section.number)
        except UsageProblem as problem:
            out.append(f"({problem.message})")
            return "\n".join(out)
        if passage is None:
            out.append(f"(section {section.number} not found in the source text {path})")
        else:
            out += [f"── source text ({path}, found by its number) ──", passage]
        return "\n".join(out)

    def _cmd_timeline(self, argument: str) -> str:
        from interpreter.reports.timeline import build_timeline
        from interpreter.reports.timeline_render import text

        words = argument.split()
        dates = [parse_date(w) for w in words]
        if len(words) not in (0, 2) or None in dates:
            raise UsageProblem("`:timeline` takes no dates, or two: FROM TO (YYYY-MM-DD)",
                               hint=f"usage: {COMMANDS['timeline'].usage}, e.g. `:timeline 2007-01-01 2007-12-31`")
        start, end = dates or (None, None)
        if start and end and start > end:
            raise UsageProblem(f"FROM {start} is after TO {end}", hint="give the earlier date first")
        timeline = build_timeline(self._deal(), self._facts_for, self.as_of, start, end, readings=self.readings)
        return text(timeline)

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
