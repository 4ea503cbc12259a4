"""Hostile and broken input: a finding with file and line, exit 1, no traceback,
nothing executed, nothing read from outside the tree, the last good output intact."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from helpers import DOC, new_project
from sopimus.reader import read
from test_cli import REPO, run

CORPUS = Path(__file__).parent / "hostile"
CASES = YAML(typ="safe").load((CORPUS / "cases.yaml").read_text("utf-8"))
SECRET = "SALAINEN-ULKOPUOLINEN-TIEDOSTO"


def _place(tmp_path: Path, name: str, spec: dict) -> Path:
    content = new_project(tmp_path)
    target = {"rst": content / DOC / "sopimus.rst", "document": content / DOC / "document.yaml",
              "project": content / "sopimus.yaml"}[spec["replaces"]]
    if name == "huge-paragraph.rst":
        target.write_bytes(b"Otsikko\n=======\n\n" + b"sana " * (200 * 1024) + b"\n")
    elif name == "huge-source.rst":
        target.write_bytes(b"Otsikko\n=======\n\n" + b"sana sana sana sana.\n\n" * (450 * 1024))
    else:
        target.write_bytes((CORPUS / name).read_bytes())
    # Files outside the source tree that hostile includes point at.
    (tmp_path / "outside.txt").write_text(SECRET, "utf-8")
    (tmp_path / "p" / "outside.txt").write_text(SECRET, "utf-8")
    os.symlink(tmp_path / "outside.txt", content / DOC / "linkki.rst")
    return content


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_source(tmp_path: Path, name: str) -> None:
    spec = CASES[name]
    content = _place(tmp_path, name, spec)
    out = tmp_path / "build"
    good = out / "json" / "fi" / f"{DOC}.json"
    good.parent.mkdir(parents=True)
    good.write_bytes(b'{"previous": "good output"}')

    result = run("build", "-b", "json", str(content), str(out), cwd=tmp_path)
    text = result.stdout + result.stderr
    assert result.returncode == 1, text
    assert "Traceback" not in text
    line = f":{spec['line']}:" if "line" in spec else ":"
    assert any(f"[{spec['code']}]" in row and line in row.split(" ")[0] for row in text.splitlines()), text
    if "also" in spec:
        assert f"[{spec['also']}]" in text
    assert SECRET not in text  # nothing read from outside the tree
    assert not (tmp_path / "SENTINEL").exists() and not (content / "SENTINEL").exists()  # nothing executed
    assert good.read_bytes() == b'{"previous": "good output"}'
    written = [p for p in out.rglob("*") if p.is_file() and ".cache" not in p.relative_to(out).parts]
    assert written == [good]


def test_wrong_types_in_every_metadata_field(tmp_path: Path) -> None:
    content = _place(tmp_path, "wrong-types.yaml", CASES["wrong-types.yaml"])
    _, diags = read(content)
    lines = {d.line for d in diags.errors if d.file.endswith("document.yaml")}
    field_lines = set(range(1, 14))  # every key of wrong-types.yaml is wrong
    assert field_lines <= lines, sorted(field_lines - lines)


def test_include_inside_the_document_folder_works(tmp_path: Path) -> None:
    content = new_project(tmp_path)
    (content / DOC / "osat").mkdir()
    (content / DOC / "osat" / "yhteinen.rst").write_text("Yhteinen kappale kaikille sopimuksille.\n", "utf-8")
    rst = content / DOC / "sopimus.rst"
    rst.write_text(rst.read_text("utf-8") + "\n.. include:: osat/yhteinen.rst\n", "utf-8")
    project, diags = read(content)
    assert not diags.errors, [d.format() for d in diags.errors]
    from sopimus import ast as A
    texts = [A.plain_text(n.content) for n in project.documents[0].walk() if isinstance(n, A.Paragraph)]
    assert "Yhteinen kappale kaikille sopimuksille." in texts
    assert (content / DOC / "osat" / "yhteinen.rst").resolve() in [p.resolve() for p in project.dependencies[DOC]]


def test_include_from_another_folder_of_the_tree_is_refused(tmp_path: Path) -> None:
    """The document's folder is the include root: not the content folder, not another document."""
    content = new_project(tmp_path)
    (content / "yhteinen.rst").write_text("Toisen kansion teksti.\n", "utf-8")
    rst = content / DOC / "sopimus.rst"
    n = len(rst.read_text("utf-8").splitlines())
    rst.write_text(rst.read_text("utf-8") + "\n.. include:: ../yhteinen.rst\n", "utf-8")
    _, diags = read(content)
    assert [(d.code, d.line) for d in diags.errors] == [("include-outside", n + 2)]


