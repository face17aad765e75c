"""The consolidated text of an agreement as in force on a date, in the language itself,
each part marked with the document that last changed it."""
from __future__ import annotations

from dsl import ast
from interpreter.versions.lineage import part_key


def _source(node, sources: dict) -> str:
    span = node.span
    return sources.get(span.file, "")[span.start:span.end]


def consolidated_text(agreement: ast.Agreement, sources: dict, as_of) -> str:
    """The agreement's declarations in order of sections, amended parts marked."""
    marks = dict(agreement.amended_by)
    origin = f"# {agreement.id} as in force on {as_of}"
    origin += f"; amended by {', '.join(sorted({m.split(' §')[0] for m in marks.values()}))}" if marks else ""
    lines = [origin, _source(agreement, sources).rstrip(), ""]

    def emit(node, indent: str = "") -> None:
        key = part_key(node)
        if key in marks:
            lines.append(f"{indent}# changed by {marks[key]}")
        lines.append(indent + _source(node, sources).rstrip())

    for group in (agreement.types, agreement.actions, agreement.inputs):
        for node in group:
            emit(node)
        if group:
            lines.append("")
    placed = (*agreement.definitions, *agreement.obligations, *agreement.norms, *agreement.exceptions,
              *agreement.readings)
    ordered = sorted(placed, key=lambda n: (n.span.file != agreement.path, n.span.file, n.span.start))
    for section in agreement.sections:
        mark = marks.get(f"§ {section.number}")
        if mark:
            lines.append(f"# changed by {mark}")
        status = {"boilerplate": f" boilerplate \"{section.note}\"",
                  "not_encoded": f" not_encoded \"{section.note}\""}.get(section.status, "")
        lines.append(f"§ {section.number} \"{section.title}\"{status}")
        for node in ordered:
            if getattr(node, "section", None) == section.number:
                emit(node, "  ")
        lines.append("")
    for node in ordered:
        if getattr(node, "section", None) is None:
            emit(node)
    present = {part_key(n) for n in (*agreement.sections, *placed, *agreement.inputs, *agreement.types,
                                     *agreement.actions)}
    gone = [f"# deleted: {key} (by {mark})" for key, mark in agreement.amended_by if key not in present]
    if gone:
        lines += ["", *gone]
    return "\n".join(lines).rstrip() + "\n"
