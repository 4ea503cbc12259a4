"""The traffic-light rule for numeric indicators.

GREEN (3)  the outcome meets the target level (its comparison holds);
YELLOW (2) it misses the target level by no more than the yellow margin;
RED (1)    it misses by more.

The *gap* is how far the outcome is on the wrong side of the target value:
``target - outcome`` for ``>``/``>=``, ``outcome - target`` for ``<``/``<=``,
``|outcome - target|`` for ``=``.  An outcome exactly on a strict target
(``> 4,0`` and 4,0) misses it by nothing, so it is YELLOW, not GREEN.  The
margin is either relative (``10 %`` of the target value) or absolute (``0,2``
in the indicator's unit); the boundary itself still counts as YELLOW.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

GREEN, YELLOW, RED = 3, 2, 1
COLOURS = {GREEN: "green", YELLOW: "yellow", RED: "red"}
OPERATORS = ("<", "<=", ">", ">=", "=")
_MARGIN = re.compile(r"^\s*(?P<int>[0-9]{1,12})(?:[,.](?P<frac>[0-9]{1,12}))?\s*(?P<pct>%)?\s*\Z")


@dataclass(frozen=True)
class Margin:
    """How far from the target still counts as partly met."""

    value: Decimal
    relative: bool  # True: percent of the target value; False: in the indicator's unit

    def allowance(self, target: Decimal) -> Decimal:
        """The margin in the indicator's unit for ``target``."""
        if self.relative:
            return abs(target) * self.value / 100
        return self.value

    def __str__(self) -> str:
        return f"{self.value} %" if self.relative else str(self.value)


DEFAULT_MARGIN = Margin(Decimal(10), relative=True)


def parse_margin(text: str) -> Margin | None:
    """``"10 %"`` (relative) or ``"0,2"`` (absolute); None if it is neither."""
    m = _MARGIN.match(text)
    if not m:
        return None
    value = Decimal(m["int"] + (f".{m['frac']}" if m["frac"] else ""))
    return Margin(value, relative=bool(m["pct"]))


@dataclass(frozen=True)
class Verdict:
    rating: int
    gap: Decimal        # how far the outcome misses the target (0 when met)
    allowance: Decimal  # the yellow margin in the indicator's unit


def meets(op: str, target: Decimal, outcome: Decimal) -> bool:
    if op == "<":
        return outcome < target
    if op == "<=":
        return outcome <= target
    if op == ">":
        return outcome > target
    if op == ">=":
        return outcome >= target
    if op == "=":
        return outcome == target
    raise ValueError(f"unknown comparison {op!r}")


def gap(op: str, target: Decimal, outcome: Decimal) -> Decimal:
    """How far ``outcome`` is on the wrong side of ``target`` (never negative)."""
    if op in ("<", "<="):
        diff = outcome - target
    elif op in (">", ">="):
        diff = target - outcome
    elif op == "=":
        diff = abs(outcome - target)
    else:
        raise ValueError(f"unknown comparison {op!r}")
    return max(diff, Decimal(0))


def rate(op: str, target: Decimal, outcome: Decimal, margin: Margin = DEFAULT_MARGIN) -> Verdict:
    """Rate ``outcome`` against the target level ``op target``."""
    allowance = margin.allowance(target)
    if meets(op, target, outcome):
        return Verdict(GREEN, Decimal(0), allowance)
    missed_by = gap(op, target, outcome)
    return Verdict(YELLOW if missed_by <= allowance else RED, missed_by, allowance)
