"""Localisation: formats, label catalogs, and translation of the text itself."""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from helpers import DOC, new_project
from sopimus.i18n import labels
from sopimus.resources import BUILTIN_LOCALES
from sopimus.i18n.formats import format_date, format_decimal, format_level, format_percent, format_range
from test_cli import run

NBSP = "\u00a0"


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_formats(lang: str) -> None:
    assert format_decimal(Decimal("30.0"), lang) == "30,0"
    assert format_decimal(Decimal("1234.5"), lang) == f"1{NBSP}234,5"
    assert format_percent(Decimal("85"), lang) == f"85{NBSP}%"
    assert format_level("<", Decimal("30.0"), "pv", lang) == f"<{NBSP}30,0"
    assert format_level(">=", Decimal("85"), "%", lang) == f"≥{NBSP}85{NBSP}%"
    assert format_level("=", Decimal("4"), None, lang) == "4"
    assert format_date(dt.date(2026, 8, 31), lang) == "31.8.2026"
    assert format_range(2026, 2029) == "2026–2029"


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_every_label_is_translated(lang: str) -> None:
    with open(BUILTIN_LOCALES / lang / "LC_MESSAGES" / "sopimus.po", "rb") as fh:
        catalog = read_po(fh)
    untranslated = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
    assert not untranslated


def test_labels_use_the_glossary() -> None:
    assert labels("fi")("Target {year}", year=2026) == "Tavoite 2026"
    assert labels("sv")("Target {year}", year=2026) == "Mål 2026"
    assert labels("sv")("Unit") == "Måttenhet"
    assert [labels("sv")(w) for w in ("GREEN", "YELLOW", "RED")] == ["GRÖN", "GUL", "RÖD"]


def _translate_all(po: Path, edit=lambda msgid: f"SV {msgid}") -> None:
    with open(po, "rb") as fh:
        catalog = read_po(fh)
    for m in catalog:
        if m.id:
            m.string = edit(m.id)
    with open(po, "wb") as fh:
        write_po(fh, catalog, width=0)


def _setup(tmp_path: Path) -> tuple[Path, Path]:
    content = new_project(tmp_path)
    assert run("update-po", str(content)).returncode == 0
    po = content.parent / "locales" / "sv" / "LC_MESSAGES" / f"{DOC}.po"
    _translate_all(po)
    return content, po


def test_translated_build_uses_the_catalog(tmp_path: Path) -> None:
    content, _ = _setup(tmp_path)
    result = run("build", "-b", "json", "-l", "sv", str(content), str(tmp_path / "b"))
    assert result.returncode == 0, result.stderr
    assert "translation sv virasto-tulossopimus: 100 % translated" in result.stdout
    data = json.loads((tmp_path / "b" / "json" / "sv" / f"{DOC}.json").read_text("utf-8"))
    assert data["language"] == "sv"
    assert data["title"].startswith("Resultatavtal")
    assert data["body"][0]["title"] == "SV Strategiset linjaukset"


def test_missing_translation_falls_back_with_warning_and_fails_strict(tmp_path: Path) -> None:
    content, po = _setup(tmp_path)
    with open(po, "rb") as fh:
        catalog = read_po(fh)
    catalog["Viraston tehtävät"].string = ""
    with open(po, "wb") as fh:
        write_po(fh, catalog, width=0)
    out = tmp_path / "b"
    result = run("build", "-b", "json", "-l", "sv", str(content), str(out))
    assert result.returncode == 0
    assert "sopimus.rst:4:1: warning: [translation-missing]" in result.stderr
    assert "1 missing" in result.stdout
    data = (out / "json" / "sv" / f"{DOC}.json").read_text("utf-8")
    assert '"title": "Viraston tehtävät"' in data  # the Finnish text stands in
    before = (out / "json" / "sv" / f"{DOC}.json").read_bytes()
    strict = run("build", "--strict", "-b", "json", "-l", "sv", str(content), str(out))
    assert strict.returncode == 1
    assert "error: [translation-missing]" in strict.stderr
    assert (out / "json" / "sv" / f"{DOC}.json").read_bytes() == before


