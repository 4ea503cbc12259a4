"""Target levels as drafters write them: ``< 30,0``, ``>= 85 %``, ``1 234,5``."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

OPERATORS = {"<": "<", "<=": "<=", "≤": "<=", ">": ">", ">=": ">=", "≥": ">=", "=": "="}
_LEVEL = re.compile(
    r"^\s*(?P<op><=|>=|≤|≥|<|>|=)?\s*"
    r"(?P<sign>[-+−])?(?P<int>[0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3})+|[0-9]+)"
    r"(?:[,.](?P<frac>[0-9]+))?\s*(?P<pct>%)?\s*\Z")  # ASCII digits only: "٢٠" is not a number here
MAX_DIGITS = 28  # the decimal context's precision: more would be rounded silently


class TargetSyntaxError(ValueError):
    pass


def parse_level(text: str) -> tuple[str, Decimal, bool]:
    """``(op, value, has_percent_sign)``; a missing comparison means ``=``."""
    m = _LEVEL.match(text)
    if not m:
        raise TargetSyntaxError(
            f"{text.strip()!r} is not a comparison and a number")
    digits = re.sub(r"[ \u00a0\u202f]", "", m["int"])
    if len(digits.lstrip("0")) + len(m["frac"] or "") > MAX_DIGITS:
        raise TargetSyntaxError(f"{text.strip()[:40]!r} has more than {MAX_DIGITS} digits")
    number = ("-" if m["sign"] in ("-", "−") else "") + digits + (f".{m['frac']}" if m["frac"] else "")
    try:
        value = Decimal(number)
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only digits
        raise TargetSyntaxError(f"{text!r} is not a number") from exc
    return OPERATORS[m["op"] or "="], value, bool(m["pct"])


def parse_number(text: str) -> tuple[Decimal, bool]:
    """A figure as drafters write it, ``1 234,5``, ``-12``, ``85 %``: ``(value,
    has_percent_sign)``.  Unlike a target level it has no comparison."""
    m = _LEVEL.match(text)
    if m and m["op"]:
        raise TargetSyntaxError(f"{text.strip()!r} is a comparison, not a number")
    try:
        _op, value, pct = parse_level(text)
    except TargetSyntaxError:
        raise TargetSyntaxError(f"{text.strip()[:40]!r} is not a number") from None
    return value, pct
