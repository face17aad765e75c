"""The clause graph drawn as Graphviz DOT, Mermaid or JSON."""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

FORMATS = ("dot", "mermaid", "json")
_SHAPES = {"input": "ellipse", "definition": "box", "obligation": "hexagon"}


def _label(node: str, data: dict) -> str:
    citation = f"\\n{data['citation']}" if data.get("citation") else ""
    return f"{node}{citation}"


def to_dot(graph: nx.DiGraph) -> str:
    lines = ["digraph covenant {", "  rankdir=LR;"]
    for node, data in sorted(graph.nodes(data=True)):
        label = _label(node, data).replace('"', '\\"')
        lines.append(f'  "{node}" [label="{label}", shape={_SHAPES.get(data.get("kind"), "box")}];')
    for a, b in sorted(graph.edges):
        lines.append(f'  "{a}" -> "{b}";')
    lines.append("}")
    return "\n".join(lines)


def to_mermaid(graph: nx.DiGraph) -> str:
    ids = {node: f"n{i}" for i, node in enumerate(sorted(graph.nodes))}
    lines = ["flowchart LR"]
    for node, data in sorted(graph.nodes(data=True)):
        text = _label(node, data).replace("\\n", "<br/>").replace('"', "'")
        open_, close = ("([", "])") if data.get("kind") == "input" else ("[", "]")
        lines.append(f'  {ids[node]}{open_}"{text}"{close}')
    for a, b in sorted(graph.edges):
        lines.append(f"  {ids[a]} --> {ids[b]}")
    return "\n".join(lines)


def to_json(graph: nx.DiGraph) -> str:
    nodes = [{"id": n, "kind": d.get("kind"), "type": d.get("type"), "citation": d.get("citation"),
              "at": str(d["span"]) if "span" in d else None} for n, d in sorted(graph.nodes(data=True))]
    edges = [{"from": a, "to": b, "uses": [str(s) for s in d["uses"]]}
             for a, b, d in sorted(graph.edges(data=True))]
    return json.dumps({"nodes": nodes, "edges": edges}, indent=2)


def render(graph: nx.DiGraph, fmt: str) -> str:
    return {"dot": to_dot, "mermaid": to_mermaid, "json": to_json}[fmt](graph)
