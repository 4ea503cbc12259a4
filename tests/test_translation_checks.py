"""Translations are sources: a msgstr is checked like the text it translates,
at the .po file's line — markup, roles and references to goals."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sopimus.cli import main

DATA = Path(__file__).parent / "data" / "monta-ministeriota"
DOC = "pohjois-elinvoimakeskus-2026-2027"
REF = "Hur målet :goal:`paatokset-ajallaan` nås följs upp halvårsvis."


@pytest.fixture()
def project(tmp_path) -> Path:
    shutil.copytree(DATA, tmp_path / "p")
    return tmp_path / "p"


def _translate(project: Path, new: str) -> int:
    """Put ``new`` where the reference's translation stands; its msgstr line."""
    po = project / "locales" / "sv" / "LC_MESSAGES" / f"{DOC}.po"
    text = po.read_text("utf-8")
    assert REF in text
    po.write_text(text.replace(REF, new), "utf-8")
    return next(i for i, line in enumerate(po.read_text("utf-8").splitlines(), 1)
                if line.startswith("msgstr") and new[:20] in line)


def test_an_unknown_goal_in_a_translation_is_an_error_at_the_po_line(project, capsys):
    line = _translate(project, "Hur målet :goal:`paatokset-i-tid` nås följs upp halvårsvis.")
    content = str(project / "content")
    assert main(["check", content]) == 1
    out = capsys.readouterr().out
    assert f"locales/sv/LC_MESSAGES/{DOC}.po:{line}:1: error: [goal-ref]" in out and "paatokset-i-tid" in out
    for builder in ("pdf", "html", "docx"):
        assert main(["build", "-b", builder, "-l", "sv", "-q", content, str(project / "build")]) == 1
        err = capsys.readouterr().err
        assert "Traceback" not in err and f"{DOC}.po:{line}:1: error: [goal-ref]" in err
    assert not [p for b in ("pdf", "html", "docx") for p in (project / "build" / b).rglob(f"{DOC}.*")]


def test_an_unknown_role_in_a_translation_is_an_error_at_the_po_line(project, capsys):
    line = _translate(project, "Hur målet :mål:`paatokset-ajallaan` nås följs upp halvårsvis.")
    assert main(["check", str(project / "content")]) == 1
    out = capsys.readouterr().out
    assert f"{DOC}.po:{line}:1: error:" in out and "mål" in out


def test_broken_markup_in_a_translation_is_reported_at_the_po_line(project, capsys):
    line = _translate(project, "Hur målet *nås följs upp halvårsvis.")
    main(["check", str(project / "content")])
    out = capsys.readouterr().out
    assert f"{DOC}.po:{line}:1: warning:" in out and "emphasis" in out.lower()


def test_a_good_translation_passes_check_and_links_the_goal(project, capsys):
    assert main(["check", str(project / "content")]) == 0
    assert main(["build", "-b", "html", "-l", "sv", "-q", str(project / "content"), str(project / "build")]) == 0
    page = (project / "build" / "html" / "sv" / f"{DOC}.html").read_text("utf-8")
    assert 'href="#goal-paatokset-ajallaan"' in page or "paatokset-ajallaan" in page


def test_build_coverage_counts_messages_as_update_po_does(project, capsys):
    content = str(project / "content")
    assert main(["update-po", content]) == 0
    counted = capsys.readouterr()
    po_line = next(line for line in (counted.out + counted.err).splitlines() if f"{DOC}.po:" in line)
    translated, total = po_line.split(": ", 1)[1].split(" ")[0].split("/")
    assert main(["build", "-b", "json", "-l", "sv", content, str(project / "build")]) == 0
    built = capsys.readouterr()
    assert f"({translated}/{total})" in built.out + built.err
    # the hint names the command that creates and updates the catalog
    assert "sopimus update-po -l sv" in built.out + built.err and "make gettext" not in built.out + built.err


def test_a_message_standing_twice_with_broken_markup_counts_once_as_missing(tmp_path):
    """Coverage counts messages, as update-po does: a text twice in the document,
    whose translation cannot be used, is one message missing, not two."""
    from sopimus import ast as A
    from sopimus.i18n.content import Translator

    po = tmp_path / "doc.po"
    po.write_text("", "utf-8")
    twice = [A.Paragraph([A.Text("Sama kappale.")]) for _ in range(2)]
    translator = Translator("sv", {"Sama kappale.": ("Samma *stycke.", False, 7)}, po)
    translator.translate_blocks(twice)
    assert (translator.coverage.total, translator.coverage.translated, translator.coverage.missing) == (1, 0, 1)
