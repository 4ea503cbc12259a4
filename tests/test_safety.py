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
    assert code == 1 and "is not a folder" in log and "Traceback" not in log
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
