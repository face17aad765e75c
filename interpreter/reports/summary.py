"""The first answer worth reading: what is known, then the facts that are missing,
ranked by how many of the unknown answers each would help decide."""
from __future__ import annotations

from dataclasses import dataclass

from interpreter.evaluation.derivation import Derivation
from interpreter.evaluation.values import Unknown


@dataclass(frozen=True)
class MissingFact:
    """A fact not given that some unknown answers need."""

    name: str
    type: str
    required: bool          # declared without `optional` or a default
    decides: tuple[str, ...]  # the unknown terms that need it


def missing_facts(results: list[Derivation], model) -> list[MissingFact]:
    """Every fact the unknown results need, the one needed by most terms first."""
    needed: dict[str, list[str]] = {}
    for d in results:
        if isinstance(d.value, Unknown):
            for fact in d.needs:
                needed.setdefault(fact, []).append(d.name)
    facts = []
    for fact, terms in needed.items():
        decl, typ = _declaration(model, fact)
        facts.append(MissingFact(fact, typ, decl is not None and not decl.optional and decl.default is None,
                                 tuple(terms)))
    return sorted(facts, key=lambda f: (-len(f.decides), f.name))


def subterm_counts(derivation: Derivation) -> dict[str, int]:
    """For one answer: how many unknown steps of its derivation each missing fact feeds."""
    counts: dict[str, int] = {}
    seen: set[str] = set()
    stack = [derivation]
    while stack:
        d = stack.pop()
        if d.name in seen:
            continue
        seen.add(d.name)
        for fact in d.needs:
            counts[fact] = counts.get(fact, 0) + 1
        stack.extend(d.children)
    return counts


def _declaration(model, fact: str):
    """The input a name in `needs` refers to (plain or qualified), and its type as text."""
    owner, _, name = fact.rpartition(".")
    for scope in model.scopes.values():
        if (not owner or owner == scope.id) and name in scope.inputs:
            return scope.inputs[name], str(scope.declared[name])
    return None, "a particular of the proposed action" if fact.startswith("the proposed") else "fact"


def summary_lines(results: list[Derivation], model, shown: int = 8) -> list[str]:
    """One short paragraph on what is not known yet."""
    unknown = [d for d in results if isinstance(d.value, Unknown)]
    if not unknown:
        return []
    missing = missing_facts(results, model)
    lines = [f"Not known yet: {len(unknown)} term{'s' if len(unknown) != 1 else ''}. "
             + ("Missing facts, by how many of them each would help decide:" if missing else
                "They need no fact: see `covenant explain`.")]
    for fact in missing[:shown]:
        terms = [t.split(".", 1)[1] for t in fact.decides]
        listed = ", ".join(terms[:3]) + (f" and {len(terms) - 3} more" if len(terms) > 3 else "")
        lines.append(f"  {fact.name} ({fact.type}{', required' if fact.required else ''}): "
                     f"{len(terms)} term{'s' if len(terms) != 1 else ''} ({listed})")
    if len(missing) > shown:
        lines.append(f"  ... and {len(missing) - shown} more facts")
    lines.append("`--all` lists every term; `covenant needs NAME --facts F` shows what one term needs.")
    return lines
