"""Hostile input in every place it can enter: sources, catalogs, outcome files, YAML, the theme.

Each case plants one hostile input in a fresh quickstart project (beside a
file outside the project holding a secret), then runs ``sopimus check`` and
``sopimus build``.  Both must report the expected code at the expected file
and line and exit 1, print no traceback, show no byte of the outside file
(in the log or any output), create no sentinel, leave the previous output
as it was, and write nothing outside OUTDIR.
"""
from __future__ import annotations

import os
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from helpers import DOC, new_project
from sopimus.cli import main
from sopimus.resources import BUILTIN_THEMES

SECRET = "SALAINEN-ULKOPUOLINEN-TIEDOSTO"
RST = f"content/{DOC}/sopimus.rst"
RST_LINES = 86  # lines of the quickstart's sopimus.rst
PO = f"locales/sv/LC_MESSAGES/{DOC}.po"
LABELS = "locales/sv/LC_MESSAGES/sopimus.po"  # the project's own label catalog
OUTCOMES = f"content/{DOC}/toteumat/2026-H1.yaml"
PREVIOUS = b"<!-- the previous, good output -->"


@dataclass
class Case:
    plant: Callable[[Path], None]  # gets the project folder (with content/, locales/, themes/)
    file: str                      # the finding's file, relative to the project
    line: int | None
    code: str


def _append(project: Path, rel: str, text: str) -> None:
    path = project / rel
    path.write_text(path.read_text("utf-8") + text, "utf-8")


def _replace(project: Path, rel: str, old: str, new: str) -> None:
    path = project / rel
    text = path.read_text("utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


def _write(project: Path, rel: str, text: str | bytes) -> None:
    path = project / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))


def _catalog(msgstr: str) -> Callable[[Path], None]:
    """A Swedish catalog translating a paragraph of the quickstart as ``msgstr`` (on line 5)."""
    def plant(project: Path) -> None:
        _write(project, PO, 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                            f'msgid "Viraston arvot ovat:"\nmsgstr "{msgstr}"\n')
    return plant


def _labels(msgstr: str) -> Callable[[Path], None]:
    """The project's own Swedish label catalog, translating the label 'Contents' as ``msgstr``."""
    def plant(project: Path) -> None:
        _write(project, LABELS, 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                                f'msgid "Contents"\nmsgstr "{msgstr}"\n')
    return plant


def _reason(reason: str) -> Callable[[Path], None]:
    """An outcome file whose goal reason (line 3) is ``reason``."""
    def plant(project: Path) -> None:
        _write(project, OUTCOMES, f"goals:\n  kasittely-nopeaa:\n    rating: 2\n    reason: {reason}\n")
    return plant


def _symlink(rel: str) -> Callable[[Path], None]:
    """``rel`` replaced by a symlink to the file (or folder) outside the project."""
    def plant(project: Path) -> None:
        path = project / rel
        target = project.parent / ("outside-dir" if path.is_dir() else "outside.txt")
        if path.is_dir():
            shutil.copytree(path, target)
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
        path.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, path)
    return plant


def _theme(edit: Callable[[Path], None]) -> Callable[[Path], None]:
    """The project's own copy of the default theme, changed by ``edit``."""
    def plant(project: Path) -> None:
        theme = project / "themes" / "default"
        shutil.copytree(BUILTIN_THEMES / "default", theme)
        edit(theme)
    return plant


def _theme_yaml(old: str, new: str) -> Callable[[Path], None]:
    def edit(theme: Path) -> None:
        text = (theme / "theme.yaml").read_text("utf-8")
        assert old in text
        (theme / "theme.yaml").write_text(text.replace(old, new, 1), "utf-8")
    return _theme(edit)


def _word_template(name: str, data: bytes) -> Callable[[Path], None]:
    def edit(theme: Path) -> None:
        (theme / "docx" / name).write_bytes(data)
        text = (theme / "theme.yaml").read_text("utf-8").replace("template: docx/reference.docx",
                                                                 f"template: docx/{name}", 1)
        (theme / "theme.yaml").write_text(text, "utf-8")
    return _theme(edit)


def _docx_with(part: str, blob: bytes) -> bytes:
    """The default Word template with ``part`` replaced by ``blob``."""
    import io
    out = io.BytesIO()
    with zipfile.ZipFile(BUILTIN_THEMES / "default" / "docx" / "reference.docx") as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, blob if info.filename == part else src.read(info.filename))
    return out.getvalue()


XXE = (b'<?xml version="1.0"?><!DOCTYPE w:styles [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
       b'<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">&x;</w:styles>')
BOMB = b'<?xml version="1.0"?><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' \
    + b" " * (80 * 1024 * 1024) + b"</w:styles>"

