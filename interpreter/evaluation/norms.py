"""Answering a proposed action: permitted, prohibited, needs approval, or undecided,
with every norm that decided it and every exception that did or did not apply."""
from __future__ import annotations

import json
from dataclasses import dataclass

import yaml

from dsl import ast
from dsl.errors import FactProblem, UsageProblem
from interpreter.evaluation.derivation import Derivation
from interpreter.evaluation.evaluator import Evaluator
from interpreter.evaluation.fact_yaml import node_span
from interpreter.evaluation.facts import convert, mapping_items, parse_yaml
from interpreter.static.scope import suggest
from interpreter.evaluation.values import Unknown, merge_unknown
from interpreter.versions.lineage import in_force


@dataclass(frozen=True)
class NormOutcome:
    """One norm, evaluated for the action: does it apply?"""

    agreement: str
    norm: ast.Norm
    derivation: Derivation

    @property
    def applies(self) -> bool | Unknown:
        value = self.derivation.value
        return value if isinstance(value, Unknown) else value is True


@dataclass(frozen=True)
class Verdict:
    """The answer to a proposed action. `status`: permitted, prohibited,
    needs_approval or undecided."""

    action: str
    status: str
    approvals: tuple[str, ...]
    outcomes: tuple[NormOutcome, ...]
    needs: tuple[str, ...]

    @property
    def deciding(self) -> tuple[NormOutcome, ...]:
        """The norms that decided the answer: those that apply or cannot be decided."""
        return tuple(o for o in self.outcomes if o.applies is not False)


def inline_action(words: list[str]) -> yaml.Node:
    """An action typed as words, `KIND key=value ...` (as `covenant ask` and the REPL's
    `:ask` take it), as the YAML node an action file would give: `read_action` reads it."""
    kind, pairs = words[0], words[1:]
    lines = [f"action: {json.dumps(kind)}"]
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UsageProblem(f"`{pair}` is not a particular of the action",
                               hint="write particulars as key=value, e.g. date=2001-06-01 or transferee=[affiliate]")
        text = value.strip()
        # A list is written as YAML writes one on a line, `[a, b]`; anything else is
        # one value, quoted so that YAML reads it as written.
        if text.lower() in ("none", "null", ""):
            text = "none"
        elif not (text.startswith("[") and text.endswith("]") and "\n" not in text):
            text = json.dumps(value)
        lines.append(f"{json.dumps(key)}: {text}")
    return parse_yaml("\n".join(lines), "<command line>")


def read_action(node: yaml.Node, file: str, model) -> tuple[str, dict]:
    """An action from YAML: `action: KIND` and its particulars, checked against the
    action's declaration."""
    if node is None:
        raise UsageProblem(f"{file}: the action file is empty",
                           hint="write `action: KIND` and the particulars, one `key: value` per line")
    items = {k: v for k, _, v in mapping_items(node, file, "an action")}
    if "action" not in items:
        raise UsageProblem(f"{file}: the action does not say what it is",
                           hint="start it with `action: transfer` (or another declared action)")
    written = items.pop("action")
    if not isinstance(written, yaml.ScalarNode):
        raise FactProblem("`action` must be the name of a kind of action, e.g. `action: transfer`",
                          node_span(written, file))
    kind = written.value
    declared = {name: scope for scope in model.scopes.values() for name in scope.actions}
    if kind not in declared:
        raise UsageProblem(f"no agreement loaded declares the action `{kind}`",
                           hint=suggest(kind, declared) or f"actions declared: {', '.join(declared) or 'none'}")
    typ = declared[kind].types[kind]
    mapping = yaml.MappingNode("tag:yaml.org,2002:map",
                               [(k, v) for k, v in node.value if k.value != "action"],
                               node.start_mark, node.end_mark)
    return kind, convert(mapping, typ, False, file, kind, frozenset(declared[kind].parties))


def decide(evaluator: Evaluator, kind: str) -> Verdict:
    """Evaluate every norm about actions of `kind`, in every agreement in force on the
    evaluation date (a restated agreement gives way to its restatement)."""
    outcomes = []
    for scope in evaluator.model.scopes.values():
        if not in_force(evaluator.model.deal, scope.id, evaluator.as_of):
            continue
        for name, norm in scope.norms.items():
            if norm.action == kind:
                outcomes.append(NormOutcome(scope.id, norm, evaluator.derive(scope.id, name)))
    barring = [o for o in outcomes if o.norm.kind in ("prohibit", "require")]
    undecided = [o.applies for o in outcomes if isinstance(o.applies, Unknown)
                 and o.norm.kind != "permit"]
    approvals = tuple(dict.fromkeys(o.norm.body for o in outcomes
                                    if o.norm.kind == "approval" and o.applies is True))
    needs = tuple(sorted(merge_unknown(*undecided).needs))
    if any(o.applies is True for o in barring):
        status = "prohibited"
    elif undecided:
        status = "undecided"
    elif approvals:
        status = "needs_approval"
    else:
        status = "permitted"
    return Verdict(kind, status, approvals, tuple(outcomes), needs)
