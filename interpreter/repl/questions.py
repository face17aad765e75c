"""Reading a question in the loaded deal: which agreement an expression is read in, which
inputs a fact names, and the facts in effect for one version of the deal."""
from __future__ import annotations

from dataclasses import dataclass, fields

import yaml

from dsl import ast
from dsl.errors import CovenantError, FactProblem, NameProblem, Span
from interpreter.evaluation.facts import FactBase, input_names, read_facts
from interpreter.repl.facts_io import read_value
from interpreter.static import types as T
from interpreter.static.deal import UnloadedInputs
from interpreter.static.model import Model, compile_deal
from interpreter.static.scope import suggest
from interpreter.versions.lineage import consolidate


@dataclass(frozen=True)
class _Setting:
    """A fact set (or unset, when `offset` is None) at the prompt: the entry as typed,
    kept so that it can be read again against a reloaded deal."""

    key: str
    entry: str
    offset: int | None


def _short(name: str, agreement: str) -> str:
    """`agreement.name` without the agreement when it is the one read in."""
    owner, _, term = name.partition(".")
    return term if owner == agreement else name


def _described_input(model: Model, name: str, agreement: str) -> str:
    """An input the answer needs, with its type."""
    scopes = model.scopes
    owner = scopes[agreement] if name in scopes[agreement].inputs else \
        next((s for s in scopes.values() if name in s.inputs), None)
    return f"{name} ({owner.declared[name]})" if owner else name


def _answers(question, model: Model) -> bool:
    """Does `question(model)` answer without a problem?"""
    try:
        question(model)
    except CovenantError:
        return False
    return True


def _reading(model: Model, qualified: str) -> ast.Reading:
    agreement, _, name = qualified.partition(".")
    return model.scopes[agreement].readings[name]


def _amended(model: Model) -> Model:
    """The deal with every amendment applied: it declares every input and reading of
    every version (amendments add inputs and readings, never take them away)."""
    if not any(a.amends for a in model.deal.agreements.values()):
        return model
    return compile_deal(consolidate(model.deal, lambda amendment: True))


def _declares(model: Model, key: str) -> bool:
    """Does the model declare the input (or define the term) a fact key names?"""
    agreement, _, name = key.rpartition(".")
    return any(name in s.inputs or name in s.definitions
               for s in model.scopes.values() if not agreement or s.id == agreement)


def input_targets(model: Model, key: str) -> list[tuple[str, str]]:
    """The (agreement, input) pairs a fact key names: `name` in every agreement that
    declares it, `agreement.name` in that one. A defined term may be named too (a pin:
    the value given stands for what the agreement would compute)."""
    agreement, _, name = key.rpartition(".")
    if agreement:
        scope = model.scopes.get(agreement)
        if scope is None:
            raise FactProblem(f"no agreement `{agreement}` in this deal",
                              hint=suggest(agreement, model.scopes) or f"agreements: {', '.join(model.scopes)}")
        if name in scope.inputs or name in scope.definitions:
            return [(agreement, name)]
        raise _not_an_input(model, name, [scope])
    targets = [(s.id, name) for s in model.scopes.values() if name in s.inputs or name in s.definitions]
    if not targets:
        raise _not_an_input(model, name, list(model.scopes.values()))
    return targets


def _not_an_input(model: Model, name: str, scopes) -> FactProblem:
    if any(s.symbol(name) is not None for s in scopes):
        return FactProblem(f"`{name}` is not a fact or a defined term: it cannot be given",
                           hint=f"set the facts it depends on instead; `:needs {name}` lists them")
    return FactProblem(f"unknown fact `{name}`: no agreement loaded declares this input or defines this term",
                       hint=suggest(name, [n for s in scopes for n in s.inputs]) or
                       "facts are the inputs declared with `input` in the .cov files")


def _refit(model: Model, key: str, setting: _Setting) -> None:
    """Check a fact set earlier against a new deal; the error names the setting."""
    try:
        _effective(model, FactBase(), {key: setting})
    except CovenantError as error:
        raise FactProblem(f"`{key}`, set here, does not fit the deal: {error.message}",
                          hint=f"`:unset {key}` or set it again") from None


