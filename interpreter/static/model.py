"""A checked deal: its scopes and clause graph, ready to evaluate any number of times.

`compile_deal` runs every static check (names, types, cycles) and either returns a
`Model` or raises `Findings` with everything found."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dsl import ast
from dsl.errors import CheckWarning, CovenantError, Findings, NameProblem
from interpreter.static import types as T
from interpreter.static.deal import Deal
from interpreter.static.graph import (
    add_declarations,
    add_use,
    chain_problems,
    cycle_problems,
    node_id,
    unused_inputs,
)
from interpreter.static.scope import Resolver, Scope, suggest
from interpreter.static.typecheck import Checker
from interpreter.evaluation.business_days import calendar_names
from interpreter.versions.lineage import consolidate, lineage_problems

if TYPE_CHECKING:
    import networkx as nx


@dataclass
class Model:
    deal: Deal
    scopes: dict[str, Scope]
    resolver: Resolver
    graph: nx.DiGraph
    warnings: list[CovenantError] = field(default_factory=list)

    # A model pickles (for the on-disk cache and for worker processes) with its graph
    # as plain nodes and edges, so that loading it does not import networkx: the graph
    # is rebuilt on first use, and `inputs_deciding` answers without it.
    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        graph = state.pop("graph", None)
        if graph is not None:
            state["_graph_data"] = (list(graph.nodes(data=True)), list(graph.edges(data=True)))
        state.pop("_uses", None)
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)

    def __getattr__(self, name: str):
        if name == "graph" and "_graph_data" in self.__dict__:
            import networkx as nx

            nodes, edges = self.__dict__.pop("_graph_data")
            graph = nx.DiGraph()
            graph.add_nodes_from(nodes)
            graph.add_edges_from(edges)
            self.graph = graph
            return graph
        raise AttributeError(name)

    def _adjacency(self) -> dict[str, tuple[list[str], str]]:
        """Each node's (successors, kind), from the graph or its pickled data."""
        uses = self.__dict__.get("_uses")
        if uses is None:
            if "_graph_data" in self.__dict__:
                nodes, edges = self.__dict__["_graph_data"]
            else:
                nodes, edges = self.graph.nodes(data=True), self.graph.edges()
            uses = {node: ([], data.get("kind", "")) for node, data in nodes}
            for edge in edges:
                uses[edge[0]][0].append(edge[1])
            self._uses = uses
        return uses

    def inputs_deciding(self, node: str) -> list[str]:
        """Every input `node` depends on, directly or through other terms (as
        `agreement.input`), found without networkx."""
        uses = self._adjacency()
        seen, todo = {node}, [node]
        while todo:
            for target in uses.get(todo.pop(), ((), ""))[0]:
                if target not in seen:
                    seen.add(target)
                    todo.append(target)
        return sorted(n for n in seen if uses.get(n, ((), ""))[1] == "input")

    def reading_names(self) -> list[str]:
        """Every named reading, as `agreement.reading`."""
        return [f"{s.id}.{r}" for s in self.scopes.values() for r in s.readings]

    def choose_readings(self, names: list[str]) -> frozenset[str]:
        """Validate readings typed by a user; a plain name must be unique in the deal."""
        chosen = set()
        for name in names:
            matches = [q for q in self.reading_names() if q == name or q.split(".", 1)[1] == name]
            if len(matches) != 1:
                raise NameProblem(f"no reading `{name}` in this deal" if not matches else
                                  f"`{name}` names readings in several agreements: {', '.join(matches)}",
                                  hint=suggest(name, [q.split(".", 1)[1] for q in self.reading_names()])
                                  or f"readings: {', '.join(self.reading_names()) or 'none'}")
            chosen.add(matches[0])
        return frozenset(chosen)

    def locate(self, name: str) -> tuple[str, str]:
        """(agreement, term) for a name typed by the user, plain or `agreement.term`."""
        if "." in name:
            agreement, term = name.split(".", 1)
            scope = self.scopes.get(agreement)
            if scope is None:
                raise NameProblem(f"no agreement `{agreement}` in this deal",
                                  hint=suggest(agreement, self.scopes) or
                                  f"agreements loaded: {', '.join(self.scopes)}")
            if scope.symbol(term) is None:
                raise NameProblem(f"{agreement} has no term `{term}`", hint=suggest(term, scope.names()))
            return agreement, term
        owners = [s.id for s in self.scopes.values() if s.symbol(name) is not None]
        if len(owners) == 1:
            return owners[0], name
        if owners:
            raise NameProblem(f"`{name}` is a term of several agreements: {', '.join(owners)}",
                              hint=f"qualify it, e.g. `{owners[0]}.{name}`")
        every = [n for s in self.scopes.values() for n in s.names()]
        raise NameProblem(f"no term `{name}` in this deal", hint=suggest(name, every))


def check_expression(model: Model, agreement: str, expr) -> "T.Type":
    """The type of an expression typed by a user, read in `agreement`; raises its first problem."""
    errors: list[CovenantError] = []
    typ = Checker(model.resolver, model.scopes[agreement], errors, lambda symbol, span: None).infer(expr, {})
    if errors:
        raise errors[0]
    return typ


