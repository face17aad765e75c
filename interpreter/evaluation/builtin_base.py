"""What a function of the language is: its typer and its computation (see builtins.py
for the functions themselves)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from interpreter.static import types as T


class FunctionFailure(ValueError):
    """A function cannot compute a value for these arguments (e.g. weights summing to zero)."""


@dataclass(frozen=True)
class Builtin:
    """A function: `typer` gives its result type from its argument types (or a
    complaint), `compute` its value. `skips_none`: none arguments are passed over;
    `uses_calendar`: `compute` takes the agreement's BusinessCalendar first;
    `three_valued`: `compute` sees unknown arguments and decides what they make."""

    name: str
    usage: str
    typer: Callable[[list[T.Type]], "T.Type | str"]
    compute: Callable[..., object]
    skips_none: bool = False
    uses_calendar: bool = False
    three_valued: bool = False


def type_fixed(params: list[T.Type], result: T.Type):
    def typer(args: list[T.Type]):
        if len(args) != len(params):
            return f"takes {len(params)} argument{'s' if len(params) != 1 else ''}, not {len(args)}"
        for i, (want, got) in enumerate(zip(params, args), 1):
            if not T.assignable(want, got):
                return f"argument {i} must be {want}, not {got}"
        return result
    return typer
