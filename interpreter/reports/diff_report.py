"""Rendering a diff: text for people, Markdown for a memo, JSON for tools."""
from __future__ import annotations

import dataclasses

from interpreter.reports.diff import Edit, Impact, ValueChange

_SIGN = {"insert": "+", "remove": "-", "update": "~"}
_VERB = {"insert": "added", "remove": "removed", "update": "changed"}


def _plain(node: str) -> str:
    """A graph node `agreement.term` as its term."""
    return node.split(".", 1)[1]


def _edit_title(edit: Edit) -> str:
    title = f"{edit.part} {edit.key}"
    if edit.part == "section":
        title += f" \"{edit.new or edit.old}\""
    if edit.provenance:
        title += f"  [by {edit.provenance}]"
    return title


def _edit_details(edit: Edit) -> list[str]:
    if edit.details:
        return list(edit.details)
    if edit.part in ("section", "input"):
        return []  # a heading or an input declaration reads well enough from its title
    if edit.op == "insert":
        return [edit.new]
    if edit.op == "remove":
        return [edit.old]
    return []


def text(old: str, new: str, edits: list[Edit], impact: list[Impact], behaviour: list[ValueChange] | None) -> str:
    lines = [f"diff {old} -> {new}"]
    if not edits:
        lines.append("no differences")
        return "\n".join(lines)
    lines.append(f"structure: {len(edits)} change{'s' if len(edits) != 1 else ''}")
    for edit in edits:
        lines.append(f"  {_SIGN[edit.op]} {_edit_title(edit)}")
        lines += [f"      {d}" for d in _edit_details(edit)]
    lines.append(f"impact: {len(impact)} term{'s' if len(impact) != 1 else ''} of {new} may change")
    lines += [f"  {_plain(i.term)}" + ("  <- " + " <- ".join(_plain(p) for p in i.path[1:])
                                        if len(i.path) > 1 else "  (changed itself)") for i in impact]
    if behaviour is not None:
        lines.append(f"behaviour: {len(behaviour)} value{'s differ' if len(behaviour) != 1 else ' differs'}")
        for change in behaviour:
            lines.append(f"  [{change.facts}] {change.term}: {change.old} ({change.old_citation or '-'})"
                         f" -> {change.new} ({change.new_citation or '-'})")
    return "\n".join(lines)


def markdown(old: str, new: str, edits: list[Edit], impact: list[Impact], behaviour: list[ValueChange] | None) -> str:
    lines = [f"# Changes from `{old}` to `{new}`", ""]
    if not edits:
        return "\n".join(lines + ["No differences."])
    lines += ["## What the text changes", ""]
    for edit in edits:
        lines.append(f"- **{_VERB[edit.op]}** {edit.part} `{edit.key}`"
                     + (f" \"{edit.new or edit.old}\"" if edit.part == "section" else "")
                     + (f" (by {edit.provenance})" if edit.provenance else ""))
        lines += [f"  - `{d}`" for d in _edit_details(edit)]
    lines += ["", "## Terms whose value may change", ""]
    lines += [f"- `{_plain(i.term)}`" + (" — through " + " → ".join(f"`{_plain(p)}`" for p in i.path[1:])
                                          if len(i.path) > 1 else " — changed itself") for i in impact]
    if behaviour is not None:
        lines += ["", "## What changes for the facts given", ""]
        if behaviour:
            lines += ["| facts | term | before | after |", "|---|---|---|---|"]
            lines += [f"| {c.facts} | `{c.term}` | {c.old} ({c.old_citation}) | {c.new} ({c.new_citation}) |"
                      for c in behaviour]
        else:
            lines.append("No result differs for these facts.")
    return "\n".join(lines)


def as_json(old: str, new: str, edits, impact, behaviour) -> dict:
    return {"old": old, "new": new,
            "edits": [dataclasses.asdict(e) for e in edits],
            "impact": [{"term": i.term, "path": list(i.path)} for i in impact],
            "behaviour": None if behaviour is None else [dataclasses.asdict(c) for c in behaviour]}
