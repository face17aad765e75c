"""A derivation: how one value was reached, for `explain`, the REPL and diffs."""
from __future__ import annotations

from dataclasses import dataclass

from interpreter.evaluation.values import Unknown
from interpreter.static import types as T


@dataclass(frozen=True)
class Derivation:
    """How one value was reached: the rule that decided it, with the facts and
    the other terms it used."""

    name: str
    value: object
    type: T.Type
    citation: str
    rule: str
    decided_by: str
    inputs: tuple[tuple[str, object, T.Type], ...] = ()
    children: tuple["Derivation", ...] = ()
    notes: tuple[str, ...] = ()
    # A pinned term: where its value was given, and what the agreement would compute
    # from the facts instead (None when it could not be computed).
    given_at: str = ""
    computed: "Derivation | None" = None

    @property
    def needs(self) -> list[str]:
        return sorted(self.value.needs) if isinstance(self.value, Unknown) else []
