"""Expressions compiled into generated Python source: the fast back end's hot path.

`generate(expr, …)` writes one Python function for an expression, with its
operators, names and builtin calls inlined as straight-line code, and compiles it
with `compile()`. The generated code takes the common path itself — numbers, dates
and text as they are — behind a guard on each operand's class, and hands any other
operand (`none`, an unknown with its bounds, a duration, a list) to the value-level
functions of `compiled_expr`, which hold the full rules. Forms it does not write
out (schedules, calendar functions, series, an `if` whose condition is unknown) are
the closures of `compiled_expr`, called from the generated code. So the answers are
those of the closures, and of the explaining evaluator, by construction; a test runs
every back end over every scenario and example."""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import fields

from dsl import ast
from dsl.errors import CovenantError
from interpreter.evaluation.builtins import BUILTINS
from interpreter.evaluation.codegen_runtime import NAMESPACE, member_of, negated
from interpreter.evaluation import compiled_time
from interpreter.evaluation.compiled_expr import (
    PLAIN, NotCompiled, binary_values, call_values, compile_expr, expression_size, item_steps)
from interpreter.evaluation.semantics import as_declared, widening
from interpreter.evaluation.values import NONE, Unknown, member_value
from interpreter.static import types as T

_OPERATOR = {"<": "<", "<=": "<=", ">": ">", ">=": ">=", "==": "==", "!=": "!=", "+": "+", "-": "-", "*": "*"}


def generate(expr: ast.Expr, scope, deal):
    """A function `f(env, loc)` computing `expr` read in `scope` of the compiled deal
    `deal` (at the top of a term: no comprehension variables). Raises NotCompiled where
    `compile_expr` would."""
    writer = Writer(scope, deal)
    writer.line(f"return {writer.value(expr, {})}")
    return writer.function("expression", "env, loc", scope, expr.span)


