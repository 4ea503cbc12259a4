"""The one clock of a build: the date stamped into a document's PDF and DOCX.

Outputs are identified by their hash (signed, published), so nothing a
builder writes may depend on the time of day it ran.  A document's date is,
in this order:

1. ``SOURCE_DATE_EPOCH`` when set (reproducible-builds.org);
2. else the document's ``date:`` in ``document.yaml`` (noon UTC of that day);
3. else the newest commit of its sources (``document.yaml`` and its ``.rst``
   files), or a source's modification time where it is uncommitted or
   changed since — never the time of the build.

The pipeline sets the document's date around rendering (:func:`stamped`);
:func:`build_datetime` outside it falls back to ``SOURCE_DATE_EPOCH`` or a
fixed date (files that belong to no document, e.g. gettext templates).
Verifying a signed copy renders with the date its first revision records
(:func:`stamped` again), so the date is never what makes a copy differ.
"""
from __future__ import annotations

import contextlib
import contextvars
import datetime as _dt
import os
import subprocess
from pathlib import Path
from typing import Callable, Iterator

FIXED = _dt.datetime(2000, 1, 1, tzinfo=_dt.timezone.utc)
UTC = _dt.timezone.utc

class _Stamp:
    """A build date, worked out when first asked for: the git look-ups behind a
    document's date cost nothing for a builder that stamps no date (HTML, JSON)."""

    def __init__(self, compute: Callable[[], _dt.datetime]):
        self._compute = compute
        self._value: _dt.datetime | None = None

    def value(self) -> _dt.datetime:
        if self._value is None:
            self._value = self._compute().astimezone(UTC).replace(microsecond=0)
        return self._value


_CURRENT: contextvars.ContextVar[_Stamp | None] = contextvars.ContextVar("sopimus_build_date", default=None)


def source_date_epoch() -> _dt.datetime | None:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return _dt.datetime.fromtimestamp(int(epoch), UTC)
    return None


def build_datetime() -> _dt.datetime:
    """The date of what is being rendered now (see the module's docstring)."""
    stamp = _CURRENT.get()
    return (stamp.value() if stamp else None) or source_date_epoch() or FIXED


@contextlib.contextmanager
def stamped(when: _dt.datetime | Callable[[], _dt.datetime]) -> Iterator[None]:
    """Render with ``when`` as the build date (a function: called once, when a builder first asks)."""
    token = _CURRENT.set(_Stamp(when if callable(when) else lambda: when))
    try:
        yield
    finally:
        _CURRENT.reset(token)


def document_datetime(date: _dt.date | None, sources: list[Path]) -> tuple[_dt.datetime, str]:
    """(the build date of a document, where it came from: ``SOURCE_DATE_EPOCH``, ``date``, ``sources``)."""
    epoch = source_date_epoch()
    if epoch is not None:
        return epoch, "SOURCE_DATE_EPOCH"
    if date is not None:
        return _dt.datetime(date.year, date.month, date.day, 12, tzinfo=UTC), "date"
    return sources_datetime(sources), "sources"


def sources_datetime(sources: list[Path]) -> _dt.datetime:
    """The newest commit of ``sources``, or the newest modification time of those uncommitted or changed."""
    existing = [p for p in sources if p.is_file()]
    if not existing:
        return FIXED
    changed = set(existing)
    committed = None
    folder = existing[0].parent
    names = [str(p.resolve()) for p in existing]
    status = _git(folder, "status", "--porcelain", "--untracked-files=all", "--ignored=no", "--", *names)
    log = _git(folder, "log", "-1", "--format=%ct", "--", *names)
    if status is not None and log:
        dirty = {line[3:].strip().strip('"') for line in status.splitlines() if line[:2].strip()}
        top = _git(folder, "rev-parse", "--show-toplevel")
        root = Path(top.strip()) if top else folder
        changed = {p for p in existing if str(p.resolve().relative_to(root.resolve())) in dirty} \
            if _inside(existing, root) else set(existing)
        committed = _dt.datetime.fromtimestamp(int(log.strip()), UTC)
    times = [_dt.datetime.fromtimestamp(int(p.stat().st_mtime), UTC) for p in changed]
    if committed is not None:
        times.append(committed)
    return max(times) if times else FIXED


def _inside(paths: list[Path], root: Path) -> bool:
    try:
        for p in paths:
            p.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


def _git(folder: Path, *args: str) -> str | None:
    """git's output in ``folder``, or None when it is not a repository (or git is missing)."""
    try:
        done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True,
                              timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def draft_datetime() -> _dt.datetime:
    """The date a draft is stamped with: ``SOURCE_DATE_EPOCH``, else now (drafts show when they were made)."""
    return source_date_epoch() or _dt.datetime.now(UTC).replace(microsecond=0)


def for_document(meta) -> tuple[_dt.datetime, str]:
    """:func:`document_datetime` of a document's metadata (``config.DocumentMeta``)."""
    sources = [meta.path, *(meta.folder / name for name, _line in meta.sources)]
    return document_datetime(meta.date, sources)
