"""``reportlab.platypus``, imported without compiling the URL pattern it has no use for here.

When ``reportlab.platypus.paragraph`` is first imported it compiles
``uri_pat``, a case-insensitive pattern over ``\\xa1-\\uffff`` that costs
60–100 ms of every cold PDF build (a twentieth of it).  reportlab uses it
only to hyphenate long URLs (``uriWasteReduce``), which sopimus's styles
never turn on.  Here the pattern is compiled the first time it is used, if
ever: during that one import, ``re.compile`` of exactly that pattern returns
a stand-in that compiles on first use.  Any other pattern, and the same
pattern in any other import, compiles as usual; a reportlab whose pattern
differs is imported unchanged.
"""
from __future__ import annotations

import re
import sys
import threading
from typing import Any

URI_PATTERN_START = "(^(?:[a-z0-9\\.\\-\\+]*)://)"
_LOCK = threading.Lock()


class LazyPattern:
    """A compiled pattern, compiled on first use."""

    def __init__(self, pattern: str, flags: int):
        self.pattern, self.flags = pattern, flags
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return getattr(self._compiled, name)


def import_platypus() -> None:
    """Import ``reportlab.platypus`` (once per process) with ``uri_pat`` compiled lazily."""
    if "reportlab.platypus.paragraph" in sys.modules:
        return
    with _LOCK:
        real = re.compile

        def compile(pattern, flags=0):
            if isinstance(pattern, str) and pattern.startswith(URI_PATTERN_START):
                return LazyPattern(pattern, flags)
            return real(pattern, flags)

        re.compile = compile  # type: ignore[assignment]
        try:
            import reportlab.platypus  # noqa: F401
        finally:
            re.compile = real


import_platypus()