class Writer:
    """Writes the statements of one generated function; `value` returns the Python
    expression (a variable or a constant) holding a sub-expression's value."""

    def __init__(self, scope, deal):
        """`deal` is the CompiledDeal: its model, `reader(agreement, name)` giving the
        closure that reads a term, and `cell(agreement, name)` the cell holding the
        function that computes a term's outcome."""
        self.scope, self.model, self.resolver, self.term_ref = scope, deal.model, deal.model.resolver, deal.reader
        self.cell, self.readings = deal.cell, deal.readings
        self.inlined = 0  # how deep the term being written is inlined in another
        self.loops = 0  # how many comprehensions the code being written is inside
        self.once = False  # writing an expression computed once for a whole comprehension
        self.preamble: list[str] = []  # lines at the top of the function
        self.env_parts: set[str] = set()  # what of the evaluation the code reads: pinned, values, memo
        self.lines: list[str] = []
        self.constants: dict[str, object] = {}
        self.depth = 1
        self.count = 0
        self.never_none: set[str] = set()  # variables holding true, false or unknown
        self.read: list[dict] = [{}]  # what has been read or computed, by block: see `reading` and `value`

    # -- writing ----------------------------------------------------------------
    def function(self, name: str, parameters: str, scope, span, pinned=None):
        """The statements written, compiled as the function `name(parameters)`; with
        `pinned` (see `generate_term`), after the check for a pin."""
        lines = []
        if pinned is not None:
            key, explained = pinned
            self.constants["_explained"] = explained
            lines.append(f"if {key!r} in env.pinned: return _explained(env)")
        lines += [f"{part} = env.{part}" for part in ("pinned", "values", "memo") if part in self.env_parts]
        lines += [*self.preamble, *(line[4:] for line in self.lines)]
        source = f"def {name}({parameters}):\n" + "".join(f"    {line}\n" for line in lines)
        namespace = {**NAMESPACE, **self.constants}
        try:
            code = compile(source, f"<covenant {scope.id}: {span}>", "exec")
        except (SyntaxError, RecursionError, MemoryError):  # nested deeper than Python compiles
            raise NotCompiled("nested too deeply for generated code") from None
        exec(code, namespace)
        function = namespace[name]
        function.source = source  # for reading when debugging
        function.checks_pin = pinned is not None
        return function

    def line(self, text: str) -> None:
        self.lines.append("    " * self.depth + text)

    @contextmanager
    def block(self, header: str):
        self.line(header)
        self.depth += 1
        self.read.append({})
        mark = len(self.lines)
        yield
        if len(self.lines) == mark:
            self.line("pass")
        self.read.pop()
        self.depth -= 1

    def reading(self, what: str) -> tuple[str, bool]:
        """The variable holding `what` (a term, an input, the date) where it has been
        read already in this block or an enclosing one — reading is pure, so it is
        read once — and whether it has; else a new variable for it."""
        for known in reversed(self.read):
            if what in known:
                return known[what], True
        target = self.read[-1][what] = self.fresh()
        return target, False

    def fresh(self, stem: str = "t") -> str:
        self.count += 1
        return f"{stem}{self.count}"

    def constant(self, value) -> str:
        name = f"_k{len(self.constants)}"
        self.constants[name] = value
        return name

    def guard(self, operands: list[str], test: str) -> str:
        """`test` (a format of one operand) for each operand not a plain constant: the
        condition for the common path."""
        tests = [test.format(o) for o in operands if self.constants.get(o, self).__class__ not in PLAIN]
        return " and ".join(tests) or "True"

    def closure(self, expr: ast.Expr, loc: dict[str, str]) -> str:
        """Call the closure `compile_expr` makes of `expr`, with the variables in scope."""
        target = self.fresh()
        self.line(f"{target} = {self.closure_of(expr, loc)}(env, {_loc_dict(loc)})")
        return target

    def closure_of(self, expr: ast.Expr, loc: dict[str, str]) -> str:
        """The closure `compile_expr` makes of `expr`, as a constant of the function."""
        return self.constant(compile_expr(expr, self.scope, self.resolver, frozenset(loc), self.term_ref))

    def choose(self, target: str, branches: list[tuple[str, str]], otherwise: str) -> None:
        """`target` set to the value of the first branch whose condition holds, else to
        `otherwise` (conditions and values Python expressions of what is computed)."""
        for number, (condition, value) in enumerate(branches):
            with self.block(f"{'elif' if number else 'if'} {condition}:"):
                self.line(f"{target} = {value}")
        with self.block("else:"):
            self.line(f"{target} = {otherwise}")

    def truth(self, value: str) -> str:
        """A condition's value: `none` counts as false (in a new variable, unless the
        value is one that is never `none`)."""
        if value in self.never_none:
            return value
        target = self.fresh()
        self.line(f"{target} = False if {value} is _NONE else {value}")
        return target

    def bounded(self, target: str, span) -> None:
        """The limit of exact numbers, checked inline for a plain number."""
        self.line(f"if (not _LOW_D < {target} < _HIGH_D) if {target}.__class__ is _D else "
                  f"({target}.__class__ is _int and not _LOW < {target} < _HIGH or {target}.__class__ is _DURATION): "
                  f"{target} = _bounded({target}, {self.constant(span)})")

    def count_steps(self, steps: str) -> None:
        """`steps` (a Python expression) more taken, as `compiled_expr.count_steps`
        counts them, written out inline."""
        self.line(f"env.steps += {steps}")
        self.line("if env.steps > _STEPS: raise _OverSteps")

    # -- expressions ------------------------------------------------------------
    def value(self, expr: ast.Expr, loc: dict[str, str]) -> str:
        """The variable holding `expr`'s value once the statements written compute it.
        An expression computed already where this one is reached (written the same
        way, with the same comprehension variables) is not computed again: expressions
        are pure."""
        if isinstance(expr, ast.Literal):
            return self._literal(expr, loc)
        key = self.scope.id, repr(expr), tuple(loc.items())  # repr, not ==: 1.0 and 1 are equal, not the same
        for known in reversed(self.read):
            if key in known:
                return known[key]
        if self.loops and not self.once and not isinstance(expr, ast.Name) and not _names(expr) & loc.keys():
            result = self._once(expr, loc)
        else:
            result = self._written(expr, loc)
        self.read[-1][key] = result
        return result

    def _written(self, expr: ast.Expr, loc) -> str:
        """`expr` written out by the method for its kind of node, or its closure called."""
        method = getattr(self, "_" + type(expr).__name__.lower(), None)
        return self.closure(expr, loc) if method is None else method(expr, loc)

    def _once(self, expr: ast.Expr, loc) -> str:
        """An expression inside a comprehension that reads none of its variables:
        computed when first reached, then kept for the comprehension's other items
        (and any other comprehension in the function) — pure, so the same value."""
        kept = self.fresh("once")
        self.preamble.append(f"{kept} = _UNSET")
        with self.block(f"if {kept} is _UNSET:"):
            self.once = True
            try:
                value = self._written(expr, loc)
            finally:
                self.once = False
            self.line(f"{kept} = {value}")
        if value in self.never_none:
            self.never_none.add(kept)
        return kept

    def _literal(self, expr: ast.Literal, loc) -> str:
        return self.constant(NONE if expr.kind == "none" else expr.value)

    def _name(self, expr: ast.Name, loc) -> str:
        return self._symbol(self.resolver.name(self.scope, expr, dict.fromkeys(loc, T.ANY)), expr, loc)

    def _attribute(self, expr: ast.Attribute, loc) -> str:
        symbol = self.resolver.qualified(self.scope, expr, dict.fromkeys(loc, T.ANY))
        if symbol is not None:
            return self._symbol(symbol, expr, loc)
        base, target, name = self.value(expr.base, loc), self.fresh(), repr(expr.name)
        with self.block(f"if {base}.__class__ is _dict:"):
            self.line(f"{target} = {base}.get({name}, _NONE)")
        with self.block(f"elif {base}.__class__ is tuple:"):  # the field of every element of a list
            self.line(f"{target} = tuple([x.get({name}, _NONE) if x.__class__ is _dict else _field_of(x, {name}) "
                      f"for x in {base}])")
        with self.block("else:"):
            self.line(f"{target} = _field_of({base}, {name})")
        return target

    def _symbol(self, symbol, expr, loc) -> str:
        kind, name = symbol.kind, symbol.name
        if kind == "local":
            return loc[name]
        if kind in ("member", "party"):
            return self.constant(member_value(name, symbol.type) if kind == "member" else name)
        if kind == "builtin" and name != "as_of":  # the agreement's date
            return self.closure(expr, loc)
        target, done = self.reading(f"{symbol.agreement}.{name}" if kind != "builtin" else name)
        if not done:
            getattr(self, f"_read_{kind if kind in ('input', 'action', 'builtin') else 'term'}")(symbol, target)
        return target

    def _read_term(self, symbol, target: str) -> None:
        """A definition, obligation or norm: its outcome computed once per evaluation,
        by the term's own function; a short rule is written out here instead (unless
        the facts pin the term), and its outcome kept as the function would keep it."""
        key, cell = repr(f"{symbol.agreement}.{symbol.name}"), self.constant(self.cell(symbol.agreement, symbol.name))
        self.env_parts.add("memo")
        self.line(f"{target} = memo.get({key})")
        rule = self._short_rule(symbol)
        if rule is not None:
            state = len(self.lines), self.depth, [dict(known) for known in self.read], self.scope, self.inlined
            try:
                return self._inline(symbol, rule, key, cell, target)
            except (NotCompiled, CovenantError):  # its own function leaves it to the explaining evaluator
                mark, self.depth, self.read, self.scope, self.inlined = state
                del self.lines[mark:]
        self.line(f"if {target} is None: {target} = memo[{key}] = {cell}[0](env)")
        self.line(f"{target} = {target}[0]")

    def _inline(self, symbol, rule: ast.Rule, key: str, cell: str, target: str) -> None:
        scope = self.model.scopes[symbol.agreement]
        self.env_parts.add("pinned")
        with self.block(f"if {target} is None:"):
            with self.block(f"if {key} in pinned:"):
                self.line(f"{target} = memo[{key}] = {cell}[0](env)")
                self.line(f"{target} = {target}[0]")
            with self.block("else:"):
                outer, self.scope = self.scope, scope
                self.inlined += 1
                value = self.widened(self.value(rule.value, {}), widening(scope.declared[symbol.name]))
                self.inlined -= 1
                self.scope = outer
                self.line(f"memo[{key}] = {value}, {str(rule.citation)!r}, 'the rule'")
                self.line(f"{target} = {value}")
        with self.block("else:"):
            self.line(f"{target} = {target}[0]")

    def _short_rule(self, symbol) -> ast.Rule | None:
        """The rule of a definition worth writing out where it is read: a short one,
        with no exceptions and no reading chosen, not itself inside two others."""
        scope = self.model.scopes[symbol.agreement]
        decl = scope.definitions.get(symbol.name) if symbol.kind == "definition" else None
        if decl is None or not isinstance(decl.body, ast.Rule) or scope.exceptions.get(symbol.name) \
                or self.inlined >= _INLINED_DEPTH or expression_size(decl.body.value) > _INLINED_SIZE:
            return None
        if any(r.target == symbol.name and f"{scope.id}.{r.name}" in self.readings for r in scope.readings.values()):
            return None
        return decl.body

    def widened(self, result: str, widen: T.Type | None) -> str:
        """`result` widened to the declared type `widen`: a whole number where a decimal
        quantity is declared is that Decimal (None: not widened)."""
        if widen is None:
            return result
        if widen.kind == "list":
            return f"{self.constant(as_declared)}({result}, {self.constant(widen)})"
        widened = self.fresh()
        self.line(f"{widened} = _D({result}) if {result}.__class__ is _int else {result}")
        return widened

    def _read_input(self, symbol, target: str) -> None:
        """A fact; one not given is unknown, or its default (computed once per evaluation)."""
        key = f"{symbol.agreement}.{symbol.name}"
        self.env_parts.add("values")
        if self.model.scopes[symbol.agreement].inputs[symbol.name].default is None:
            self.line(f"{target} = values.get({key!r}, {self.constant(Unknown(frozenset({symbol.name})))})")
            return
        absent, read = self.constant(object()), self.constant(self.term_ref(symbol.agreement, symbol.name))
        self.line(f"{target} = values.get({key!r}, {absent})")
        self.line(f"if {target} is {absent}: {target} = {read}(env)")

    def _read_action(self, symbol, target: str) -> None:
        """A field of the proposed action, unknown when another action (or none) is proposed."""
        missing = self.constant(Unknown(frozenset({f"the proposed {symbol.name}"})))
        self.line(f"{target} = env.action")
        self.line(f"{target} = {target}[1] if {target} is not None and {target}[0] == {symbol.name!r} else {missing}")

    def _read_builtin(self, symbol, target: str) -> None:
        self.line(f"{target} = env.as_of")

    def _binary(self, expr: ast.Binary, loc) -> str:
        if expr.op in ("and", "or"):
            return self._logic(expr, loc)
        left, right = self.value(expr.left, loc), self.value(expr.right, loc)
        business = compiled_time.calendar_reader(self.scope, self.term_ref)
        target, apply = self.fresh(), self.constant(binary_values(expr.op, expr.span, business))
        if expr.op in ("<", "<=", ">", ">=", "==", "!="):
            self.never_none.add(target)
            # an event that did not happen: `==` and `!=` tell whether both are none, the rest is false
            none = {"==": f"{left} is {right}", "!=": f"{left} is not {right}"}.get(expr.op, "False")
            self.choose(target, [(self.guard([left, right], "{}.__class__ in _PLAIN"),
                                  f"{left} {_OPERATOR[expr.op]} {right}"),
                                 (f"{left} is _NONE or {right} is _NONE", none)], f"{apply}(env, {left}, {right})")
            return target
        if expr.op == "/":  # division: its errors and widening are the value-level function's
            self.line(f"{target} = {apply}(env, {left}, {right})")
            return target
        with self.block(f"if {self.guard([left, right], '({0}.__class__ is _D or {0}.__class__ is _int)')}:"):
            self.line(f"{target} = {left} {_OPERATOR[expr.op]} {right}")
            self.bounded(target, expr.span)
        with self.block("else:"):
            self.line(f"{target} = {apply}(env, {left}, {right})")
        return target

    def _logic(self, expr: ast.Binary, loc) -> str:
        """`and` / `or`: the right side only when the left does not decide; `none`
        counts as false; unknowns merge."""
        decisive = expr.op == "or"
        left, target = self.value(expr.left, loc), self.fresh()
        self.never_none.add(target)
        if decisive:
            opening = f"if {left} is True:"
        else:
            opening = f"if {left} is False or {left} is _NONE:"
        with self.block(opening):
            self.line(f"{target} = {decisive}")
        with self.block("else:"):
            if decisive:
                left = self.truth(left)
            right = self.value(expr.right, loc)
            right = self.truth(right)
            self.choose(target, [(f"{right} is {decisive}", str(decisive)),
                                 (f"{left}.__class__ is _U or {right}.__class__ is _U", f"_merge({left}, {right})")],
                        str(not decisive))
        return target

    def _unary(self, expr: ast.Unary, loc) -> str:
        operand, target = self.value(expr.operand, loc), self.fresh()
        if expr.op == "not":
            self.never_none.add(target)
            operand = self.truth(operand)
            self.line(f"{target} = {operand} if {operand}.__class__ is _U else not {operand}")
            return target
        with self.block(f"if {operand}.__class__ is _D or {operand}.__class__ is _int:"):
            self.line(f"{target} = -{operand}")
        with self.block("else:"):
            self.line(f"{target} = {self.constant(negated)}({operand})")
        return target

    def _if(self, expr: ast.If, loc) -> str:
        """The branch taken; when the condition is unknown, what both branches allow
        (computed by the closures, so that no branch is written out twice)."""
        condition, target = self.value(expr.condition, loc), self.fresh()
        condition = self.truth(condition)
        with self.block(f"if {condition} is True:"):
            self.line(f"{target} = {self.value(expr.then, loc)}")
        with self.block(f"elif {condition}.__class__ is _U:"):
            then, otherwise = self.closure_of(expr.then, loc), self.closure_of(expr.otherwise, loc)
            here = _loc_dict(loc)
            self.line(f"{target} = _one_of({condition}.needs, [{then}(env, {here}), {otherwise}(env, {here})])")
        with self.block("else:"):
            self.line(f"{target} = {self.value(expr.otherwise, loc)}")
        return target

    def _isnone(self, expr: ast.IsNone, loc) -> str:
        operand, target = self.value(expr.operand, loc), self.fresh()
        test = f"{operand} is not _NONE" if expr.negated else f"{operand} is _NONE"
        self.never_none.add(target)
        self.line(f"{target} = {operand} if {operand}.__class__ is _U else {test}")
        return target

    def _member(self, expr: ast.Member, loc) -> str:
        element, target = self.value(expr.element, loc), self.fresh()
        self.never_none.add(target)
        with self.block(f"if {element}.__class__ is _U:"):
            self.line(f"{target} = {element}")
        with self.block(f"elif {element} is _NONE:"):
            self.line(f"{target} = False")
        with self.block("else:"):
            options = [self.value(option, loc) for option in expr.options]
            self.line(f"{target} = {self.constant(member_of)}({element}, ({', '.join(options)},))")
        return target

    def _contains(self, expr: ast.Contains, loc) -> str:
        element, collection, target = self.value(expr.element, loc), self.value(expr.collection, loc), self.fresh()
        self.never_none.add(target)
        self.choose(target, [(f"{element}.__class__ is _U or {collection}.__class__ is _U",
                              f"_merge({element}, {collection})"),
                             (f"{element} is _NONE or {collection} is _NONE", "False")], f"{element} in {collection}")
        return target

    def _call(self, expr: ast.Call, loc) -> str:
        builtin = BUILTINS.get(expr.func)
        if builtin is None or builtin.uses_calendar or builtin.three_valued:  # the closures give these their calendar
            return self.closure(expr, loc)
        arguments = [self.value(a, loc) for a in expr.args]
        for argument in arguments if self.loops else ():  # as the closures count it (`_listed`)
            with self.block(f"if {argument}.__class__ is tuple:"):
                self.count_steps(f"len({argument})")
        target, listed = self.fresh(), ", ".join(arguments)
        compute, apply = self.constant(builtin.compute), self.constant(call_values(expr.func, expr.span))
        plain = self.guard(arguments,
                           "({0}.__class__ in _PLAIN_ARGUMENT or {0}.__class__ is tuple and _plain_list({0}))")
        formula = _SCALAR_FORMS.get(expr.func) if len(arguments) >= 2 else None
        if formula is not None:  # of numbers or dates given one by one: as the builtin computes it
            with self.block(f"if {self.guard(arguments, '{}.__class__ in _PLAIN')}:"):
                self.line(f"{target} = {formula.format(listed=listed, total=' + '.join(arguments), n=len(arguments))}")
                self.bounded(target, expr.span)
        with self.block(f"{'elif' if formula is not None else 'if'} {plain}:"):
            with self.block("try:"):
                self.line(f"{target} = {compute}({listed})")
            with self.block("except _FAILURES as failure:"):
                self.line(f"raise _problem(failure, {self.constant(expr.span)}) from None")
            self.bounded(target, expr.span)
        with self.block("else:"):
            self.line(f"{target} = {apply}([{listed}])")
        return target

    def _comprehension(self, expr: ast.Comprehension, loc) -> str:
        source, target = self.value(expr.source, loc), self.fresh()
        variable = self.fresh("v")
        inner = {**loc, expr.variable: variable}
        with self.block(f"if {source}.__class__ is _U or {source} is _NONE:"):
            self.line(f"{target} = {source}")
        with self.block("else:"):
            items, add = self.fresh("items"), self.fresh("add")
            self.count_steps(f"len({source}) * {item_steps(expr)}")
            self.line(f"{items} = []")
            self.line(f"{add} = {items}.append")
            self.loops += 1
            with self.block(f"for {variable} in {source}:"):
                if expr.condition is not None:
                    test = self.value(expr.condition, inner)
                    with self.block(f"if {test}.__class__ is _U:"):
                        self.line(f"{target} = {test}")
                        self.line("break")
                    self.line(f"if {test} is not True: continue")
                self.line(f"{add}({self.value(expr.element, inner)})")
            self.loops -= 1
            with self.block("else:"):
                self.line(f"{target} = tuple({items})")
        return target


# Builtins written out for arguments given one by one, each plain: the same
# computation as the builtin's (`mean` sums from 0, as `sum` does, then divides).
_SCALAR_FORMS = {"min": "min({listed})", "max": "max({listed})", "earlier_of": "min({listed})",
                 "later_of": "max({listed})", "mean": "_D(0 + {total}) / {n}"}

# Terms written out where they are read: rules of at most this many nodes, at most
# this many terms deep (each copy is code; a call costs about as much as a few nodes).
_INLINED_SIZE, _INLINED_DEPTH = 12, 2


def _names(expr) -> set[str]:
    """The names `expr` mentions (comprehension variables among them)."""
    if isinstance(expr, tuple):
        return set().union(*map(_names, expr)) if expr else set()
    if isinstance(expr, ast.Name):
        return {expr.id}
    if not isinstance(expr, ast.Node):
        return set()
    return set().union(*(_names(getattr(expr, f.name)) for f in fields(expr) if f.name != "span"))


def _loc_dict(loc: dict[str, str]) -> str:
    """The comprehension variables in scope, as the closures take them."""
    return "{" + ", ".join(f"{name!r}: {variable}" for name, variable in loc.items()) + "}" if loc else "None"
