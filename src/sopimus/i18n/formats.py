"""Numbers, dates, periods and target levels as Finnish and Swedish readers write them.

``30,0``, ``1 234,5`` and ``85 %`` (no-break spaces), ``31.8.2026``,
``2026–2029``; the decimal's own precision is kept (``30,0`` stays ``30,0``).
"""
from __future__ import annotations

import datetime as _dt
from decimal import Decimal

NBSP = "\u00a0"
EN_DASH = "\u2013"
_LOCALES = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_GB"}
_OPS = {"<": "<", "<=": "≤", ">": ">", ">=": "≥", "=": ""}


def babel_locale(lang: str) -> str:
    return _LOCALES.get(lang, lang)


def format_decimal(value: Decimal, lang: str) -> str:
    """``Decimal("1234.5")`` → ``1 234,5`` (no-break space), keeping the given decimals."""
    from babel.numbers import format_decimal as _fmt

    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return _fmt(value, format=pattern, locale=babel_locale(lang))


def format_percent(value: Decimal, lang: str) -> str:
    return f"{format_decimal(value, lang)}{NBSP}%"


def format_quantity(value: Decimal, unit: str | None, lang: str) -> str:
    """A number with its unit when the unit is written after numbers (only ``%``)."""
    return format_percent(value, lang) if unit == "%" else format_decimal(value, lang)


def format_level(op: str, value: Decimal, unit: str | None, lang: str) -> str:
    """A target level: ``< 30,0``, ``≥ 85 %``, ``4,0``."""
    sign = _OPS.get(op, op)
    number = format_quantity(value, unit, lang)
    return f"{sign}{NBSP}{number}" if sign else number


def format_date(value: _dt.date, lang: str) -> str:
    """``31.8.2026`` in both Finnish and Swedish (the Finnish official form)."""
    from babel.dates import format_date as _fmt

    return _fmt(value, "d.M.yyyy", locale=babel_locale(lang))


def format_range(start: int, end: int) -> str:
    return f"{start}{EN_DASH}{end}"
