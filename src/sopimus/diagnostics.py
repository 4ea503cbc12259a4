"""Findings about sources, reported as ``path:line:col: severity: [code] message``."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

ERROR = "error"
WARNING = "warning"


def _escape(c: str) -> str:
    o = ord(c)
    return f"\\x{o:02x}" if o < 256 else f"\\u{o:04x}"


def printable(text: str) -> str:
    """``text`` with control characters (newline, ESC, CR, DEL, C1, line separators) escaped.

    A file name or a message quoted from a source goes to a terminal and to
    CI logs: a newline or an escape sequence in it must not start a forged
    diagnostic line or repaint the terminal.
    """
    if text.isprintable():
        return text
    return "".join(_escape(c) if _is_control(c) else c for c in text)


_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _is_control(c: str) -> bool:
    """A character a terminal obeys or that reorders a line (not a no-break space or a letter)."""
    import unicodedata
    return unicodedata.category(c) in ("Cc", "Zl", "Zp") or c in _BIDI


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One finding: where (file, line, column), how bad (``error``/``warning``), a code and a message."""

    file: str
    line: int
    col: int
    severity: str
    code: str
    message: str
    hint: str | None = None

    def format(self) -> str:
        """``path:line:col: severity: [code] message``, the hint on an indented next line.

        Control characters in the file name, message and hint are escaped, so
        they cannot forge other lines."""
        text = f"{printable(self.file)}:{self.line}:{self.col}: {self.severity}: [{self.code}] {printable(self.message)}"
        if self.hint:
            text += f"\n    {printable(self.hint)}"
        return text

    @property
    def is_error(self) -> bool:
        """True for an error (the build fails), False for a warning."""
        return self.severity == ERROR


@dataclass
class Diagnostics:
    """Collects findings; a file is named as the caller's path names it."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, severity: str, code: str, file: str | Path, line: int | None,
            message: str, hint: str | None = None, col: int = 1) -> None:
        self.items.append(Diagnostic(str(file), max(line or 1, 1), max(col, 1),
                                     severity, code, message, hint))

    def error(self, code: str, file: str | Path, line: int | None, message: str,
              hint: str | None = None, col: int = 1) -> None:
        self.add(ERROR, code, file, line, message, hint, col)

    def warning(self, code: str, file: str | Path, line: int | None, message: str,
                hint: str | None = None, col: int = 1) -> None:
        self.add(WARNING, code, file, line, message, hint, col)

    def extend(self, other: "Diagnostics | list[Diagnostic]") -> None:
        self.items.extend(other.items if isinstance(other, Diagnostics) else other)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if not d.is_error]

    def sorted(self) -> list[Diagnostic]:
        seen: set[Diagnostic] = set()
        out = []
        for d in sorted(self.items, key=lambda d: (d.file, d.line, d.col, d.code)):
            if d not in seen:
                seen.add(d)
                out.append(d)
        return out


class SourceError(Exception):
    """Raised by :func:`sopimus.load` when the sources have errors.

    ``diagnostics`` holds every finding of the read (errors and warnings),
    as ``sopimus check`` prints them.
    """

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__("\n".join(d.format() for d in diagnostics))


class BuildError(Exception):
    """A build could not produce its outputs; nothing was written.

    Raised for a mistake in the request (an unknown builder or language, a
    builder that cannot be loaded or that another one needs is missing),
    and by :func:`sopimus.build` when rendering found errors, with the
    findings in ``diagnostics``. It lives here, below the builders, so that
    a builder can raise it without importing the pipeline that runs it.
    """

    def __init__(self, message: str, diagnostics: list[Diagnostic] | None = None):
        self.diagnostics: list[Diagnostic] = list(diagnostics or [])
        super().__init__(message)
