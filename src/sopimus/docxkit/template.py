"""The theme's reference document and settings (the ``docx:`` section of theme.yaml).

An agency plugs in its own Word template by pointing ``docx.template`` of
its theme at it (a .docx or .dotx).  Styles are found by their English names
(``Heading 1``, ``List Paragraph``, ``Table Grid`` …), so a Finnish or
Swedish Word template works as it is; a style the template lacks is taken
from sopimus's default template.  Settings the agency's theme leaves out
come from the default theme.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..theme import BUILTIN_THEMES, LoadedTheme, builtin_theme, load_theme
from .package import TemplateError, as_document, styles_of

DEFAULT_THEME = BUILTIN_THEMES / "default"
_NESTED = ("styles", "lists", "indicator_columns", "rating_fill")


@dataclass(frozen=True)
class Template:
    data: bytes  # the reference document, as a .docx
    settings: dict[str, Any]  # the merged docx: section
    colours: dict[str, str]
    fallback_styles: Any  # w:styles of sopimus's default template


def _default_theme_data() -> dict[str, Any]:
    return builtin_theme().data  # parsed once per process, shared with load_theme


def merged_settings(theme: LoadedTheme) -> tuple[dict[str, Any], dict[str, str]]:
    default = _default_theme_data()
    settings = dict(default.get("docx") or {})
    own = theme.section("docx")
    for key, value in own.items():
        if key in _NESTED and isinstance(value, dict):
            settings[key] = {**(settings.get(key) or {}), **value}
        else:
            settings[key] = value
    colours = {**(default.get("colours") or {}), **theme.section("colours")}
    return settings, colours


def _default_file():
    return DEFAULT_THEME / (_default_theme_data().get("docx") or {})["template"]


def template_file(project):
    """The Word template of the project's theme (ThemeError when it names a missing file)."""
    theme = load_theme(project)
    own = theme.section("docx").get("template")
    return theme.file(own) if own else _default_file()


def load_template(project) -> Template:
    settings, colours = merged_settings(load_theme(project))
    file = template_file(project)
    try:
        data = as_document(file.read_bytes())
    except TemplateError as exc:
        raise TemplateError(f"{file}: {exc}", file) from None
    fallback = styles_of(_default_file().read_bytes())
    return Template(data, settings, colours, fallback)
