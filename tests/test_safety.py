"""Outputs stay inside OUTDIR, terminal output cannot be forged, theme values are escaped."""
from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

from helpers import DOC, new_project
from sopimus.cli import main
from sopimus.diagnostics import Diagnostic


def _build(capsys, *args: str) -> tuple[int, str]:
    code = main(["build", *args])
    out = capsys.readouterr()
    return code, out.out + out.err


def test_outdir_that_is_a_file_is_an_error(tmp_path: Path, capsys) -> None:
    content = new_project(tmp_path)
    out = tmp_path / "build"
    out.write_bytes(b"not a folder")
    code, log = _build(capsys, "-b", "json", str(content), str(out))
    assert code == 1 and "cannot write the outputs: Not a directory" in log and "Traceback" not in log
    assert out.read_bytes() == b"not a folder"


def test_a_symlinked_output_folder_does_not_send_outputs_elsewhere(tmp_path: Path, capsys) -> None:
    content = new_project(tmp_path)
    out, elsewhere = tmp_path / "build", tmp_path / "elsewhere"
    elsewhere.mkdir()
    out.mkdir()
    os.symlink(elsewhere, out / "json")
    code, log = _build(capsys, "-b", "json", str(content), str(out))
    assert code == 1 and "outside the output folder" in log, log
    assert list(elsewhere.rglob("*")) == []


def test_a_symlinked_cache_is_not_written_through(tmp_path: Path, capsys) -> None:
    content = new_project(tmp_path)
    out, elsewhere = tmp_path / "build", tmp_path / "elsewhere"
    elsewhere.mkdir()
    out.mkdir()
    os.symlink(elsewhere, out / ".cache")
    code, log = _build(capsys, "-b", "json", str(content), str(out))
    assert code == 0, log  # the cache only costs time: the outputs are written, the cache is not
    assert (out / "json" / "fi" / f"{DOC}.json").is_file()
    assert list(elsewhere.rglob("*")) == []


def test_a_failed_write_replaces_nothing(tmp_path: Path, capsys) -> None:
    """One output folder cannot be written: no other output is replaced either."""
    content = new_project(tmp_path)
    out = tmp_path / "build"
    assert _build(capsys, "-b", "json", str(content), str(out))[0] == 0
    fi = out / "json" / "fi" / f"{DOC}.json"
    before = fi.read_bytes()
    rst = content / DOC / "sopimus.rst"
    rst.write_text(rst.read_text("utf-8") + "\nUusi kappale.\n", "utf-8")
    (out / "json" / "sv").chmod(0o500)
    try:
        if os.access(out / "json" / "sv", os.W_OK):  # running as root: permissions do not stop us
            (out / "json" / "sv").chmod(0o700)
            (out / "json" / "sv" / f"{DOC}.json").unlink()
            (out / "json" / "sv" / f"{DOC}.json").mkdir()  # a folder where a file should go
        code, log = _build(capsys, "-E", "-b", "json", str(content), str(out))
    finally:
        (out / "json" / "sv").chmod(0o700)
    assert code == 1, log
    assert fi.read_bytes() == before
    assert not [p for p in out.rglob("*.tmp")]


def test_diagnostics_escape_control_characters() -> None:
    d = Diagnostic("content/a\nb.rst:1:1: error: [forged] x\x1b[2J", 3, 1, "error", "code", "msg\rwith\x07bell",
                   "hint\nline")
    text = d.format()
    assert text.count("\n") == 1  # the line and its hint, nothing forged
    assert "\x1b" not in text and "\r" not in text and "\x07" not in text
    assert "\\x1b" in text and "a\\x0ab.rst" in text


def test_a_file_name_with_a_newline_cannot_forge_a_finding(tmp_path: Path, capsys) -> None:
    content = new_project(tmp_path)
    folder = content / DOC / "toteumat"
    folder.mkdir()
    (folder / "x\nfake.rst:1:1: error: [forged] .yaml").write_text("{}\n", "utf-8")
    assert main(["check", str(content)]) == 1
    out = capsys.readouterr().out
    assert not [row for row in out.splitlines() if row.startswith("fake.rst")]
    assert "[outcome-period]" in out


def test_the_chart_escapes_the_themes_font_family() -> None:
    from reportlab.graphics.shapes import Drawing, String
    from sopimus.builders.report.chart import to_svg
    drawing = Drawing(100, 20)
    drawing.add(String(1, 1, "VIHREÄ", fontName="Helvetica", fontSize=9))
    svg = to_svg(drawing, "Title", 'Noto" onmouseover="alert(1)')
    root = ET.fromstring(svg)
    text = root.find("{http://www.w3.org/2000/svg}text")
    assert "onmouseover" not in text.attrib
    assert text.attrib["font-family"] == 'Noto" onmouseover="alert(1)'


# --- caches are not trusted -------------------------------------------------------------