CASES: dict[str, Case] = {
    # 1. every text that becomes reST goes through one policy
    "source-include-outside-document-folder": Case(
        lambda p: _append(p, RST, "\n.. include:: ../../../outside.txt\n"), RST, RST_LINES + 2, "include-outside"),
    "source-include-symlink": Case(
        lambda p: (_symlink(f"content/{DOC}/osa.rst")(p), _append(p, RST, "\n.. include:: osa.rst\n")),
        RST, RST_LINES + 2, "include-outside"),
    "catalog-include": Case(_catalog(".. include:: ../../../../outside.txt"), PO, 5, "include-refused"),
    "catalog-raw": Case(_catalog(".. raw:: html\\n\\n   <script>alert(1)</script>"), PO, 5, "raw-directive"),
    "catalog-directive": Case(_catalog(".. goal:: Toinen tavoite"), PO, 5, "directive-refused"),
    "outcome-reason-include": Case(_reason("'.. include:: ../../../../outside.txt'"), OUTCOMES, 2,
                                   "include-refused"),
    # 2. every path read stays inside its root
    "source-symlink": Case(_symlink(f"content/{DOC}/sopimus.rst"), f"content/{DOC}/document.yaml", 26,
                           "path-outside"),
    "document-yaml-symlink": Case(_symlink(f"content/{DOC}/document.yaml"), f"content/{DOC}/document.yaml", 1,
                                  "path-outside"),
    "document-folder-symlink": Case(_symlink(f"content/{DOC}"), "content/sopimus.yaml", 12, "path-outside"),
    "outcome-file-symlink": Case(lambda p: (_reason("'ok'")(p), _symlink(OUTCOMES)(p)), OUTCOMES, 1,
                                 "path-outside"),
    "catalog-symlink": Case(_symlink(PO), PO, 1, "path-outside"),
    # a folder on the way to the catalogs that leads out: its catalogs are not read
    **{f"catalog-{kind}-folder-symlink": Case(lambda p, rel=rel: (_catalog(SECRET)(p), _symlink(rel)(p)), PO, 1,
                                              "path-outside")
       for kind, rel in (("locales", "locales"), ("language", "locales/sv"),
                         ("messages", "locales/sv/LC_MESSAGES"))},
    **{f"label-catalog-{kind}-folder-symlink": Case(lambda p, rel=rel: (_labels(SECRET)(p), _symlink(rel)(p)),
                                                    LABELS, 1, "path-outside")
       for kind, rel in (("locales", "locales"), ("language", "locales/sv"),
                         ("messages", "locales/sv/LC_MESSAGES"))},
    "label-catalog-symlink": Case(lambda p: (_labels(SECRET)(p), _symlink(LABELS)(p)), LABELS, 1, "path-outside"),
    "catalog-not-po": Case(lambda p: _write(p, PO, "root:x:0:0:root:/root:/bin/bash\n"), PO, 1,
                           "catalog-invalid"),
    "catalog-unknown-charset": Case(lambda p: _write(p, PO, 'msgid ""\nmsgstr ""\n'
                                                            '"Content-Type: text/plain; charset=x-bogus\\n"\n'),
                                    PO, 1, "catalog-invalid"),
    "catalog-malformed-entry": Case(lambda p: _write(p, PO, 'msgid "a"\nmsgstr "b\nmsgid\n'), PO, 3,
                                    "catalog-invalid"),
    "theme-is-a-path": Case(lambda p: _replace(p, "content/sopimus.yaml", "theme: default",
                                               "theme: ../../outside-theme"), "content/sopimus.yaml", 9,
                            "theme-unknown"),
    "theme-font-outside": Case(_theme_yaml("regular: fonts/NotoSans-Regular.ttf",
                                           "regular: ../../../../outside.txt"), "themes/default/theme.yaml", 1,
                               "theme"),
    "theme-licence-outside": Case(_theme_yaml("font_licence: fonts/OFL.txt", "font_licence: /etc/passwd"),
                                  "themes/default/theme.yaml", 1, "theme"),
    "theme-folder-symlink": Case(lambda p: (_theme(lambda t: None)(p), _symlink("themes/default")(p)),
                                 "content/sopimus.yaml", 1, "theme"),
    "theme-template-symlink": Case(_theme(lambda t: (os.unlink(t / "html" / "nodes.html"),
                                                     os.symlink(t.parent.parent.parent / "outside.txt",
                                                                t / "html" / "nodes.html"))),
                                   "themes/default/html/nodes.html", 1, "theme"),
    # 3. every value parsed is a finding, never a traceback or a wrong number
    "source-arabic-indic-year": Case(
        lambda p: _append(p, RST, "\n.. indicator:: Uusi\n   :id: uusi\n   :unit: kpl\n   :٢٠٢٦: 5\n"),
        RST, RST_LINES + 5, "unknown-option"),
    "source-29-digits": Case(
        lambda p: _append(p, RST, "\n.. indicator:: Uusi\n   :id: uusi\n   :unit: kpl\n"
                                  "   :2026: 12345678901234567890123456789\n"),
        RST, RST_LINES + 5, "target-value"),
    "source-control-character": Case(lambda p: _append(p, RST, "\nKappale \x1b[2J tässä.\n"), RST, RST_LINES + 2,
                                     "control-character"),
    "outcome-full-width-digits": Case(lambda p: _write(p, OUTCOMES, "indicators:\n  kasittelyaika: ２５\n"),
                                      OUTCOMES, 2, "outcome-value"),
    "outcome-overflow": Case(lambda p: _write(p, OUTCOMES, "indicators:\n  kasittelyaika: '"
                                              + "9" * 40 + "'\n"), OUTCOMES, 2, "outcome-value"),
    "yaml-control-character": Case(
        lambda p: _replace(p, f"content/{DOC}/document.yaml", "  fi: Esimerkkiministeriön",
                           '  fi: "\\e[31mEsimerkki"\n  # '),
        f"content/{DOC}/document.yaml", 3, "control-character"),
    "language-code-with-newline": Case(
        lambda p: _replace(p, "content/sopimus.yaml", "languages: [fi, sv]", 'languages: [fi, "sv\\n"]'),
        "content/sopimus.yaml", 8, "meta-value"),
    "theme-section-wrong-type": Case(_theme_yaml("colours:\n", "colours: 3\nunused:\n"),
                                     "themes/default/theme.yaml", 1, "theme"),
    "theme-yaml-garbage": Case(_theme(lambda t: (t / "theme.yaml").write_bytes(b"\xff\xfe: [\x00")),
                               "themes/default/theme.yaml", 1, "theme"),
    "word-template-doctype": Case(_word_template("xxe.docx", _docx_with("word/styles.xml", XXE)),
                                  "themes/default/docx/xxe.docx", 1, "docx-template"),
    "word-template-zip-bomb": Case(_word_template("bomb.docx", _docx_with("word/styles.xml", BOMB)),
                                   "themes/default/docx/bomb.docx", 1, "docx-template"),
    # 7. links: https, http, mailto and #anchors only, wherever the link is written
    "source-link-scheme": Case(lambda p: _append(p, RST, "\nKatso `tästä <javascript:alert(1)>`__.\n"), RST,
                               RST_LINES + 2, "link-scheme"),
    "catalog-link-scheme": Case(_catalog("Se `här <file:///etc/passwd>`__"), PO, 5, "link-scheme"),
    "outcome-reason-link-scheme": Case(_reason("'`x <data:text/html,hi>`__'"), OUTCOMES, 2, "link-scheme"),
}


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.is_symlink()}


