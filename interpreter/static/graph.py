"""The clause graph: each defined term points at every term and input it uses.

It orders evaluation, finds cycles, finds unused inputs, answers `needs`, and is
what `covenant graph` draws."""
from __future__ import annotations

from typing import TYPE_CHECKING

from dsl.errors import CheckWarning, CycleProblem, Span
from dsl.limits import TERM_CHAIN
from interpreter.static.scope import Scope, Symbol

if TYPE_CHECKING:  # networkx is imported where a graph is built or searched, not on every start
    import networkx as nx


def node_id(agreement: str, name: str) -> str:
    return f"{agreement}.{name}"


def add_declarations(graph: nx.DiGraph, scope: Scope) -> None:
    """One node per input, definition and obligation of the agreement."""
    for kind, table in (("input", scope.inputs), ("definition", scope.definitions),
                        ("obligation", scope.obligations), ("norm", scope.norms)):
        for name, decl in table.items():
            citation = ""
            if kind in ("definition", "norm"):
                citation = "; ".join(str(c) for c in decl.citations)
            elif kind == "obligation":
                citation = str(decl.citation)
            graph.add_node(node_id(scope.id, name), kind=kind, agreement=scope.id, name=name,
                           span=decl.span, citation=citation, type=str(scope.declared.get(name, "")))


def add_use(graph: nx.DiGraph, user: str, symbol: Symbol, span: Span) -> None:
    """Record that `user` uses `symbol` at `span`."""
    target = symbol.qualified
    if graph.has_edge(user, target):
        graph.edges[user, target]["uses"].append(span)
    else:
        graph.add_edge(user, target, uses=[span])


def _place(graph: nx.DiGraph, node: str) -> tuple:
    span = graph.nodes[node].get("span")
    return (span.file, span.line, span.column, node) if span else ("", 0, 0, node)


def cycle_problems(graph: nx.DiGraph, limit: int = 5) -> list[CycleProblem]:
    """Each cycle as `a -> b -> a`, with the place of every use along it."""
    import networkx as nx

    problems = []
    for cycle in nx.simple_cycles(graph):
        if len(problems) == limit:
            break
        # Start at the term declared first, so the same file always gives the same message.
        first = min(range(len(cycle)), key=lambda i: _place(graph, cycle[i]))
        cycle = cycle[first:] + cycle[:first]
        ring = cycle + [cycle[0]]
        notes = [f"`{a}` uses `{b}` at {graph.edges[a, b]['uses'][0]}" for a, b in zip(ring, ring[1:])]
        first_use = graph.edges[ring[0], ring[1]]["uses"][0]
        problems.append(CycleProblem("circular definition: " + " -> ".join(ring), first_use,
                                     notes=notes, hint="one of these terms must be defined without the others"))
    return problems


def chain_problems(graph: nx.DiGraph) -> list[CycleProblem]:
    """Terms each using the next, more than TERM_CHAIN long: evaluating the first would
    go that many terms deep. Asked only of a graph without cycles."""
    import networkx as nx

    chain = nx.dag_longest_path(graph)
    if len(chain) <= TERM_CHAIN:
        return []
    shown = " -> ".join(chain[:3]) + " -> … -> " + " -> ".join(chain[-2:])
    return [CycleProblem(f"{len(chain)} terms each use the next, more than the {TERM_CHAIN} Covenant follows: "
                         f"{shown}", graph.edges[chain[0], chain[1]]["uses"][0],
                         hint="a real agreement's terms go a few levels deep; check for a generated or "
                              "repeated chain of definitions")]


def unused_inputs(graph: nx.DiGraph, exempt: set[str] = frozenset()) -> list[CheckWarning]:
    """Inputs that no rule (nor a condition of effectiveness, `exempt`) uses: likely a
    forgotten clause or a misspelling."""
    return [CheckWarning(f"input `{data['name']}` of {data['agreement']} is never used", data["span"],
                         hint="use it in a rule, or delete it")
            for node, data in graph.nodes(data=True)
            if data.get("kind") == "input" and graph.in_degree(node) == 0 and node not in exempt]


def focus(graph: nx.DiGraph, center: str) -> nx.DiGraph:
    """The part of the graph around `center`: it, everything it uses (directly or
    through other terms) and everything that uses it."""
    import networkx as nx

    return graph.subgraph({center} | nx.descendants(graph, center) | nx.ancestors(graph, center))


def inputs_deciding(graph: nx.DiGraph, node: str) -> list[str]:
    """Every input that `node` depends on, directly or through other terms."""
    import networkx as nx

    return sorted(n for n in nx.descendants(graph, node) | {node}
                  if graph.nodes[n].get("kind") == "input")
