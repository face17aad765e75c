"""Numbers as a fact file writes them, read strictly: a value that could be misread
is refused with a hint, never guessed at.

Accepted: digits with an optional decimal point (`12500000.00`, `.5`); thousands
separated by commas in groups of three (`12,500,000`) or by underscores between digits
(`12_500_000`); a leading `-` where the type allows it; a leading `$` on money; a
percentage as `10%` or as the fraction `0.10`. Refused, each with its own message: a
comma out of place (`1,5`, `1,0,0`), a percentage above 1 written
without `%` (`30` would be 3000%), a negative number of shares or a negative count, a
fraction or an exponent in a count (`1.5e6` is read as 1500000 where a number may
have a fraction), and a number beyond the limits of `dsl.limits`.
"""
from __future__ import annotations

import re
from decimal import Context, Decimal, localcontext

from dsl.limits import NUMBER_DIGITS, number_problem

_WRITTEN = re.compile(r"(?P<sign>[-+])?(?P<dollar>\$)?(?P<whole>[\d,_]*)(?:\.(?P<fraction>[\d_]*))?"
                      r"(?:[eE](?P<exponent>[-+]?\d+))?")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+")
_UNDERSCORED = re.compile(r"\d+(?:_\d+)*")
_NOUN = {"count": "a count", "shares": "a number of shares"}


class Refused(ValueError):
    """A value that does not read as its type: why (None when it is simply not one), and
    a hint."""

    def __init__(self, reason: str | None, hint: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.hint = hint


def _digits(part: str, text: str, where: str) -> str:
    """The digits of the whole or the fractional part, its separators checked."""
    if "," in part:
        if "_" in part or where == "fraction" or not _GROUPED.fullmatch(part):
            raise Refused("a comma is out of place",
                          "thousands are separated in groups of three (1,500,000) and the decimal point is "
                          "a period (1.5)")
    elif "_" in part and not _UNDERSCORED.fullmatch(part):
        raise Refused("an underscore is out of place", "an underscore goes between digits: 1_500_000")
    return part.replace(",", "").replace("_", "")


def _without_exponent(whole: str, fraction: str, exponent: str, text: str, kind: str) -> tuple[str, str]:
    """The digits before and after the point of a number written with an exponent
    (`1.5e6`, `1e-2`), the exponent bounded before any digit is produced."""
    if kind == "count":
        raise Refused("a count is written without an exponent", "write it out in full, e.g. 1500000")
    if len(exponent.lstrip("+-").lstrip("0")) > 3:
        raise Refused("it is beyond the numbers Covenant reads",
                      "no amount in an agreement needs more; write the number out in full")
    plain = f"{Decimal(f'{whole or 0}.{fraction or 0}e{exponent}'):f}"
    before, _, after = plain.partition(".")
    return before, after.rstrip("0")


def read_number(text: str, kind: str, signed: bool = False) -> Decimal | int:
    """`text` read as a number of `kind` (count, shares, decimal, money, percent); a
    count is an int, every other kind a Decimal. `signed` lets a count be negative (a
    duration's amount). Raises Refused."""
    percent = kind == "percent" and text.endswith("%")
    body = text[:-1].rstrip() if percent else text
    match = _WRITTEN.fullmatch(body)
    if not match or not (match.group("whole") or match.group("fraction")):
        raise Refused(None)
    if match.group("dollar") and kind != "money":
        raise Refused(None, "only money is written with `$`")
    whole = _digits(match.group("whole"), text, "whole")
    fraction = _digits(match.group("fraction") or "", text, "fraction")
    if match.group("exponent"):
        whole, fraction = _without_exponent(whole, fraction, match.group("exponent"), text, kind)
    problem = number_problem(whole, fraction)
    if problem:
        raise Refused(problem, "no amount in an agreement needs more; check for a stray run of digits")
    value = Decimal(f"{match.group('sign') or ''}{whole or '0'}" + (f".{fraction}" if fraction else ""))
    if value < 0 and kind in ("count", "shares") and not signed:
        raise Refused(f"{_NOUN[kind]} cannot be negative", "a holding or a count is never below zero")
    if kind == "count":
        if value != value.to_integral_value():
            raise Refused(None)
        return int(value)
    if percent:
        with localcontext(Context(prec=2 * NUMBER_DIGITS)):  # exact: a hundredth of any number read
            return value / 100
    if kind == "percent" and abs(value) > 1:
        raise Refused(f"without `%` it reads as the fraction {text}, that is {(value * 100).normalize():f}%",
                      f"write `{text}%` for {text} percent, or the fraction (0.30 is 30%)")
    return value
