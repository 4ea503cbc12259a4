"""Reporting periods: ``2026-H1`` (half-year, reported by 31.8.) and ``2026`` (full year)."""
from __future__ import annotations

import re
from dataclasses import dataclass

_PERIOD = re.compile(r"^(?P<year>[0-9]{4})(?:-H(?P<half>1))?\Z")


@dataclass(frozen=True, order=True)
class ReportPeriod:
    """A period of follow-up; orders as the reports are made (2026-H1 < 2026 < 2027-H1)."""

    year: int
    part: int  # 1: first half-year, 2: the full year

    @property
    def is_half_year(self) -> bool:
        return self.part == 1

    def __str__(self) -> str:
        return f"{self.year}-H1" if self.is_half_year else str(self.year)


def parse_period(text: str) -> ReportPeriod | None:
    """``"2026-H1"`` or ``"2026"`` as a period; None for anything else."""
    m = _PERIOD.match(text.strip())
    if not m:
        return None
    return ReportPeriod(int(m["year"]), 1 if m["half"] else 2)
