"""Terms compiled into generated Python source: a definition's rule or `first` table,
and the exceptions attached to a term, written out by `codegen.Writer` as one
function each. Where a table row or an exception cannot be decided, the generated
code hands over to the closures of `compiled.py`, which compute what every
candidate allows; they are pure, so starting over there gives the same answer."""
from __future__ import annotations

from dsl import ast
from interpreter.evaluation.codegen import Writer
from interpreter.evaluation.semantics import as_declared, exception_label
from interpreter.static import types as T


def generate_term(rows, scope, deal, widen: T.Type | None, undecided, nothing: tuple, exceptions=None, pinned=None):
    """A function `term(env)` giving (value, citation, deciding rule) of a term whose
    body is `rows`, each (condition or None, value, citation, why when taken): the
    first row whose condition holds. `widen` is the declared type a whole number is
    widened to (None: not widened); `undecided(number)` gives the function of (env,
    condition) for when row `number`'s condition is unknown; `nothing` is the outcome
    when no row applies; `exceptions(env, value)` gives the outcome of an exception
    that changes the value, or None. With `pinned`, (the term's key, the function
    giving its outcome from the explaining evaluator), the function hands the term,
    when the facts pin it, to that function."""
    writer = Writer(scope, deal)
    settle = writer.constant(_settled(exceptions, widen))
    for number, (condition, value, citation, why) in enumerate(rows, 1):
        if condition is None:
            _finish(writer, value, citation, why, widen, exceptions)
            break
        test = writer.value(condition, {})
        with writer.block(f"if {test} is True:"):
            _finish(writer, value, citation, why, widen, exceptions)
        with writer.block(f"if {test}.__class__ is _U:"):
            writer.line(f"return {settle}(env, {writer.constant(undecided(number))}(env, {test}))")
    else:
        writer.line(f"return {settle}(env, {writer.constant(nothing)})")
    return writer.function("term", "env", scope, rows[0][1].span, pinned)


def _finish(writer: Writer, value: ast.Expr, citation: str, why: str, widen: T.Type | None, exceptions) -> None:
    """Return the outcome of a row that applies: its value (widened to the declared
    type), unless an exception changes it."""
    result = writer.value(value, {})
    if exceptions is not None:
        changed = writer.fresh()
        writer.line(f"{changed} = {writer.constant(exceptions)}(env, {result})")
        writer.line(f"if {changed} is not None: return {writer.constant(_settled(None, widen))}(env, {changed})")
    result = writer.widened(result, widen)
    writer.line(f"return {result}, {citation!r}, {why!r}")


def _settled(exceptions, typ: T.Type | None):
    """The outcome of the term from its base outcome: changed by an exception (if
    `exceptions` is given), widened (if `typ` is)."""
    def settled(env, outcome: tuple) -> tuple:
        if exceptions is not None:
            outcome = exceptions(env, outcome[0]) or outcome
        return outcome if typ is None else (as_declared(outcome[0], typ), *outcome[1:])
    return settled


def generate_exceptions(rules, scope, deal, consult):
    """A function `exceptions(env, base)`: the outcome of the first exception (of
    `rules`, highest priority first) that applies and changes the known value `base`,
    or None. The common path is written out: each priority level's conditions in
    turn, skipping the rest once every exception left would give `base` anyway. Where
    a condition is unknown, or two exceptions of one level apply, the closure
    `consult` decides."""
    writer = Writer(scope, deal)
    index, fallback = 0, writer.constant(consult)
    while index < len(rules):
        level = [r for r in rules[index:] if r.priority == rules[index].priority]
        later = rules[index:]
        if all(isinstance(r.value, ast.Literal) and r.value.kind != "none" for r in later):
            same = " and ".join(f"base.__class__ is {writer.constant(type(r.value.value))} and base == "
                                f"{writer.constant(r.value.value)}" for r in later)
            writer.line(f"if {same}: return None")
        tests = []
        for rule in level:
            test = writer.truth(writer.value(rule.condition, {}))
            writer.line(f"if {test}.__class__ is _U: return {fallback}(env, base)")
            tests.append(test)
        if len(level) == 1:
            rule = level[0]
            with writer.block(f"if {tests[0]} is True:"):
                writer.line(f"return {writer.value(rule.value, {})}, {str(rule.citation)!r}, "
                            f"{exception_label(rule)!r}")
        else:
            writer.line(f"if {' or '.join(f'{t} is True' for t in tests)}: return {fallback}(env, base)")
        index += len(level)
    writer.line("return None")
    return writer.function("exceptions", "env, base", scope, rules[0].span)
