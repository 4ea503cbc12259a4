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
    found: list[Diagnostic] = []
    for lang in project.languages:
        found.extend(label_findings(lang))
        if lang == project.config.source_language:
            continue
        for doc in project.documents:
            found.extend(project.localised(doc.id, lang).diagnostics)
    found.extend(_theme_findings(project, outdir))
    seen: set[Diagnostic] = set()
    return [d for d in found if not (d in seen or seen.add(d))]


def _theme_findings(project, outdir: Path) -> list[Diagnostic]:
    from . import builders
    from .pipeline import _guarded
    out: list[Diagnostic] = []
    for name in THEMED_BUILDERS:
        try:
            instance = builders.get(name)(project, outdir)
        except KeyError:
            continue
        out.extend(_guarded(project, instance.prepare, list))
        if any(d.is_error and d.code == "theme" for d in out):
            break  # one broken theme, reported once
    return out