def compile_deal(deal: Deal) -> Model:
    """Resolve, type-check and graph every agreement; raise Findings on any error."""
    errors: list[CovenantError] = []
    scopes = {aid: Scope(agreement, errors) for aid, agreement in deal.agreements.items()}
    import networkx as nx

    resolver = Resolver(scopes)
    graph = nx.DiGraph()
    for scope in scopes.values():
        add_declarations(graph, scope)
    conditions_use: set[str] = set()
    for scope in scopes.values():
        when = scope.agreement.effective_when
        if when is not None:
            Checker(resolver, scope, errors, lambda symbol, span: conditions_use.add(symbol.qualified)) \
                ._expect(when, T.BOOL, {}, "the condition of effectiveness")
        detached = Checker(resolver, scope, errors, lambda symbol, span: None)
        if scope.agreement.calendar is not None:
            detached.check_calendar(scope.agreement, calendar_names())
            if scope.agreement.closures:
                conditions_use.add(f"{scope.id}.{scope.agreement.closures}")
        for name, decl in scope.inputs.items():  # a default's uses are edges: defaults in a cycle are found
            _checker_for(graph, resolver, scope, name, errors).check_input_default(decl)
        for name, decl in scope.definitions.items():
            checker = _checker_for(graph, resolver, scope, name, errors)
            checker.check_definition(decl)
            for rule in scope.exceptions.get(name, []):
                checker.check_exception(rule)
        for reading in scope.readings.values():
            if reading.target in scope.definitions:
                _checker_for(graph, resolver, scope, reading.target, errors).check_reading(reading)
            else:
                detached.check_reading(reading)
        for name, decl in scope.obligations.items():
            _checker_for(graph, resolver, scope, name, errors).check_obligation(decl)
        for name, decl in scope.norms.items():
            checker = _checker_for(graph, resolver, scope, name, errors)
            checker.check_norm(decl)
            for rule in scope.exceptions.get(name, []):
                checker.check_exception(rule)
        for target, rules in scope.exceptions.items():
            if target not in scope.definitions and target not in scope.norms:
                for rule in rules:
                    detached.check_exception(rule)
    errors.extend(_divergent_actions(scopes))
    cycles = cycle_problems(graph)
    errors.extend(cycles or chain_problems(graph))
    warnings = unused_inputs(graph, exempt=conditions_use) + _tables_without_otherwise(scopes)
    if errors:
        errors.sort(key=lambda e: (e.span.file, e.span.line, e.span.column) if e.span else ("", 0, 0))
        raise Findings(errors, warnings)
    return Model(deal, scopes, resolver, graph, warnings)


def _tables_without_otherwise(scopes) -> list[CheckWarning]:
    """A `first` table without `otherwise` gives `none` when no row applies: usually an
    oversight, so `check` says so."""
    return [CheckWarning(f"the table of `{decl.name}` has no `otherwise` row: when no row applies it is none",
                         decl.body.rows[-1].span, hint="add `otherwise -> VALUE § ...` (the text's fallback), "
                                                       "or a row that always applies")
            for scope in scopes.values() for decl in scope.definitions.values()
            if isinstance(decl.body, ast.Table) and all(row.condition is not None for row in decl.body.rows)
            and not _every_member_listed(scope, decl.body)]


def _every_member_listed(scope, table: ast.Table) -> bool:
    """Does the table test one value against every member of its enumeration
    (`when x == a ...`, `when x == b ...`): then some row always applies."""
    tested, members = None, set()
    for row in table.rows:
        test = row.condition
        if not (isinstance(test, ast.Binary) and test.op == "=="):
            return False
        member = test.right.id if isinstance(test.right, ast.Name) else \
            test.right.name if isinstance(test.right, ast.Attribute) else None  # `Enum.member`
        if member is None or (tested is not None and test.left != tested):
            return False
        tested = test.left
        members.add(member)
    return any(set(typ.members) == members for typ in scope.types.values() if typ.kind == "enum")


def check_deal(deal: Deal) -> Model:
    """`check`: the deal as written, and as it reads with every amendment applied."""
    problems = lineage_problems(deal)
    if problems:
        raise Findings(problems)
    model = compile_deal(deal)
    if any(a.amends for a in deal.agreements.values()):
        compile_deal(consolidate(deal, lambda amendment: True))
    return model


def _divergent_actions(scopes: dict[str, Scope]) -> list[CovenantError]:
    """An action kind must be described the same way by every agreement that declares it,
    so that one proposed action can be asked of the whole deal."""
    first: dict[str, tuple[str, object]] = {}
    problems: list[CovenantError] = []
    for scope in scopes.values():
        for name, decl in scope.actions.items():
            if name not in first:
                first[name] = (scope.id, decl)
            elif first[name][1].fields != decl.fields:
                problems.append(NameProblem(
                    f"action `{name}` is declared differently in {first[name][0]} and {scope.id}",
                    decl.span, notes=[f"first declared at {first[name][1].span}"],
                    hint="declare the same particulars, with the same types, in every agreement"))
    return problems


def _checker_for(graph, resolver, scope, name, errors) -> Checker:
    """A checker that records each use made by the term `name` as a graph edge."""
    user = node_id(scope.id, name)
    return Checker(resolver, scope, errors, lambda symbol, span: add_use(graph, user, symbol, span))
