"""Whole HTML pages and their shared files, from the theme's templates.

:class:`Site` is used by the ``html`` builder (one page per document and
language) and by ``publish`` (the same pages, plus downloads, and the index
pages).  Where pages sit and what they link to is the caller's business
(:class:`PageLinks`); what a page says and how it looks is the theme's.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from .. import present
from ..config import pick
from ..i18n import labels
from ..i18n.formats import format_decimal
from ..paths import inside
from ..theme import LoadedTheme, ThemeError, load_theme

ASSETS_DIR = "assets"
FONT_STYLES = ("regular", "bold", "italic", "bold_italic")
_FONT_FACES = {"regular": ("normal", 400), "bold": ("normal", 700),
               "italic": ("italic", 400), "bold_italic": ("italic", 700)}


@dataclass(frozen=True)
class Stylesheet:
    href: str
    media: str


@dataclass(frozen=True)
class Alternate:
    """The same page in another language (or this one: ``current``)."""

    lang: str
    href: str
    current: bool = False

    @property
    def name(self) -> str:
        """The language's name in that language (``suomi``, ``svenska``), from CLDR."""
        return language_name(self.lang, self.lang)


@dataclass(frozen=True)
class Download:
    """A file of the document offered beside its page (publish only)."""

    label: str  # PDF, DOCX
    href: str
    media_type: str
    size: str  # "1,2 Mt"


@dataclass
class PageLinks:
    """Where a page is and what it links to; every href is relative to the page."""

    page: str
    stylesheets: list[Stylesheet]
    alternates: list[Alternate] = field(default_factory=list)
    home: str | None = None
    canonical: str | None = None
    downloads: list[Download] = field(default_factory=list)


def language_name(lang: str, in_lang: str) -> str:
    """The name of ``lang`` in ``in_lang`` from CLDR (``svenska``, ``ruotsi``): data, not code."""
    from babel import Locale
    return Locale.parse(in_lang).languages.get(lang, lang)


def file_size(size: int, _: Any, lang: str) -> str:
    """``48 kt``, ``1,2 Mt`` in the page's language."""
    from decimal import Decimal, ROUND_HALF_UP
    if size >= 1_000_000:
        value = (Decimal(size) / 1_000_000).quantize(Decimal("0.1"), ROUND_HALF_UP)
        return _("{size} MB", size=format_decimal(value, lang))
    value = max(Decimal(1), (Decimal(size) / 1000).quantize(Decimal("1"), ROUND_HALF_UP))
    return _("{size} kB", size=format_decimal(value, lang))


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in memory, for every Site of this process: a live preview
    makes a Site per change and should not compile the same templates again. Entries are
    keyed by file and checked against the template's source, so an edited template is
    compiled anew."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _CompiledTemplates()


class ConfinedLoader(jinja2.FileSystemLoader):
    """Templates from one folder, never through a symlink out of it."""

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        if not any(inside(filename, root) for root in self.searchpath):
            raise ThemeError(f"template {template!r} leads outside the theme's templates folder (a symlink?)",
                             Path(filename))
        return source, filename, uptodate



