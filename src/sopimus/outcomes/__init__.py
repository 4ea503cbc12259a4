"""Outcomes (*toteuma*) of the follow-up and their traffic-light rating.

``content/<document-id>/toteumat/2026-H1.yaml`` (half-year) and ``2026.yaml``
(full year) hold per indicator the outcome value and per goal a person's
rating with its reason; :mod:`.reading` reads and checks them,
:mod:`.rule` rates numeric indicators, :mod:`.assess` decides what a report
rates and how.
"""
from __future__ import annotations

from .assess import Assessment, assess, summary
from .model import DocumentOutcomes, GoalOutcome, IndicatorOutcome, OutcomeFile, ReportSettings
from .period import ReportPeriod, parse_period
from .reading import OUTCOME_DIR, outcome_files, read_outcomes, read_report_settings
from .rule import COLOURS, DEFAULT_MARGIN, GREEN, RED, YELLOW, Margin, Verdict, parse_margin, rate

__all__ = [
    "Assessment", "assess", "summary", "DocumentOutcomes", "GoalOutcome", "IndicatorOutcome",
    "OutcomeFile", "ReportSettings", "ReportPeriod", "parse_period", "OUTCOME_DIR", "outcome_files",
    "read_outcomes", "read_report_settings", "COLOURS", "DEFAULT_MARGIN", "GREEN", "YELLOW", "RED",
    "Margin", "Verdict", "parse_margin", "rate",
]
