"""Localise a source-language document into one of the project's languages.

Metadata comes from the YAML's per-language texts; the body's text from the
translation catalog of the document (``locales/<lang>/LC_MESSAGES/<id>.po``),
applied here, at write time, so that one read serves every language.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from . import ast as A
from .config import pick
from .diagnostics import Diagnostic


@dataclass
class Localised:
    document: A.Document
    diagnostics: list[Diagnostic] = field(default_factory=list)
    coverage: object | None = None  # i18n.content.Coverage for translated documents


def localise(project, doc: A.Document, lang: str, strict: bool = False) -> Localised:
    """``doc`` (source language) as it reads in ``lang``."""
    if lang == doc.language:
        return Localised(doc)
    from .i18n.content import Translator

    source_lang = project.config.source_language
    meta = project.metadata[doc.id]
    config = project.config
    translator = Translator.for_document(project, doc.id, lang, strict)
    body = translator.translate_blocks(doc.body)
    translated = dataclasses.replace(
        doc, language=lang,
        title=pick(meta.title, lang, source_lang) or doc.title,
        lang=_fallback(meta.title, lang, source_lang),
        subtitle=pick(meta.subtitle, lang, source_lang),
        subtitle_lang=_fallback(meta.subtitle, lang, source_lang),
        organisation=pick(config.organisation.name, lang, source_lang) or "",
        place=pick(meta.place, lang, source_lang),
        parties=[dataclasses.replace(p, name=pick(m.name, lang, source_lang) or p.name,
                                     lang=_fallback(m.name, lang, source_lang))
                 for p, m in zip(doc.parties, meta.parties)],
        signatories=[dataclasses.replace(s, role=pick(m.role, lang, source_lang) or s.role,
                                         lang=_fallback(m.role, lang, source_lang))
                     for s, m in zip(doc.signatories, meta.signatories)],
        history=[dataclasses.replace(h, agreed=pick(m.agreed, lang, source_lang) or h.agreed)
                 for h, m in zip(doc.history, meta.history)],
        body=body)
    return Localised(translated, translator.diagnostics, translator.coverage)


def _fallback(text, lang: str, source_lang: str) -> str | None:
    """The source language when a metadata text has no ``lang`` version (it is shown in the source's)."""
    return source_lang if text and not (text.get(lang) if isinstance(text, dict) else None) else None
