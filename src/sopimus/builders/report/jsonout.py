"""The report as JSON for other tools: every rating with its basis and reason.

``{"document", "period", "agreement": {"signed", "signed_on"}, "ratings": [{"id", "kind", "target": {"op", "value"} | null,
"outcome", "rating", "colour", "basis", "reason"}], "summary": {...}}``; numbers
are decimal strings, never floats.
"""
from __future__ import annotations

import json

from ... import ast as A
from .model import Report, TargetRow


def _rating(row: TargetRow) -> dict:
    a = row.assessment
    return {
        "id": a.id,
        "kind": a.kind,
        "title": row.title,
        "unit": row.unit,
        "target": {"op": a.target.op, "value": str(a.target.value)} if a.target else None,
        "outcome": str(a.outcome) if a.outcome is not None else None,
        "rating": a.rating,
        "colour": a.colour,
        "basis": a.basis,
        "computed": a.verdict.rating if a.verdict else None,
        "reason": A.plain_text(row.reason) if row.reason else row.explanation,
        "source": {"file": a.source.file, "line": a.source.line} if a.source else None,
    }


def render_json(report: Report) -> bytes:
    data = {
        "document": report.doc.id,
        "period": str(report.period),
        "language": report.doc.language,
        "example": report.example,
        "agreement": (report.signing.as_json() if report.signing is not None and not report.doc.is_draft
                      else {"signed": False, "signed_on": None}),
        "ratings": [_rating(row) for row in report.rows],
        "summary": {c.colour: c.count for c in report.counts},
    }
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