def test_changed_source_marks_translation_fuzzy_and_keeps_it(tmp_path: Path) -> None:
    content, po = _setup(tmp_path)
    rst = content / DOC / "sopimus.rst"
    old = "Kuvaa tässä viraston tehtävät."
    rst.write_text(rst.read_text("utf-8").replace(old, "Kuvaa tässä viraston keskeiset tehtävät."), "utf-8")
    assert run("update-po", str(content)).returncode == 0
    with open(po, "rb") as fh:
        catalog = read_po(fh)
    changed = next(m for m in catalog if m.id and "keskeiset tehtävät" in m.id)
    assert changed.fuzzy
    assert changed.string.startswith("SV Kuvaa tässä viraston tehtävät.")  # the old translation as a hint
    # the previous source text as gettext's "#|" hint (babel does not read these back; check the file)
    assert '#| "Kuvaa tässä viraston tehtävät. Numerot tulevat rakenteesta: otsikoihin ei"' in po.read_text("utf-8")
    result = run("build", "-b", "json", "-l", "sv", str(content), str(tmp_path / "b"))
    assert "[translation-fuzzy]" in result.stderr and "1 fuzzy" in result.stdout
    assert run("build", "--strict", "-b", "json", "-l", "sv", str(content), str(tmp_path / "b")).returncode == 1


def test_gettext_template_has_every_unit_with_references(tmp_path: Path) -> None:
    content = new_project(tmp_path)
    assert run("build", "-b", "gettext", str(content), str(tmp_path / "b")).returncode == 0
    pot = tmp_path / "b" / "gettext" / f"{DOC}.pot"
    with open(pot, "rb") as fh:
        catalog = read_po(fh)
    ids = {m.id: m for m in catalog if m.id}
    for unit in ("Strategiset linjaukset", "Asiakkaat saavat päätöksensä ajallaan",
                 "Hakemusten keskimääräinen käsittelyaika", "Asteikko 1–5",
                 "Käsittelyprosessi on kuvattu ja sen pullonkaulat tunnistettu.",
                 "Tavoitteen :goal:`kasittely-nopeaa` toteutumista seurataan puolivuosittain.",
                 "tavoite on saavutettu tai ylitetty", "Asiakaslähtöisyys"):
        assert unit in ids, unit
    assert ids["Strategiset linjaukset"].locations == [(f"{DOC}/sopimus.rst", 1)]


def test_real_content_is_fully_translated(project) -> None:
    for doc in project.documents:
        loc = project.localised(doc.id, "sv")
        assert loc.coverage.missing == 0 and loc.coverage.fuzzy == 0, (doc.id, loc.coverage)


def test_a_bare_address_is_written_as_itself_and_reads_back_as_a_link() -> None:
    """A standalone address in a message is the address as the source writes it:
    "<https://…>" would read back with its brackets as text (docutils keeps them)."""
    from sopimus import ast as A
    from sopimus.i18n.content import inline_markup, parse_inline
    url = "https://www.valtiokonttori.fi/maaraykset-ja-ohjeet/"
    inlines = [A.Text("julkaistaan määräyksen mukaisesti "), A.Link(url=url, content=[A.Text(url)])]
    text = inline_markup(inlines)
    assert text == f"julkaistaan määräyksen mukaisesti {url}"
    back, problems = parse_inline(text.replace("julkaistaan", "publiceras"), A.Source("x.po", 1))
    assert not problems
    assert [type(n) for n in back] == [A.Text, A.Link] and back[1].url == url
    assert A.plain_text(back) == f"publiceras määräyksen mukaisesti {url}"
    # a link with its own text, or an address docutils would not read back whole, stays explicit
    assert inline_markup([A.Link(url=url, content=[A.Text("määräys")])]) == f"`määräys <{url}>`__"
    assert inline_markup([A.Link(url=url + "x.", content=[A.Text(url + "x.")])]) == f"`{url}x. <{url}x.>`__"
