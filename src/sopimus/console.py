"""What the command line prints: progress, findings, one summary line."""
from __future__ import annotations

import os
import sys
from typing import TextIO

from .diagnostics import Diagnostic, printable

_COLOURS = {"error": "31;1", "warning": "33;1", "ok": "32", "dim": "2"}


class Console:
    def __init__(self, verbosity: int = 1, stream: TextIO | None = None, err: TextIO | None = None):
        self.verbosity = verbosity
        self.out = stream or sys.stdout
        self.err = err or sys.stderr
        self.findings = self.err  # `check` sends findings to stdout: they are its output
        self.colour = (hasattr(self.err, "isatty") and self.err.isatty()
                       and os.environ.get("NO_COLOR") is None and os.environ.get("TERM") != "dumb")

    @staticmethod
    def _print(text: str, stream: TextIO) -> None:
        """One line, flushed (`serve` runs on with its output piped). A reader that went
        away (`sopimus build … | head -1`) stops the printing, never the build."""
        try:
            print(text, file=stream, flush=True)
        except BrokenPipeError:
            try:   # what is still buffered goes nowhere; later lines too
                os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
            except (OSError, ValueError, AttributeError):
                pass

    def paint(self, text: str, style: str) -> str:
        return f"\033[{_COLOURS[style]}m{text}\033[0m" if self.colour else text

    def info(self, text: str) -> None:
        if self.verbosity >= 1:
            self._print(printable(text), self.out)

    def debug(self, text: str) -> None:
        if self.verbosity >= 2:
            self._print(self.paint(printable(text), "dim"), self.out)

    def diagnostic(self, d: Diagnostic) -> None:
        if not d.is_error and self.verbosity < 1:
            return
        head = f"{printable(d.file)}:{d.line}:{d.col}: "
        text = head + self.paint(d.severity, d.severity) + f": [{d.code}] {printable(d.message)}"
        if d.hint:
            text += f"\n    {printable(d.hint)}"
        self._print(text, self.findings)

    def warning(self, text: str) -> None:
        self._print(self.paint("warning", "warning") + ": " + printable(text), self.err)

    def fatal(self, text: str) -> None:
        self._print(self.paint("error", "error") + ": " + printable(text), self.err)
