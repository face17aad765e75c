"""Coverage: every numbered section of every agreement, with what became of it."""
from __future__ import annotations

from dataclasses import dataclass

from interpreter.model import Model


@dataclass(frozen=True)
class SectionCoverage:
    agreement: str
    number: str
    title: str
    status: str  # encoded, boilerplate, not_encoded, empty (a heading with nothing under it)
    names: tuple[str, ...]
    note: str | None


def coverage(model: Model) -> list[SectionCoverage]:
    """Each section heading in order, with the names encoded under it."""
    rows = []
    for scope in model.scopes.values():
        agreement = scope.agreement
        under: dict[str | None, list[str]] = {}
        for decl in (*agreement.definitions, *agreement.obligations, *agreement.norms, *agreement.exceptions):
            name = getattr(decl, "name", None) or f"exception to {decl.target}"
            under.setdefault(decl.section, []).append(name)
        for section in agreement.sections:
            names = tuple(under.get(section.number, ()))
            status = section.status
            if status == "encoded" and not names:
                status = "empty"
            rows.append(SectionCoverage(scope.id, section.number, section.title, status, names, section.note))
    return rows