def test_a_source_saved_during_a_build_is_built_again_next_time(tmp_path: Path, capsys, monkeypatch) -> None:
    """The race: the source changes after it was read and before the outputs are recorded."""
    import sopimus.pipeline as pipeline
    content = new_project(tmp_path)
    out = tmp_path / "build"
    rst = content / DOC / "sopimus.rst"
    real = pipeline._render_all

    def render_while_the_drafter_saves(*args, **kwargs):
        rst.write_text(rst.read_text("utf-8") + "\nTallennettu kesken käännöksen.\n", "utf-8")
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "_render_all", render_while_the_drafter_saves)
    assert _build(capsys, "-j", "1", "-b", "json", str(content), str(out))[0] == 0
    json_fi = out / "json" / "fi" / f"{DOC}.json"
    assert "Tallennettu kesken" not in json_fi.read_text("utf-8")  # built from what was read
    monkeypatch.setattr(pipeline, "_render_all", real)
    code, log = _build(capsys, "-j", "1", "-b", "json", str(content), str(out))
    assert code == 0, log
    assert "Tallennettu kesken" in json_fi.read_text("utf-8")  # the next build saw the change


def test_an_edited_read_cache_entry_is_not_used(tmp_path: Path, capsys) -> None:
    import json
    content = new_project(tmp_path)
    out = tmp_path / "build"
    assert _build(capsys, "-b", "json", str(content), str(out))[0] == 0
    entry_path = out / ".cache" / "read" / f"{DOC}.json"
    entry = json.loads(entry_path.read_text("utf-8"))
    text = json.dumps(entry["document"], ensure_ascii=False)
    assert "Kuvaa tässä" in text
    entry["document"] = json.loads(text.replace(
        '"Kuvaa tässä', '"<a href=\\"javascript:alert(1)\\">x</a> Kuvaa tässä', 1).replace(
        '"id": "sujuva-palvelu"', '"id": "../../../etc/passwd"', 1))
    entry_path.write_text(json.dumps(entry, ensure_ascii=False), "utf-8")
    for p in (out / ".cache").glob("outputs-*.json"):
        p.unlink()  # make the outputs stale, so the build reads again (through the read cache)
    assert _build(capsys, "-b", "html", str(content), str(out))[0] == 0
    page = (out / "html" / "fi" / f"{DOC}.html").read_text("utf-8")
    assert "javascript:" not in page and "etc/passwd" not in page


def test_a_missing_include_created_later_makes_the_output_stale(tmp_path: Path, capsys) -> None:
    content = new_project(tmp_path)
    out = tmp_path / "build"
    rst = content / DOC / "sopimus.rst"
    rst.write_text(rst.read_text("utf-8") + "\n.. include:: osa.rst\n", "utf-8")
    code, log = _build(capsys, "-b", "json", str(content), str(out))
    assert code == 1 and "[file-missing]" in log
    (content / DOC / "osa.rst").write_text("Myöhemmin kirjoitettu osa.\n", "utf-8")
    code, log = _build(capsys, "-b", "json", str(content), str(out))
    assert code == 0, log  # the cached error did not outlive its cause
    assert "Myöhemmin kirjoitettu osa." in (out / "json" / "fi" / f"{DOC}.json").read_text("utf-8")


def test_a_new_project_theme_or_locale_folder_makes_outputs_stale(tmp_path: Path, capsys) -> None:
    import shutil
    content = new_project(tmp_path)
    out = tmp_path / "build"
    assert _build(capsys, "-b", "json", "-l", "sv", str(content), str(out))[0] == 0
    assert "1 up to date" in _build(capsys, "-b", "json", "-l", "sv", str(content), str(out))[1]
    po = content.parent / "locales" / "sv" / "LC_MESSAGES" / f"{DOC}.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                  'msgid "Viraston arvot ovat:"\nmsgstr "Verkets värderingar är:"\n', "utf-8")
    code, log = _build(capsys, "-b", "json", "-l", "sv", str(content), str(out))
    assert code == 0 and "up to date" not in log, log
    assert "Verkets värderingar" in (out / "json" / "sv" / f"{DOC}.json").read_text("utf-8")
    from sopimus.resources import BUILTIN_THEMES
    shutil.copytree(BUILTIN_THEMES / "default", content.parent / "themes" / "default")
    code, log = _build(capsys, "-b", "json", "-l", "sv", str(content), str(out))
    assert code == 0 and "up to date" not in log, log


def test_a_label_translation_with_other_placeholders_is_a_finding_and_english_stands(tmp_path: Path) -> None:
    from sopimus.i18n import label_findings, labels
    folder = tmp_path / "locales" / "fi" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "sopimus.po").write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "page {number}"\nmsgstr "sivu {nummer}"\n\n'
        'msgid "{size} kB"\nmsgstr "{size.__class__} kt"\n\n'
        'msgid "Signatures"\nmsgstr "Allekirjoitukset"\n', "utf-8")
    found = label_findings("fi", [tmp_path / "locales"])
    assert [(d.code, d.line) for d in found] == [("catalog-placeholder", 5), ("catalog-placeholder", 8)]
    words = labels("fi", [tmp_path / "locales"])
    assert words("page {number}", number=3) == "page 3"  # the English label, not a KeyError
    assert words("Signatures") == "Allekirjoitukset"


def test_a_killed_builds_temporary_files_are_swept(tmp_path: Path, capsys) -> None:
    content = new_project(tmp_path)
    out = tmp_path / "build"
    left = out / "json" / "fi" / f".{DOC}.json.abcd1234.tmp"
    left.parent.mkdir(parents=True)
    left.write_bytes(b"half a file")
    assert _build(capsys, "-b", "json", str(content), str(out))[0] == 0
    assert not left.exists()
    assert not list(out.rglob("*.tmp"))
