"""What ``sopimus check`` reads beyond the sources: everything a build reads.

The reader checks the sources and outcome files; a build also reads the
translation catalogs of every language, the theme's label catalogs, and the
theme (its theme.yaml, fonts, ICC profile, Word template and HTML
templates).  :func:`check_inputs` reads them the way a build does and
returns the same findings, so that ``make check`` in CI catches a hostile or
broken catalog or theme before anything is rendered.
"""
from __future__ import annotations

from pathlib import Path

from .diagnostics import Diagnostic

THEMED_BUILDERS = ("pdf", "docx", "html")


def check_inputs(project, outdir: Path = Path("build")) -> list[Diagnostic]:
    """Findings about the catalogs and the theme of ``project`` (nothing is written)."""
    from .i18n import label_findings
    from .i18n.content import locale_dir
    found: list[Diagnostic] = []
    for lang in project.languages:
        found.extend(label_findings(lang, [locale_dir(project)]))
        if lang == project.config.source_language:
            continue
        for doc in project.documents:
            found.extend(project.localised(doc.id, lang).diagnostics)
    found.extend(_theme_findings(project, outdir))
    seen: set[Diagnostic] = set()
    return [d for d in found if not (d in seen or seen.add(d))]


def check_signed_copies(project, trust: list[Path] | None = None) -> tuple[list[Diagnostic], int]:
    """The findings about the project's signed copies, and how many were verified
    (none to verify: nothing, and pyHanko is not imported)."""
    from .signing import find_copies, verify_project
    copies, stray = find_copies(project)
    if not copies and not stray:
        return [], 0
    signed = verify_project(project, trust)
    return sorted(set(signed.findings)), len(signed.verified)


def theme_files(theme) -> None:
    """Resolve every file and folder the theme's values name (ThemeError for the first bad one).

    Fonts, their licence, the ICC profile, the Word template and the template
    folders must be files of the theme, inside its folder.
    """
    from .paths import inside
    from .theme import ThemeError
    for family in (theme.section("fonts") or {}).values():
        if not isinstance(family, dict):
            raise ThemeError(f"theme {theme.name!r}: a font family maps faces to files", theme.path / "theme.yaml")
        for path in family.values():
            theme.file(path)
    pdf, html, docx, report = (theme.section(k) for k in ("pdf", "html", "docx", "report"))
    for section, key in ((pdf, "icc_profile"), (html, "font_licence"), (docx, "template")):
        if section.get(key) is not None:
            theme.file(section[key])
    for section, key, default in ((html, "templates", "html"), (report, "templates", "report")):
        name = section.get(key, default)
        if section.get(key) is None and not (theme.path / default).is_dir():
            continue  # a built-in default the theme does not override
        folder = theme.folder(name)
        for path in sorted(folder.rglob("*")):
            if not inside(path, folder):  # as the template loader refuses it in a build
                raise ThemeError(f"template {path.name!r} leads outside the theme's templates folder "
                                 "(a symlink?)", path)


def _theme_findings(project, outdir: Path) -> list[Diagnostic]:
    from . import builders
    from .pipeline import _guarded
    from .theme import load_theme
    out: list[Diagnostic] = _guarded(project, lambda: theme_files(load_theme(project)) or [], list)
    if out:
        return out
    for name in THEMED_BUILDERS:
        try:
            instance = builders.get(name)(project, outdir)
        except KeyError:
            continue
        out.extend(_guarded(project, instance.prepare, list))
        if any(d.is_error and d.code == "theme" for d in out):
            break  # one broken theme, reported once
    return out
