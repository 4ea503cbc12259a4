"""The report's look from the theme: rating colours and the text on them."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...theme import LoadedTheme, ThemeError

COLOURS = ("green", "yellow", "red", "unrated")


@dataclass(frozen=True)
class ReportLook:
    theme: LoadedTheme
    data: dict[str, Any]
    colours: dict[str, str]  # the theme's named colours

    @classmethod
    def of(cls, theme: LoadedTheme) -> "ReportLook":
        data = theme.section("report")
        if not data:
            raise ThemeError(f"theme {theme.name!r} has no report: section")
        return cls(theme, data, theme.section("colours"))

    def colour(self, value: str) -> str:
        """A theme colour name (``accent``) or ``#rrggbb``, as ``#rrggbb``."""
        return self.colours.get(value, value)

    @property
    def fills(self) -> dict[str, str]:
        """The colour of each rating (and of unrated)."""
        out = {c: self.colour(c) for c in ("green", "yellow", "red")}
        out["unrated"] = self.colour(self.data.get("unrated_colour", "#c9d0d8"))
        return out

    @property
    def fill_text(self) -> dict[str, str]:
        """The colour of the words written on each rating's colour."""
        spec = self.data.get("rating_text", {})
        return {c: self.colour(spec.get(c, "text")) for c in COLOURS}

    def section(self, key: str) -> dict[str, Any]:
        return self.data.get(key) or {}
