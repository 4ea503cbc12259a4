"""Incremental and parallel builds: skip what is unchanged, never serve stale output."""
from __future__ import annotations

from pathlib import Path

from test_cli import REPO, run

DOCS = ["keha-yleishallinto-2026-2029", "keha-tem-substanssi-2026-2029"]


def _tree(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and ".cache" not in p.relative_to(out).parts}


def test_noop_rebuild_writes_nothing(content_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "b"
    assert run("build", "-b", "json", str(content_copy), str(out)).returncode == 0
    again = run("build", "-b", "json", str(content_copy), str(out))
    assert again.returncode == 0
    assert "0 output(s) written, 4 up to date" in again.stdout


def test_changing_one_document_rebuilds_only_its_outputs(content_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "b"
    assert run("build", "-b", "json", str(content_copy), str(out)).returncode == 0
    rst = content_copy / DOCS[0] / "02-johdon-katsaus.rst"
    rst.write_text(rst.read_text("utf-8").replace("Vuonna 2025", "Vuonna  2025", 1), "utf-8")
    result = run("build", "-b", "json", "-l", "fi", str(content_copy), str(out))
    assert result.returncode == 0, result.stderr
    assert "[json fi] keha-yleishallinto-2026-2029" in result.stdout
    assert "keha-tem-substanssi" not in result.stdout
    assert "1 output(s) written, 1 up to date" in result.stdout


def test_a_new_file_counts_as_a_change(content_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "b"
    assert run("build", "-b", "json", "-l", "fi", str(content_copy), str(out)).returncode == 0
    (content_copy / DOCS[1] / "muistiinpano.txt").write_text("x", "utf-8")
    result = run("build", "-b", "json", "-l", "fi", str(content_copy), str(out))
    assert "[json fi] keha-tem-substanssi-2026-2029" in result.stdout


def test_corrupt_or_stale_cache_means_rebuild(content_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "b"
    assert run("build", "-b", "json", str(content_copy), str(out)).returncode == 0
    reference = _tree(out)
    for cache_file in (out / ".cache").rglob("*.json"):
        cache_file.write_bytes(b"{not json")
    (out / "json" / "fi" / f"{DOCS[0]}.json").write_bytes(b"tampered")
    result = run("build", "-b", "json", str(content_copy), str(out))
    assert result.returncode == 0
    assert _tree(out) == reference
    # An output changed behind the cache's back is rebuilt, too.
    (out / "json" / "sv" / f"{DOCS[1]}.json").write_bytes(b"tampered")
    assert "1 output(s) written" in run("build", "-b", "json", str(content_copy), str(out)).stdout
    assert _tree(out) == reference


def test_fresh_rebuilds_everything(content_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "b"
    run("build", "-b", "json", str(content_copy), str(out))
    assert "4 output(s) written" in run("build", "-E", "-b", "json", str(content_copy), str(out)).stdout


def test_parallel_output_is_byte_identical(tmp_path: Path) -> None:
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    for builder in ("json", "gettext", "pdf"):
        assert run("build", "-j", "1", "-b", builder, str(REPO / "content"), str(serial)).returncode == 0
        result = run("build", "-j", "2", "-b", builder, str(REPO / "content"), str(parallel))
        assert result.returncode == 0, result.stderr
    assert _tree(serial) == _tree(parallel) and _tree(serial)
    assert run("build", "-j", "x", "-b", "json", str(REPO / "content"), str(parallel)).returncode == 2


def test_a_parallel_read_runs_meanwhile_once_while_the_workers_parse() -> None:
    import os
    from sopimus.ast import to_dict
    from sopimus.reader import read

    calls: list[int] = []
    project, diags = read(REPO / "content", jobs=2, meanwhile=lambda: calls.append(os.getpid()))
    assert calls == [os.getpid()]           # once, in this process, not in a worker
    serial, _ = read(REPO / "content", jobs=1)
    assert project is not None and serial is not None and not diags.errors
    assert [to_dict(d) for d in project.documents] == [to_dict(d) for d in serial.documents]


def test_noop_path_imports_nothing_heavy(content_copy: Path, tmp_path: Path) -> None:
    """The no-op build must stay cheap: no docutils, YAML, reportlab or babel on that path."""
    import os
    import subprocess
    import sys

    out = tmp_path / "b"
    assert run("build", "-b", "json", str(content_copy), str(out)).returncode == 0
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "sopimus", "build", "-b", "json",
                             str(content_copy), str(out)], env=env, capture_output=True, text=True)
    assert "up to date" in result.stdout
    imported = {line.split("|")[-1].strip().split(".")[0] for line in result.stderr.splitlines() if "|" in line}
    assert not imported & {"docutils", "ruamel", "reportlab", "babel", "pikepdf", "docx", "jinja2"}


def test_sopimus_own_files_are_recorded_by_size_and_time_only(tmp_path: Path, monkeypatch) -> None:
    import os
    from sopimus import incremental

    package, source = tmp_path / "sopimus", tmp_path / "content" / "a.rst"
    package.mkdir()
    source.parent.mkdir()
    code = package / "builder.py"
    code.write_text("x = 1\n")
    source.write_text("Teksti.\n")
    monkeypatch.setattr(incremental, "PACKAGE", package)
    recorded = incremental.fingerprint([code, source])
    assert recorded[str(code)][2] is None and recorded[str(source)][2] is not None
    assert incremental.unchanged(recorded)
    os.utime(source, ns=(10**9, 10**9))   # a source saved again unchanged: its hash says so
    assert incremental.unchanged(recorded)
    os.utime(code, ns=(10**9, 10**9))     # sopimus reinstalled: no hash, so rebuild
    assert not incremental.unchanged(recorded)
