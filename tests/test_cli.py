"""The command line as a drafter and CI use it: exit codes, messages, nothing half-written."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import new_project

REPO = Path(__file__).resolve().parents[1]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    return subprocess.run([sys.executable, "-m", "sopimus", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_check_is_clean_on_the_real_content() -> None:
    result = run("check", str(REPO / "content"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 error(s), 0 warning(s)" in result.stdout


def test_yaml_error_and_unknown_directive_reported_together(content_copy: Path) -> None:
    """The issue's acceptance check: one run, both findings, right lines, exit 1, no traceback."""
    doc = content_copy / "keha-yleishallinto-2026-2029"
    yaml_path = doc / "document.yaml"
    yaml_lines = yaml_path.read_text("utf-8").count("\n")
    yaml_path.write_text(yaml_path.read_text("utf-8") + "extra: [unclosed\n", "utf-8")
    rst_path = doc / "02-johdon-katsaus.rst"
    rst_lines = rst_path.read_text("utf-8").count("\n")
    rst_path.write_text(rst_path.read_text("utf-8") + "\n.. tuntematon:: x\n", "utf-8")
    other = content_copy / "keha-tem-substanssi-2026-2029" / "04-tulostavoitteet.rst"
    other_lines = other.read_text("utf-8").count("\n")
    other.write_text(other.read_text("utf-8") + "\n.. tuntematon:: y\n", "utf-8")

    result = run("check", str(content_copy))
    out = result.stdout
    assert result.returncode == 1
    assert "Traceback" not in out + result.stderr
    assert f"document.yaml:{yaml_lines + 1}:" in out and "[yaml-syntax]" in out
    assert f"02-johdon-katsaus.rst:{rst_lines + 2}:1: error: [unknown-directive]" in out
    assert f"04-tulostavoitteet.rst:{other_lines + 2}:1: error: [unknown-directive]" in out


def test_build_with_errors_writes_nothing_and_keeps_old_outputs(tmp_path: Path) -> None:
    content = new_project(tmp_path)
    out = tmp_path / "out"
    assert run("build", "-b", "json", str(content), str(out)).returncode == 0
    good = (out / "json" / "fi" / "virasto-tulossopimus.json").read_bytes()
    rst = content / "virasto-tulossopimus" / "sopimus.rst"
    rst.write_text(rst.read_text("utf-8") + "\n.. raw:: html\n\n   <b>x</b>\n", "utf-8")
    result = run("build", "-b", "json", str(content), str(out))
    assert result.returncode == 1
    assert "nothing written" in result.stdout
    assert (out / "json" / "fi" / "virasto-tulossopimus.json").read_bytes() == good
    assert not list(out.rglob("*.tmp"))


def test_usage_errors_exit_2() -> None:
    assert run("build").returncode == 2
    assert run("frobnicate").returncode == 2
    assert run("build", "-b", "nosuchbuilder", str(REPO / "content")).returncode == 2


def test_missing_source_folder_is_a_finding_not_a_traceback(tmp_path: Path) -> None:
    result = run("check", str(tmp_path / "nowhere"))
    assert result.returncode == 1
    assert "sopimus.yaml:1:1: error: [file-missing]" in result.stdout
    assert "Traceback" not in result.stderr


def test_build_reports_each_output_and_one_summary_line(tmp_path: Path) -> None:
    content = new_project(tmp_path)
    result = run("build", "-b", "json", "-l", "fi", str(content), str(tmp_path / "b"))
    assert result.returncode == 0
    assert "[json fi] virasto-tulossopimus →" in result.stdout
    summary = result.stdout.strip().splitlines()[-1]
    assert summary.startswith("build succeeded: 1 output(s) written, 0 warning(s), 0 error(s) in ")
    quiet = run("build", "-q", "-b", "json", "-l", "fi", str(content), str(tmp_path / "b"))
    assert quiet.stdout == ""


def test_unknown_language_is_refused(tmp_path: Path) -> None:
    content = new_project(tmp_path)
    result = run("build", "-b", "json", "-l", "en", str(content), str(tmp_path / "b"))
    assert result.returncode == 1
    assert "language 'en' is not one of the project's" in result.stderr


def test_new_writes_a_project_that_checks_clean(tmp_path: Path) -> None:
    result = run("new", str(tmp_path / "uusi"))
    assert result.returncode == 0
    check = run("check", cwd=tmp_path / "uusi")
    assert check.returncode == 0, check.stdout
    assert run("new", str(tmp_path / "uusi")).returncode == 1  # never overwrites


def test_json_build_of_the_real_content(tmp_path: Path) -> None:
    result = run("build", "-b", "json", "-l", "fi", str(REPO / "content"), str(tmp_path))
    assert result.returncode == 0, result.stderr
    for doc_id in ("keha-yleishallinto-2026-2029", "keha-tem-substanssi-2026-2029"):
        data = json.loads((tmp_path / "json" / "fi" / f"{doc_id}.json").read_text("utf-8"))
        assert data["schema"] == "sopimus/1" and data["id"] == doc_id and data["language"] == "fi"
        assert data["period"] == {"start": 2026, "end": 2029}


@pytest.mark.parametrize("args", [["check"], ["build", "-b", "json"]])
def test_garbage_sources_never_give_a_traceback(tmp_path: Path, args: list[str]) -> None:
    content = new_project(tmp_path)
    (content / "virasto-tulossopimus" / "sopimus.rst").write_bytes(bytes(range(256)) * 40)
    (content / "sopimus.yaml").write_bytes(b"\x00\xff garbage")
    result = run(*args, str(content), *(["" + str(tmp_path / "o")] if args[0] == "build" else []))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "[encoding]" in result.stdout + result.stderr


def test_a_reader_that_stops_reading_stops_the_printing_not_the_build(tmp_path: Path) -> None:
    """`sopimus build … | head -1`: every output is written, no traceback, exit 0."""
    import os
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    proc = subprocess.Popen([sys.executable, "-m", "sopimus", "build", "-b", "json", "-j", "1",
                             str(REPO / "content"), str(tmp_path / "out")],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()               # the reader goes away after one line
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0, err
    assert first.startswith(b"[json ") and "Traceback" not in err
    assert len(list((tmp_path / "out" / "json").rglob("*.json"))) == 4


def test_the_command_exits_with_mains_code_and_every_line_printed(tmp_path: Path) -> None:
    """``python -m sopimus`` (like the installed command) exits without unwinding the
    interpreter: with main()'s code, its last line printed, no traceback."""
    built = run("build", "-b", "json", str(REPO / "content"), str(tmp_path / "out"))
    assert built.returncode == 0 and built.stdout.strip().splitlines()[-1].startswith("build succeeded")
    missing = run("check", str(tmp_path / "nowhere"))
    assert missing.returncode == 1 and "[file-missing]" in missing.stdout + missing.stderr
    usage = run("build", "-b", "nope")
    assert usage.returncode == 2 and "unknown builder 'nope'" in usage.stderr
    assert not any("Traceback" in r.stderr for r in (built, missing, usage))
