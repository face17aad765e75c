"""What generated code finds in its namespace (`codegen.py`): the classes its guards
test, the limit of exact numbers, and the functions it calls for what it does not
write out."""
from __future__ import annotations

from decimal import Decimal

from dsl import ast
from dsl.limits import EVALUATION_STEPS, MAGNITUDE_DIGITS
from interpreter.evaluation.compiled_expr import PLAIN, PLAIN_ARGUMENTS, OverSteps, plain_list
from interpreter.evaluation.semantics import FAILURES, bounded_number, failure_problem, field_of, one_of
from interpreter.evaluation.values import NONE, Unknown, merge_unknown

NAMESPACE = {
    "_D": Decimal, "_int": int, "_DURATION": ast.Duration, "_NONE": NONE, "_U": Unknown, "_dict": dict,
    "_UNSET": object(), "_PLAIN": PLAIN, "_PLAIN_ARGUMENT": PLAIN_ARGUMENTS, "_plain_list": plain_list,
    "_HIGH": 10 ** MAGNITUDE_DIGITS, "_LOW": -10 ** MAGNITUDE_DIGITS,
    # the limit as a Decimal too: comparing a Decimal with an int converts the int each time
    "_HIGH_D": Decimal(10 ** MAGNITUDE_DIGITS), "_LOW_D": -Decimal(10 ** MAGNITUDE_DIGITS),
    "_bounded": bounded_number, "_field_of": field_of, "_merge": merge_unknown, "_one_of": one_of,
    "_FAILURES": FAILURES, "_problem": failure_problem,
    "_STEPS": EVALUATION_STEPS, "_OverSteps": OverSteps,
}


def negated(value):
    """`-x` of a value that is not a plain number: unknown and none stay, a duration turns."""
    if value.__class__ is Unknown or value is NONE:
        return value
    return ast.Duration(-value.amount, value.unit) if value.__class__ is ast.Duration else -value


def member_of(value, options: tuple):
    """`value is one of options`, the options computed: true when a known option is it,
    unknown when only an unknown one could be."""
    if value in [o for o in options if o.__class__ is not Unknown]:
        return True
    unknown = [o for o in options if o.__class__ is Unknown]
    return merge_unknown(*unknown) if unknown else False