def _read_facts(model: Model, amended: Model, fact_file: str | None, fact_node: yaml.Node | None,
                settings: dict[str, _Setting]) -> FactBase:
    """The facts in effect as `model` (a version of the deal, or `amended` itself)
    reads them: the fact file's, then each setting. A fact of an input that only
    another version declares is passed over."""
    known = input_names(amended)
    file_facts = (read_facts(fact_node, fact_file, model, tolerated=known, elsewhere=UnloadedInputs(amended.deal))
                  if fact_file else FactBase())
    return _effective(model, file_facts, settings, known)


def _effective(model: Model, file_facts: FactBase, settings: dict[str, _Setting],
               known: frozenset[str] = frozenset()) -> FactBase:
    """The facts in effect: the fact file's, then each setting in the order made. An
    unset of a name the deal no longer declares has nothing left to do; a setting of
    a `known` name (an input of another version) that `model` does not declare is
    passed over."""
    facts = FactBase(dict(file_facts.values), dict(file_facts.origins), set(file_facts.pinned))
    for setting in settings.values():
        if not _declares(model, setting.key) and (setting.offset is None or setting.key in known):
            continue
        for agreement, name in input_targets(model, setting.key):
            key = f"{agreement}.{name}"
            facts.pinned.discard(key)
            if setting.offset is None:
                facts.values.pop(key, None)
                facts.origins.pop(key, None)
                continue
            scope = model.scopes[agreement]
            decl = scope.inputs.get(name)
            facts.values[key] = read_value(setting.entry, setting.offset, scope.declared[name],
                                           decl.optional if decl else True, setting.key, frozenset(scope.parties))
            facts.origins.pop(key, None)
            if decl is None:  # a pinned term: where it was given, for `:explain`
                facts.pinned.add(key)
                facts.origins[key] = Span("the prompt (:set)", 0, 0, 0, 0)  # line 0: no line to cite
    return facts


def reading_agreement(model: Model, expr: ast.Expr, preferred: str | None = None) -> str:
    """The agreement an expression is read in: the only one loaded; else the one that
    declares (or qualifies) the first name the expression uses that only one agreement
    declares, or that several declare and `preferred` is one of; else `preferred`, or
    one that declares the type it names, or the first agreement. A name several
    agreements declare, with nothing else to decide, must be qualified."""
    if len(model.scopes) == 1:
        return next(iter(model.scopes))
    local = {c.variable: T.ANY for c in _nodes(expr, ast.Comprehension)}
    uses = _nodes(expr, (ast.Name, ast.Attribute))
    ambiguous: NameProblem | None = None
    fallback: str | None = None
    for node in sorted(uses, key=lambda n: (n.span.start, isinstance(n, ast.Name))):
        if isinstance(node, ast.Attribute):
            if isinstance(node.base, ast.Name) and node.base.id in model.scopes:
                return node.base.id
            continue
        owners = [s.id for s in model.scopes.values() if s.symbol(node.id) is not None]
        typed = [s.id for s in model.scopes.values() if node.id in s.types]
        if typed and not owners:
            fallback = fallback or typed[0]  # `Enum.member`: any agreement declaring the type reads it
            continue
        if len(owners) == 1:
            return owners[0]
        if preferred in owners:
            return preferred
        if owners:
            ambiguous = ambiguous or NameProblem(
                f"`{node.id}` is a term of several agreements: {', '.join(owners)}",
                node.span, hint=f"qualify it, e.g. `{owners[0]}.{node.id}`")
        elif node.id not in model.scopes and not _known(model, node, local):
            every = [n for s in model.scopes.values() for n in s.names()]
            raise NameProblem(f"unknown name `{node.id}` in this deal", node.span,
                              hint=suggest(node.id, every) or "`:help` shows what can be asked")
    if ambiguous:
        raise ambiguous
    if preferred in model.scopes:
        return preferred
    if not model.scopes:
        raise NameProblem("no agreement of the deal is in force on this date",
                          hint="an agreement is in force from its date; `:asof` a later date")
    return fallback or next(iter(model.scopes))


def _known(model: Model, node: ast.Name, local: dict) -> bool:
    """Does some agreement of the deal know this name (a value, a party, a member...)?"""
    for scope in model.scopes.values():
        try:
            model.resolver.name(scope, node, local)
            return True
        except CovenantError:
            continue
    return False


def _nodes(node, kinds) -> list:
    """Every node of the given kinds in an expression."""
    found = [node] if isinstance(node, kinds) else []
    for item in fields(node):
        value = getattr(node, item.name)
        for child in (value if isinstance(value, tuple) else (value,)):
            if isinstance(child, ast.Node):
                found.extend(_nodes(child, kinds))
    return found
