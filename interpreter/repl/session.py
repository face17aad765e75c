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

import yaml

from dsl.errors import (
    CovenantError,
    FactProblem,
    Findings,
    NameProblem,
    UsageProblem,
    render,
)
from dsl.dates import NotADate, calendar_date
from dsl.limits import ENTRY_CHARACTERS
from dsl.parser import parse_expression
from interpreter.evaluation.derivation import Derivation
from interpreter.evaluation.evaluator import Evaluator
from interpreter.evaluation.facts import FactBase, read_facts, read_yaml_file
from interpreter.evaluation.values import Unknown
from interpreter.repl.command_list import COMMANDS, Reply
from interpreter.repl.facts_io import INPUT, fact_entries
from interpreter.repl.questions import (
    _amended,
    _answers,
    _described_input,
    _read_facts,
    _reading,
    _refit,
    _Setting,
    _short,
    input_targets,
    reading_agreement,
)
from interpreter.repl.views import Views
from interpreter.repl.vocabulary import Vocabulary
from interpreter.reports.output import format_value
from interpreter.static import types as T
from interpreter.static.cache import checked_deal
from interpreter.static.deal import UnloadedInputs
from interpreter.static.model import Model, check_expression, compile_deal
from interpreter.static.scope import suggest
from interpreter.versions.in_force import effective_by_facts
from interpreter.versions.lineage import as_of as version_as_of


class Session(Views, Vocabulary):
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
        """Load the deal and the facts named on the command line; report the state,
        after any failure and any warning (of `check`, or a fact passed over)."""
        said, ok = [], True
        for step in (lambda: self._load_deal(paths) if paths else [], lambda: self._start_facts(fact_file)):
            try:
                said.extend(step())
            except (Findings, CovenantError) as problem:
                said.append(self._rendered(problem))
                ok = False
        return Reply("\n".join([*said, self.status()]), ok=ok, warnings=tuple(said))

    def _start_facts(self, fact_file: str | None) -> list[str]:
        if fact_file and self.model is None:
            self.fact_file = fact_file  # read when the deal loads (`:reload`)
        elif fact_file:
            return self._read_fact_file(fact_file)[0]
        return []

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
        if len(entry) > ENTRY_CHARACTERS:
            return Reply(render(UsageProblem(f"this entry is {len(entry):,} characters long; an entry has at most "
                                             f"{ENTRY_CHARACTERS:,}", hint="name the parts in the .cov file")),
                         ok=False)
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
        return "\n".join([*self._load_deal(paths), self.status()])

    def _load_deal(self, paths: list[str]) -> list[str]:
        """Load a deal (the facts in use read again against it); its warnings, and a
        note for each fact file, setting, reading or agreement in use that it drops."""
        try:
            model = checked_deal(paths)[1]
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
                read_facts(fact_node, fact_file, amended, elsewhere=UnloadedInputs(model.deal))
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
        return [*(render(w) for w in model.warnings), *notes, *carried]

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
            model = checked_deal(self.paths)[1]
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
        passed, count = self._read_fact_file(path)
        on_top = f"; {len(self.settings)} set or unset here still apply" if self.settings else ""
        return "\n".join([*passed, f"loaded {count} facts from {path}{on_top}"])

    def _read_fact_file(self, path: str) -> tuple[list[str], int]:
        """Put a fact file in use; the warnings of the facts it passes over, and how
        many facts it gives."""
        self._deal()
        node = read_yaml_file(path)[0]
        file_facts = read_facts(node, path, self.amended, elsewhere=UnloadedInputs(self._deal().deal))
        self._commit(fact_file=path, fact_node=node)
        return [render(w) for w in file_facts.warnings], len(file_facts.values)

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
            try:
                self.as_of = dt.date.today() if argument == "today" else calendar_date(argument)
            except NotADate as problem:
                raise UsageProblem(str(problem), hint="e.g. `:asof 2007-05-01`, or `:asof today`") from None
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
