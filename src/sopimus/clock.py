"""The one clock of a build: ``SOURCE_DATE_EPOCH`` when set, else a fixed date.

Outputs are identified by their hash (signed, published), so nothing a
builder writes may depend on the time of day it ran.
"""
from __future__ import annotations

import datetime as _dt
import os

FIXED = _dt.datetime(2000, 1, 1, tzinfo=_dt.timezone.utc)


def build_datetime() -> _dt.datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return _dt.datetime.fromtimestamp(int(epoch), _dt.timezone.utc)
    return FIXED


def draft_datetime() -> _dt.datetime:
    """The date a draft is stamped with: ``SOURCE_DATE_EPOCH``, else now (drafts show when they were made)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return _dt.datetime.fromtimestamp(int(epoch), _dt.timezone.utc)
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0)