def _run(capsys, *args: str) -> tuple[int, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_input(tmp_path: Path, capsys, name: str) -> None:
    case = CASES[name]
    content = new_project(tmp_path)
    project = content.parent
    (tmp_path / "outside.txt").write_text(SECRET + "\n", "utf-8")
    case.plant(project)
    builder = "docx" if "word-template" in name else "html"
    out = tmp_path / "build"
    previous = out / builder / "fi" / f"{DOC}.{builder}"
    previous.parent.mkdir(parents=True)
    previous.write_bytes(PREVIOUS)
    before = {k: v for k, v in _files(tmp_path).items() if not k.startswith("build")}

    for args in (("check", str(content)), ("build", "-b", builder, str(content), str(out))):
        code, log = _run(capsys, *args)
        assert code == 1, log
        assert "Traceback" not in log
        assert SECRET not in log
        where = str(project / case.file) if case.line is None else f"{project / case.file}:{case.line}:"
        rows = [row for row in log.splitlines() if f"[{case.code}]" in row]
        assert any(row.startswith(where) or f"{case.file}:{case.line}:" in row for row in rows), log

    assert not (tmp_path / "SENTINEL").exists()
    assert previous.read_bytes() == PREVIOUS
    written = [p for p in out.rglob("*") if p.is_file() and ".cache" not in p.relative_to(out).parts]
    assert written == [previous]
    assert all(SECRET.encode() not in data for data in _files(out).values())
    after = {k: v for k, v in _files(tmp_path).items() if not k.startswith("build")}
    assert after == before  # nothing written outside OUTDIR


@pytest.mark.parametrize("rel", ["locales", "locales/sv", "locales/sv/LC_MESSAGES"])
def test_update_po_writes_no_catalog_through_a_folder_that_leads_out(tmp_path: Path, capsys, rel: str) -> None:
    """The folders a new catalog goes into are held to the project as the catalogs read are."""
    project = new_project(tmp_path).parent
    outside = tmp_path / "outside-dir"
    outside.mkdir()
    (project / rel).parent.mkdir(parents=True, exist_ok=True)
    if (project / rel).exists():
        (project / rel).rmdir()  # the quickstart's empty locales/
    os.symlink(outside, project / rel)
    code, log = _run(capsys, "update-po", str(project / "content"))
    assert code == 1, log
    assert any(f"{PO}:1:" in row and "[path-outside]" in row for row in log.splitlines()), log
    assert list(outside.rglob("*")) == []
