"""What an outcome file says, once read and checked."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .period import ReportPeriod
from .rule import DEFAULT_MARGIN, Margin

LocalText = dict[str, str]


@dataclass(frozen=True)
class ReportSettings:
    """Project-wide rating settings (``report:`` in sopimus.yaml)."""

    yellow_margin: Margin = DEFAULT_MARGIN


@dataclass
class IndicatorOutcome:
    id: str
    line: int
    outcome: Decimal | None = None
    yellow_margin: Margin | None = None  # this indicator's own margin, if given
    rating: int | None = None            # a manual rating, overriding the computed one
    reason: LocalText | None = None      # reST inline text per language


@dataclass
class GoalOutcome:
    id: str
    line: int
    rating: int | None = None
    reason: LocalText | None = None


@dataclass
class OutcomeFile:
    """``content/<document-id>/toteumat/<period>.yaml``."""

    path: Path
    rel: str  # relative to the source folder, as AST sources name files
    period: ReportPeriod
    example: bool = False
    indicators: dict[str, IndicatorOutcome] = field(default_factory=dict)
    goals: dict[str, GoalOutcome] = field(default_factory=dict)


@dataclass
class DocumentOutcomes:
    """Every outcome file of one document, by period."""

    doc_id: str
    settings: ReportSettings = field(default_factory=ReportSettings)
    files: dict[ReportPeriod, OutcomeFile] = field(default_factory=dict)

    @property
    def periods(self) -> list[ReportPeriod]:
        return sorted(self.files)

    @property
    def latest(self) -> OutcomeFile | None:
        return self.files[max(self.files)] if self.files else None

    def get(self, period: ReportPeriod) -> OutcomeFile | None:
        return self.files.get(period)