def test_an_include_cycle_is_an_error(tmp_path: Path) -> None:
    content = new_project(tmp_path)
    (content / DOC / "a.rst").write_text("A.\n\n.. include:: b.rst\n", "utf-8")
    (content / DOC / "b.rst").write_text("B.\n\n.. include:: a.rst\n", "utf-8")
    rst = content / DOC / "sopimus.rst"
    rst.write_text(rst.read_text("utf-8") + "\n.. include:: a.rst\n", "utf-8")
    _, diags = read(content)
    assert "include-cycle" in {d.code for d in diags.errors}, [d.format() for d in diags.items]


def test_included_text_counts_against_the_size_cap(tmp_path: Path, monkeypatch) -> None:
    """Six includes of a file each under the cap, together over it: too-large, not 6× the work."""
    monkeypatch.setattr("sopimus.rst.policy.MAX_SOURCE_CHARS", 100_000)
    content = new_project(tmp_path)
    (content / DOC / "iso.rst").write_text("sana sana sana.\n\n" * 1500, "utf-8")
    rst = content / DOC / "sopimus.rst"
    rst.write_text(rst.read_text("utf-8") + "\n.. include:: iso.rst\n" * 6, "utf-8")
    _, diags = read(content)
    assert "too-large" in {d.code for d in diags.errors}


def test_interrupted_build_leaves_old_outputs(tmp_path: Path) -> None:
    """Kill a build midway (SIGKILL, no cleanup): every output is the old one or the new one."""
    content = new_project(tmp_path)
    out = tmp_path / "build"
    assert run("build", "-b", "json", str(content), str(out)).returncode == 0
    before = {p: p.read_bytes() for p in (out / "json").rglob("*.json")}
    rst = content / DOC / "sopimus.rst"
    rst.write_text(rst.read_text("utf-8") + "\nUusi kappale.\n" * 2000, "utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    for delay in (0.15, 0.3, 0.5, 0.8):
        proc = subprocess.Popen([sys.executable, "-m", "sopimus", "build", "-E", "-b", "json", str(content), str(out)],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        for path, data in before.items():
            now = path.read_bytes()
            assert now == data or (b"Uusi kappale" in now and now.rstrip().endswith(b"}")), path
        assert not [p for p in out.rglob("*.json") if p not in before and ".cache" not in p.parts]


yaml_text = st.text(alphabet=st.sampled_from(list("abc:-[]{}&*!|>'\"#\n ,.0123456789äö\t%@`?")), max_size=300)
rst_text = st.text(alphabet=st.sampled_from(list("abc .:-=*`_|\\<>[]()#\n 0123456789äö\t")), max_size=400)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=rst_text)
def test_reader_never_raises_on_any_rst(tmp_path_factory, text: str) -> None:
    content = new_project(tmp_path_factory.mktemp("h"))
    (content / DOC / "sopimus.rst").write_text(text, "utf-8")
    project, diags = read(content)  # either an AST or findings, never an exception
    assert project is not None or diags.errors
    assert not [d for d in diags.items if d.code == "internal"], [d.format() for d in diags.items]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=yaml_text)
def test_reader_never_raises_on_any_yaml(tmp_path_factory, text: str) -> None:
    content = new_project(tmp_path_factory.mktemp("h"))
    (content / DOC / "document.yaml").write_text(text, "utf-8")
    project, diags = read(content)
    assert diags.errors  # this document.yaml cannot be valid
    assert not [d for d in diags.items if d.code == "internal"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300))
def test_reader_never_raises_on_any_bytes(tmp_path_factory, data: bytes) -> None:
    content = new_project(tmp_path_factory.mktemp("h"))
    (content / DOC / "sopimus.rst").write_bytes(data)
    project, diags = read(content)
    assert project is not None or diags.errors
    assert not [d for d in diags.items if d.code == "internal"]
