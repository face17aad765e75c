"""One batch of scenarios to evaluate: a pure, picklable function of the checked deal
and each row's facts.

A row's facts are the base fact file's, with the row's values put over them (a
value given under a plain name applies to every agreement that declares it, as in a
fact file). The deal in force on the row's date is chosen as `covenant eval` chooses
it (restatements, amendments, the facts deciding conditional ones), and the names
asked for are evaluated in it, each exactly as a single `covenant eval` would."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

import yaml

from dsl.errors import CovenantError, FactProblem, NameProblem, Span, render
from interpreter.batch.row_facts import RowReader
from interpreter.batch.scenarios import AS_OF_COLUMN, Chunk, Row, row_mark, row_values
from interpreter.evaluation.compiled import CompiledDeal
from interpreter.evaluation.facts import FactBase, read_facts
from interpreter.evaluation.values import NONE, Unknown
from interpreter.reports.output import json_value
from interpreter.static import types as T
from interpreter.static.cache import version_signature
from interpreter.static.deal import Deal
from interpreter.static.graph import node_id
from interpreter.static.model import Model, compile_deal
from interpreter.versions.in_force import effective_by_facts, known_inputs
from interpreter.versions.lineage import as_of as version_as_of
from interpreter.versions.lineage import conditions_consulted

# What a job answers for one row: (line, text to write) or (line, None, the problem).
Outcome = tuple[int, str | None, str | None]


@dataclass
class BatchJob:
    """Evaluate `names` (qualified) for rows of `scenario_file`, writing `out_format`."""

    deal: Deal
    written: Model
    base_node: yaml.Node | None
    base_file: str
    scenario_file: str
    as_of: dt.date
    names: tuple[str, ...]
    out_format: str  # csv or jsonl
    readings: frozenset[str] = frozenset()
    _memo: dict = field(default_factory=dict, repr=False, compare=False)

    def __getstate__(self) -> dict:
        # Sent to each worker once; what it works out from the deal it works out again there.
        return {k: v for k, v in self.__dict__.items() if k != "_memo"} | {"_memo": {}}

    def run(self, chunk: Chunk) -> list[Outcome]:
        """The outcome of every row of the chunk, in order."""
        return [self.run_row(row) for row in chunk.rows()]

    def run_row(self, row: Row) -> Outcome:
        line = row[0]
        try:
            values = self.evaluate(row)
        except CovenantError as problem:
            return line, None, self._problem_text(problem, row)
        return line, self._text(line, values), None

    def _problem_text(self, problem: CovenantError, row: Row) -> str:
        """The problem as `file:line:col: error: ...` at the row; one found in the deal
        (exceptions that disagree, a division by zero) is shown where it is, under the row."""
        line = row[0]
        if problem.span is None:
            problem.span = Span(self.scenario_file, line, 1, line, 2)
        if problem.span.file != self.scenario_file:
            return f"{self.scenario_file}:{line}: in this row:\n" + render(problem, self.deal.sources)
        shown = row[1] if isinstance(row[1], str) else ",".join(row[1].values())
        # The row's text stands at its line: the file is not read again for each bad row.
        return render(problem, {self.scenario_file: "\n" * (line - 1) + shown.rstrip("\n")})

    def evaluate(self, row: Row) -> list[tuple[object, T.Type]]:
        """The (value, type) of every name for one row; raises the row's problem."""
        values, plain = row_values(row, self.scenario_file)
        mark = row_mark(self.scenario_file, row[0])
        date = self.as_of
        if AS_OF_COLUMN in values:
            values = dict(values)
            date = self._reader(self.written).date(values.pop(AS_OF_COLUMN), mark, plain, AS_OF_COLUMN)
        facts = self._facts(self.written, values, mark, plain)
        model = self._version(date, facts)
        if model is not self.written:
            facts = self._facts_in(model, values, mark, plain, facts)
        terms = self._terms(model, date)
        self._require(model, facts, terms)
        compiled = self._compiled(model)
        env = compiled.env(facts, date)
        # A term's type is the version's: known from the first row's results, after
        # which the values alone are asked for.
        types = self._memo.get(("types", id(model)))
        if types is None:
            results = [compiled.result(env, agreement, name) for agreement, name in terms]
            self._memo[("types", id(model))] = [result.type for result in results]
            return [(result.value, result.type) for result in results]
        return list(zip(compiled.values(env, terms), types))

    def _compiled(self, model: Model) -> CompiledDeal:
        key = ("compiled", id(model))
        if key not in self._memo:
            self._memo[key] = CompiledDeal(model, self.readings)
        return self._memo[key]

    # -- the deal in force and the facts, worked out once per version --------------
    def _known(self) -> frozenset[str]:
        if "known" not in self._memo:
            self._memo["known"] = known_inputs(self.deal, self.written)
        return self._memo["known"]

    def _reader(self, model: Model) -> RowReader:
        key = ("reader", id(model))
        if key not in self._memo:
            self._memo[key] = RowReader(model, self.scenario_file, self._known())
        return self._memo[key]

    def _facts(self, model: Model, values: dict, mark, plain: bool) -> FactBase:
        key = ("base", id(model))
        if key not in self._memo:
            self._memo[key] = read_facts(self.base_node, self.base_file, model, tolerated=self._known())
        return self._reader(model).facts(values, mark, plain).over(self._memo[key])

    def _facts_in(self, model: Model, values: dict, mark, plain: bool, written_facts: FactBase) -> FactBase:
        """The row's facts for a version of the deal: those read for the deal as
        written, when the version declares every input as the deal as written does
        (a restatement leaves an agreement out, most amendments add no input); read
        again against the version otherwise."""
        key = ("kept", id(model))
        if key not in self._memo:
            same = all(
                aid in self.written.scopes and scope.inputs.keys() == self.written.scopes[aid].inputs.keys()
                and all(scope.declared[n] == self.written.scopes[aid].declared[n] for n in scope.inputs)
                for aid, scope in model.scopes.items())
            # The facts the version keeps: those of its agreements.
            self._memo[key] = same and frozenset(f"{aid}.{name}" for aid, scope in self.written.scopes.items()
                                                 if aid in model.scopes for name in (*scope.inputs, *scope.definitions))
        allowed = self._memo[key]
        if allowed is False:
            return self._facts(model, values, mark, plain)
        if allowed.issuperset(written_facts.values):  # the usual case: nothing to leave out
            return written_facts
        kept = {k: v for k, v in written_facts.values.items() if k in allowed}
        return FactBase(kept, {k: o for k, o in written_facts.origins.items() if k in kept},
                        {k for k in written_facts.pinned if k in kept}, written_facts.warnings)

    def _version(self, date: dt.date, facts: FactBase) -> Model:
        """The deal in force on the row's date, as `eval` chooses it. Which version that
        is depends on the date and on the answers of the `effective when` conditions
        consulted on it; the version for each such choice is worked out once."""
        consulted = self._memo.get(("consulted", date))
        if consulted is None:
            consulted = self._memo[("consulted", date)] = conditions_consulted(self.deal, date)
        if consulted:
            effective = effective_by_facts(self.written, facts, date)
            choice = (date, tuple(effective(amendment) for amendment in consulted))
        else:
            choice = (date, ())
        model = self._memo.get(("version of", choice))
        if model is None:
            model = self._memo[("version of", choice)] = self._version_model(date, facts)
        return model

    def _version_model(self, date: dt.date, facts: FactBase) -> Model:
        version = version_as_of(self.deal, date, effective_by_facts(self.written, facts, date))
        if version.agreements.keys() == self.deal.agreements.keys() and all(
                version.agreements[k] is self.deal.agreements[k] for k in self.deal.agreements):
            return self.written
        key = ("version", version_signature(version))
        if key not in self._memo:
            self._memo[key] = compile_deal(version)
        return self._memo[key]

    def _terms(self, model: Model, date: dt.date) -> list[tuple[str, str]]:
        key = ("terms", id(model))
        if key not in self._memo:
            try:
                self._memo[key] = [model.locate(name) for name in self.names]
            except NameProblem:
                missing = [n for n in self.names if not _declares(model, n)]
                raise NameProblem(f"`{missing[0]}` is not in force on {date}",
                                  hint="its agreement has not begun, has been restated, or an amendment "
                                       "removed it") from None
        return self._memo[key]

    def _require(self, model: Model, facts: FactBase, terms) -> None:
        key = ("required", id(model))
        if key not in self._memo:
            required = {}
            for agreement, name in terms:
                for node in model.inputs_deciding(node_id(agreement, name)):
                    owner, input_name = node.split(".", 1)
                    decl = model.scopes[owner].inputs[input_name]
                    if not decl.optional and decl.default is None:
                        required.setdefault((owner, input_name), []).append(name)
            self._memo[key] = required
        missing = [(i, users) for (owner, i), users in self._memo[key].items() if not facts.has(owner, i)]
        if missing:
            listed = "; ".join(f"`{i}` (needed by {', '.join(sorted(set(users))[:3])})" for i, users in missing)
            raise FactProblem(f"the facts do not give required input{'s' if len(missing) > 1 else ''}: {listed}",
                              hint="give them in the row or in the base fact file (--facts)")

    # -- results ---------------------------------------------------------------------
    def _text(self, line: int, values: list[tuple[object, T.Type]]) -> str:
        if self.out_format == "jsonl":
            record = {"line": line, "values": {n: json_value(v, t) for n, (v, t) in zip(self.names, values)}}
            unknown = {n: sorted(v.needs) for n, (v, _) in zip(self.names, values) if isinstance(v, Unknown)}
            if unknown:
                record["unknown"] = unknown
            return json.dumps(record, ensure_ascii=False)
        return ",".join([str(line)] + [_csv_quote(cell_text(v, t)) for v, t in values])


def cell_text(value: object, typ: T.Type) -> str:
    """A value in a CSV cell: as `--json` writes it, `unknown` and `none` by name."""
    if isinstance(value, Unknown):
        return "unknown"
    if value is NONE:
        return "none"
    data = json_value(value, typ)
    if isinstance(data, bool):
        return "true" if data else "false"
    if isinstance(data, (list, dict)):
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return str(data)


def _csv_quote(text: str) -> str:
    if any(c in text for c in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _declares(model: Model, name: str) -> bool:
    try:
        model.locate(name)
    except NameProblem:
        return False
    return True


