"""The library as another tool uses it: the public names, their errors, third-party builders."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import sopimus
from helpers import DOC, new_project
from test_cli import run


def test_all_lists_exactly_the_public_names() -> None:
    for name in sopimus.__all__:
        assert getattr(sopimus, name) is not None, name
    assert sorted(dir(sopimus)) == sorted(sopimus.__all__)
    with pytest.raises(AttributeError):
        sopimus.reader_internals  # noqa: B018


def test_check_returns_what_the_command_prints(tmp_path: Path) -> None:
    content = new_project(tmp_path)
    (content / DOC / "document.yaml").write_text(
        (content / DOC / "document.yaml").read_text("utf-8") + "extra: [unclosed\n", "utf-8")
    findings = sopimus.check(content)
    assert findings and any(d.is_error for d in findings)
    printed = run("check", str(content)).stdout
    assert printed.startswith("\n".join(d.format() for d in findings) + "\n")


def test_load_raises_source_error_carrying_the_findings(tmp_path: Path) -> None:
    content = new_project(tmp_path)
    (content / "sopimus.yaml").write_text("languages: [fi\n", "utf-8")
    with pytest.raises(sopimus.SourceError) as caught:
        sopimus.load(content)
    assert caught.value.diagnostics == sopimus.check(content)
    assert caught.value.diagnostics[0].code == "yaml-syntax"


def test_build_raises_build_error(tmp_path: Path) -> None:
    project = sopimus.load(new_project(tmp_path))
    with pytest.raises(sopimus.BuildError, match="unknown builder 'nope'"):
        sopimus.build(project, "nope", outdir=tmp_path / "out")
    with pytest.raises(sopimus.BuildError, match="language 'de'"):
        sopimus.build(project, "json", ["de"], tmp_path / "out")
    # a draft is not published: the finding travels with the exception, nothing is written
    with pytest.raises(sopimus.BuildError) as caught:
        sopimus.build(project, "publish", outdir=tmp_path / "out")
    assert [d.code for d in caught.value.diagnostics if d.is_error] == ["publish-draft"]
    assert not (tmp_path / "out" / "publish").exists()
    result = sopimus.build(project, "json", ["sv"], tmp_path / "out")
    assert result.outputs == [tmp_path / "out" / "json" / "sv" / f"{DOC}.json"]


def test_an_unknown_theme_is_a_finding_not_a_traceback(tmp_path: Path) -> None:
    content = new_project(tmp_path)
    config = content / "sopimus.yaml"
    text = config.read_text("utf-8")
    line = text.splitlines().index("theme: default") + 1
    config.write_text(text.replace("theme: default", "theme: nosuch"), "utf-8")
    for args in (("check", str(content)), ("build", "-b", "pdf", str(content), str(tmp_path / "out"))):
        result = run(*args)
        assert result.returncode == 1
        assert f"sopimus.yaml:{line}:1: error: [theme-unknown] theme 'nosuch' not found" in result.stdout + result.stderr
        assert "Traceback" not in result.stdout + result.stderr
    assert not (tmp_path / "out" / "pdf").exists()
    config.write_text(text.replace("theme: default", "theme: ../content"), "utf-8")
    assert "theme-unknown" in {d.code for d in sopimus.check(content)}


def test_a_project_theme_wins_over_the_built_in_one(tmp_path: Path) -> None:
    content = new_project(tmp_path)
    own = content.parent / "themes" / "default"
    own.mkdir(parents=True)
    (own / "theme.yaml").write_text("html: {}\n", "utf-8")
    from sopimus.theme import load_theme
    assert load_theme(sopimus.load(content)).path == own


def test_version_is_written_once() -> None:
    from importlib.metadata import version
    assert version("sopimus") == sopimus.__version__
    result = run("--version")
    assert result.stdout.strip() == f"sopimus {sopimus.__version__}"


def test_a_builder_that_does_not_import_is_a_build_error(tmp_path: Path, monkeypatch) -> None:
    from sopimus import builders
    monkeypatch.setitem(builders.REGISTRY, "broken", "sopimus_no_such_module:Builder")
    project = sopimus.load(new_project(tmp_path))
    with pytest.raises(sopimus.BuildError, match="could not be loaded: ModuleNotFoundError"):
        sopimus.build(project, "broken", outdir=tmp_path / "out")


def test_public_modules_pass_mypy_strict(repo_root: Path) -> None:
    """The public API is typed: mypy --strict over the modules [tool.mypy] lists."""
    pytest.importorskip("mypy")
    result = subprocess.run([sys.executable, "-m", "mypy", "--no-incremental"], cwd=repo_root,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_unwritable_output_folder_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    content = new_project(tmp_path)
    (tmp_path / "out").write_text("a file where the output folder should be", "utf-8")
    result = run("build", "-b", "json", str(content), str(tmp_path / "out"))
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    assert "cannot write the outputs: Not a directory" in result.stderr
    with pytest.raises(sopimus.BuildError, match="cannot write the outputs"):
        sopimus.build(sopimus.load(content), "json", outdir=tmp_path / "out")


def test_package_data_is_found_through_importlib_resources() -> None:
    from importlib.resources import files

    from sopimus import incremental, resources
    assert resources.PACKAGE == Path(str(files("sopimus"))).resolve() == incremental.PACKAGE
    assert (resources.BUILTIN_THEMES / "default" / "theme.yaml").is_file()
    assert (resources.BUILTIN_LOCALES / "sv" / "LC_MESSAGES" / "sopimus.po").is_file()