class _Sandbox(SandboxedEnvironment):
    """jinja2's sandbox (a theme is untrusted code), with its verdict on an attribute
    remembered per type and name: the verdict depends on nothing else, and a page
    asks it ~13,000 times."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._safe: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj, attr: str, value) -> bool:
        key = (type(obj), attr)
        safe = self._safe.get(key)
        if safe is None:
            safe = self._safe[key] = super().is_safe_attribute(obj, attr, value)
        return safe

class Site:
    """The theme's HTML templates and shared files, for one project."""

    def __init__(self, project, theme: LoadedTheme):
        self.project = project
        self.theme = theme
        self.config = theme.section("html")
        folder = theme.folder(self.config.get("templates", "html"))
        # A theme's templates are code, but they run sandboxed and read only inside their folder.
        self.env = _Sandbox(
            loader=ConfinedLoader(str(folder)),
            autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default_for_string=True),
            undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
            keep_trailing_newline=True, bytecode_cache=_COMPILED)
        self.env.filters["lines"] = join
        self.env.filters["css_string"] = css_string

    @classmethod
    def for_project(cls, project) -> "Site":
        return cls(project, load_theme(project))

    # --- shared files ----------------------------------------------------------

    def stylesheet_links(self, page_dir: str) -> list[Stylesheet]:
        return [Stylesheet(posixpath.relpath(f"{ASSETS_DIR}/{s['file']}", page_dir or "."), s.get("media", "all"))
                for s in self._stylesheets()]

    def _stylesheets(self) -> list[dict]:
        sheets = self.config.get("stylesheets") or []
        if not sheets:
            raise ThemeError(f"theme {self.theme.name!r}: html.stylesheets lists no stylesheet")
        return sheets

    def _fonts(self) -> list[tuple[str, str, Path]]:
        """(family, style, file) of the font family the pages use."""
        family = self.config.get("font")
        if not family:
            return []
        files = (self.theme.section("fonts").get(family) or {})
        out = []
        for style in FONT_STYLES:
            if style in files:
                out.append((family, style, self.theme.file(files[style])))
        if not out:
            raise ThemeError(f"theme {self.theme.name!r}: html.font {family!r} is not in fonts:")
        return out

    def assets(self) -> list[tuple[str, bytes]]:
        """The stylesheets (rendered with the theme's colours) and fonts, by path under the site."""
        fonts = self._fonts()
        faces = [{"family": family, "style": _FONT_FACES[style][0], "weight": _FONT_FACES[style][1],
                  "url": f"fonts/{path.name}"} for family, style, path in fonts]
        context = {"colours": self.theme.section("colours"), "font_faces": faces,
                   "font_family": self.config.get("font")}
        out: list[tuple[str, bytes]] = []
        for sheet in self._stylesheets():
            text = self.env.get_template(sheet["file"]).render(context)
            out.append((f"{ASSETS_DIR}/{sheet['file']}", text.encode("utf-8")))
        for _family, _style, path in fonts:
            out.append((f"{ASSETS_DIR}/fonts/{path.name}", path.read_bytes()))
        licence = self.config.get("font_licence")
        if fonts and licence:
            out.append((f"{ASSETS_DIR}/fonts/{Path(licence).name}", self.theme.file(licence).read_bytes()))
        return out

    # --- pages -------------------------------------------------------------------

    def page_context(self, lang: str, links: PageLinks) -> dict[str, Any]:
        org = self.project.config.organisation
        source = self.project.config.source_language
        return {"lang": lang, "links": links, "organisation": pick(org.name, lang, source) or "",
                "administrative_branch": pick(org.administrative_branch, lang, source),
                "business_id": org.business_id or None,
                "page_word": present.page_word(labels(lang))}  # printed pages: "sivu 3 (24)"

    def render_template(self, template: str, context: dict[str, Any]) -> bytes:
        try:
            html = self.env.get_template(template).render(context)
        except jinja2.TemplateError as exc:  # the sandbox refused something, a name is undefined …
            path, line = _template_frame(exc, template)
            raise ThemeError(f"HTML template {path.name}, line {line}: {exc}", path, line) from None
        return html.encode("utf-8")

    def index_page(self, lang: str, links: PageLinks, entries: list[Any], **extra: Any) -> bytes:
        """The list of published documents in ``lang`` (``entries`` and ``extra``: see publish)."""
        _ = labels(lang).gettext
        context = self.page_context(lang, links)
        # A draft is marked in its row (and on its own page), not on the whole index.
        context.update({"_": _, "entries": entries, "draft": False, "title": _("Published documents")})
        context.update(extra)
        return self.render_template("index.html", context)


def _template_frame(exc: BaseException, template: str) -> tuple[Path, int]:
    """The theme file and line a template error happened at (jinja2 gives template
    frames their template's file and line), else the template that was rendered."""
    found: tuple[Path, int] | None = None
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        return Path(exc.filename), exc.lineno or 1
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith(".html") and Path(name).is_file():
            found = Path(name), tb.tb_lineno
        tb = tb.tb_next
    return found or (Path(template), 1)


def css_string(value: str) -> Markup:
    """``value`` as a quoted CSS string, safe inside ``<style>``."""
    escaped = "".join(c if c.isalnum() or c in " -_.,:;()!?" else f"\\{ord(c):x} " for c in value)
    return Markup(f'"{escaped}"')


def join(lines: str) -> Markup:
    """Text with line breaks as ``<br>`` (escaped)."""
    return Markup("<br>").join(lines.split("\n"))
