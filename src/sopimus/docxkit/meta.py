"""Document metadata and language: core properties, ``w:lang`` defaults and
the settings that make Word update fields on opening."""
from __future__ import annotations

import datetime as _dt

from docx.oxml.ns import qn

from .. import ast as A
from .. import present as P
from ..i18n import Labels
from ..i18n.formats import babel_locale
from .xml import el, insert_ordered, lang_element, val

# CT_Settings children that come after w:updateFields / w:themeFontLang / w:decimalSymbol.
_AFTER_UPDATE_FIELDS = ("w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars",
                        "w:rsids", "m:mathPr", "w:attachedSchema", "w:themeFontLang",
                        "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures",
                        "w:forceUpgrade", "w:captions", "w:readModeInkLockDown", "w:smartTagType",
                        "sl:schemaLibrary", "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol",
                        "w:listSeparator")
_AFTER_THEME_FONT_LANG = _AFTER_UPDATE_FIELDS[_AFTER_UPDATE_FIELDS.index("w:themeFontLang") + 1:]
_AFTER_DECIMAL = ("w:listSeparator",)
# CT_RPr children after w:lang.
_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")


def language_tag(lang: str) -> str:
    """``fi`` → ``fi-FI``, ``sv`` → ``sv-FI`` (the locales of the formats)."""
    return babel_locale(lang).replace("_", "-")


# python-docx refuses a core property longer than this (Word's properties dialog too)
CORE_PROPERTY_LIMIT = 255


def fit_property(text: str) -> str:
    """A core property's text: at most 255 characters, cut at a word with "…"."""
    if len(text) <= CORE_PROPERTY_LIMIT:
        return text
    cut = text[:CORE_PROPERTY_LIMIT - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ;,") + "…"


def set_core_properties(document, doc: A.Document, _: Labels, when: _dt.datetime) -> None:
    """Title, parties and the rest as Word shows them under File > Info; the
    text itself always carries them in full (six parties' names run long)."""
    cp = document.core_properties
    doc_type = P.document_type(doc, _)
    cp.title = fit_property(doc.title)
    cp.subject = fit_property(f"{doc_type} {P.period_text(doc)}")
    cp.author = fit_property(doc.organisation)
    cp.last_modified_by = fit_property(doc.organisation)
    cp.category = fit_property(doc_type)
    cp.keywords = fit_property("; ".join(p.name for p in doc.parties))
    cp.identifier = doc.id
    cp.language = language_tag(doc.language)
    cp.content_status = _("DRAFT") if doc.is_draft else ""
    cp.comments = fit_property(doc.subtitle or "")
    cp.version = ""
    cp.revision = 1
    naive = when.astimezone(_dt.timezone.utc).replace(tzinfo=None)
    cp.created = naive
    cp.modified = naive
    cp.last_printed = naive


def set_language(styles, settings, tag: str) -> None:
    """The text language in the style defaults and every style that names one."""
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = el("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = el("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = el("w:rPr")
        rpr_default.append(rpr)
    _set_lang(rpr, tag)
    for lang in styles.iter(qn("w:lang")):
        lang.set(qn("w:val"), tag)
    font_lang = settings.find(qn("w:themeFontLang"))
    if font_lang is None:
        font_lang = el("w:themeFontLang")
        insert_ordered(settings, font_lang, _AFTER_THEME_FONT_LANG)
    font_lang.set(qn("w:val"), tag)


def _set_lang(rpr, tag: str) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        insert_ordered(rpr, lang_element(tag), _AFTER_LANG)
    else:
        lang.set(qn("w:val"), tag)


def set_update_fields(settings) -> None:
    """Ask Word to update fields (TOC page numbers) when the document is opened."""
    if settings.find(qn("w:updateFields")) is None:
        insert_ordered(settings, val("w:updateFields", "true"), _AFTER_UPDATE_FIELDS)


def set_number_symbols(settings, decimal: str, list_separator: str) -> None:
    """The decimal sign and list separator Word's field calculations use."""
    for tag, value, after in (("w:decimalSymbol", decimal, _AFTER_DECIMAL), ("w:listSeparator", list_separator, ())):
        node = settings.find(qn(tag))
        if node is None:
            node = el(tag)
            insert_ordered(settings, node, after)
        node.set(qn("w:val"), value)
