"""sopimus as other tools get it: the wheel, installed outside the repository.

One module-scoped fixture builds the sdist and the wheel (``python -m
build``), installs the wheel into a fresh virtual environment in a temporary
folder and starts a project there with ``sopimus new``; the tests run the
installed command and Python in that folder. Nothing here imports sopimus
from the checkout except to read the outputs as the repository's tests do.

It costs a minute or two (two isolated builds, a virtual environment with
every dependency), so it is marked ``wheel`` and left out of ``make test``:
``make test-wheel`` runs it, and ``.ci/run`` runs that as its own step.
Building needs setuptools from PyPI (pip's cache or the index); where that
is impossible the tests skip locally with the reason, and fail in CI
(SOPIMUS_REQUIRE_TOOLS=1).
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import REPO

pytestmark = pytest.mark.wheel

BUILDERS = ("json", "gettext", "pdf", "docx", "html", "publish", "report")
DOC = "virasto-tulossopimus"
OUTCOMES = """\
example: true
indicators:
  kasittelyaika: 28,5
  asiakastyytyvaisyys:
    outcome: 3,9
    reason: Kysely tehtiin ennen uuden asiointipalvelun avaamista.
goals:
  kasittely-nopeaa: 3
"""
PLUGIN_PYPROJECT = """\
[build-system]
requires = ["setuptools>=77"]
build-backend = "setuptools.build_meta"

[project]
name = "sopimus-wordcount"
version = "1.0"
dependencies = ["sopimus"]

[project.entry-points."sopimus.builders"]
wordcount = "sopimus_wordcount:WordCountBuilder"
"""
PLUGIN_MODULE = '''\
"""A third-party builder: the number of words in each document."""
from sopimus import ast
from sopimus.builders.base import Builder


def words(node):
    if isinstance(node, ast.Text):
        return len(node.text.split())
    return sum(words(child) for child in node.children())


class WordCountBuilder(Builder):
    name, ext = "wordcount", "txt"

    def render(self, doc: ast.Document) -> bytes:
        return f"{doc.id} {doc.language} {sum(words(b) for b in doc.body)}\\n".encode("utf-8")
'''


@dataclass
class Installed:
    dist: Path          # the built sdist and wheel
    venv: Path          # the fresh virtual environment, outside the repository
    project: Path       # an empty folder where `sopimus new .` was run

    def bin(self, name: str) -> Path:
        return self.venv / "bin" / name

    def run(self, *args: str | Path, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run([str(a) for a in args], cwd=self.project, capture_output=True, text=True,
                                timeout=600, env=_clean_env())
        assert "Traceback" not in result.stdout + result.stderr, result.stdout + result.stderr
        if check:
            assert result.returncode == 0, f"{args}:\n{result.stdout}{result.stderr}"
        return result

    def sopimus(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return self.run(self.bin("sopimus"), *args, check=check)


def _clean_env() -> dict[str, str]:
    """The environment without anything that points back at the checkout."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["SOURCE_DATE_EPOCH"] = "1767225600"
    return env


def _cannot(reason: str) -> None:
    if os.environ.get("SOPIMUS_REQUIRE_TOOLS") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


def _pip(python: Path, *args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(python), "-m", "pip", "--disable-pip-version-check", *map(str, args)],
                          capture_output=True, text=True, timeout=600, env=_clean_env())


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Installed:
    if not __import__("importlib").util.find_spec("build"):
        _cannot("the 'build' package is not installed (pip install -e '.[test]')")
    base = tmp_path_factory.mktemp("wheel")
    assert not base.resolve().is_relative_to(REPO.resolve())
    dist = base / "dist"
    made = subprocess.run([sys.executable, "-m", "build", "--outdir", str(dist), str(REPO)],
                          capture_output=True, text=True, timeout=600, env=_clean_env())
    if made.returncode != 0:
        _cannot(f"building the sdist and wheel failed (no setuptools from PyPI?):\n{made.stderr[-2000:]}")
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    (wheel,) = dist.glob("sopimus-*.whl")
    installing = _pip(venv / "bin" / "python", "install", "--quiet", wheel)
    if installing.returncode != 0:
        _cannot(f"installing the wheel's dependencies failed:\n{installing.stderr[-2000:]}")
    project = base / "empty"
    project.mkdir()
    here = Installed(dist, venv, project)
    here.sopimus("new", ".")
    return here


# --- what the sdist and the wheel hold --------------------------------------------------

def _package_files() -> set[str]:
    """Every file of the package as git knows it: code and package data."""
    listed = subprocess.run(["git", "ls-files", "src/sopimus"], cwd=REPO, capture_output=True, text=True,
                            check=True).stdout.split()
    return {path.removeprefix("src/") for path in listed}


def test_the_wheel_holds_exactly_the_package(installed: Installed) -> None:
    (wheel,) = installed.dist.glob("sopimus-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    meta = {n for n in names if n.startswith("sopimus-") and ".dist-info/" in n}
    assert names - meta == _package_files()
    assert {n.rsplit("/", 1)[1] for n in meta} == {"METADATA", "WHEEL", "entry_points.txt", "top_level.txt",
                                                    "RECORD"}
    for needed in ("sopimus/py.typed", "sopimus/themes/default/theme.yaml",
                   "sopimus/themes/default/fonts/OFL.txt", "sopimus/themes/default/icc/sRGB.icc",
                   "sopimus/themes/default/docx/reference.docx",
                   "sopimus/locales/fi/LC_MESSAGES/sopimus.po", "sopimus/locales/sv/LC_MESSAGES/sopimus.po"):
        assert needed in names


def test_the_sdist_holds_what_builds_the_wheel(installed: Installed) -> None:
    (sdist,) = installed.dist.glob("sopimus-*.tar.gz")
    with tarfile.open(sdist) as tar:
        names = {m.name.split("/", 1)[1] for m in tar.getmembers() if m.isfile()}
    egg_info = {n for n in names if n.startswith("src/sopimus.egg-info/")}
    source = {n.removeprefix("src/") for n in names - egg_info if n.startswith("src/")}
    assert source == _package_files()
    assert names - egg_info - {f"src/{n}" for n in source} == {
        "PKG-INFO", "README.md", "pyproject.toml", "setup.cfg", "MANIFEST.in"}
    assert not any(re.search(r"^(build|tests|content|\.venv)/|__pycache__/|\.pyc$", n) for n in names)


# --- the installed command, in an empty folder -------------------------------------------

@pytest.fixture(scope="module")
def built(installed: Installed) -> Path:
    """`sopimus check` and every builder, run by the installed command in the new project."""
    # no error; the warnings list the new project's Swedish text, still to translate
    checked = installed.sopimus("check").stdout
    assert "checked 1 document(s): 0 error(s)" in checked
    assert {line.split("[")[1].split("]")[0] for line in checked.splitlines() if ": warning: [" in line} \
        == {"translation-missing"}
    folder = installed.project / "content" / DOC / "toteumat"
    folder.mkdir(exist_ok=True)
    (folder / "2026-H1.yaml").write_text(OUTCOMES, "utf-8")
    for builder in BUILDERS:
        extra = ["--allow-draft"] if builder == "publish" else []  # `sopimus new` writes a draft
        installed.sopimus("build", "-b", builder, *extra)
    return installed.project / "build"


def test_every_builder_works_outside_the_repository(built: Path) -> None:
    out = built
    for lang in ("fi", "sv"):
        assert json.loads((out / "json" / lang / f"{DOC}.json").read_text("utf-8"))["language"] == lang
        for ext in ("pdf", "docx", "html"):
            assert (out / ext / lang / f"{DOC}.{ext}").stat().st_size > 1000
            assert (out / "report" / lang / f"{DOC}-2026-H1.{ext}").stat().st_size > 1000
            assert (out / "publish" / f"{DOC}.{lang}.{ext}").is_file()
    assert (out / "gettext" / f"{DOC}.pot").is_file()
    assert subprocess.run(["sha256sum", "--strict", "--quiet", "-c", "SHA256SUMS"],
                          cwd=out / "publish").returncode == 0


def test_the_installed_pdf_is_signature_ready(installed: Installed, built: Path) -> None:
    """The same PDF/A-2b and signature-field checks as the repository's PDFs pass."""
    from test_pdf import check_pdfa_2b_validator, check_pdfa_structure, check_signature_fields

    import sopimus
    doc = sopimus.load(installed.project / "content").document(DOC, "fi")
    for lang in ("fi", "sv"):
        path = built / "pdf" / lang / f"{DOC}.pdf"
        check_pdfa_structure(path, lang)
        check_pdfa_2b_validator(path)
    check_signature_fields(built / "pdf" / "fi" / f"{DOC}.pdf", doc)


def test_user_mistakes_are_findings_not_tracebacks(installed: Installed) -> None:
    result = installed.sopimus("build", "-b", "nosuch", check=False)
    assert result.returncode == 2 and "unknown builder 'nosuch'" in result.stderr
    result = installed.sopimus("check", "no-such-folder", check=False)
    assert result.returncode == 1 and "[file-missing]" in result.stdout
    assert installed.sopimus("--version").stdout.strip() == f"sopimus {_version()}"


def _version() -> str:
    from sopimus.version import __version__  # the checkout's: the wheel must say the same
    return __version__


def _readme_example() -> str:
    readme = (REPO / "README.md").read_text("utf-8")
    section = readme[readme.index("## Using sopimus as a library"):]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_the_readme_library_example_runs(installed: Installed) -> None:
    result = installed.run(installed.bin("python"), "-c", _readme_example())
    assert f"{DOC} Esimerkkiministeriön" in result.stdout
    assert f"build/json/fi/{DOC}.json\nbuild/json/sv/{DOC}.json\n" in result.stdout
    assert (installed.project / "build" / "json" / "sv" / f"{DOC}.json").is_file()


def test_a_third_party_builder_is_found_by_its_entry_point(installed: Installed, tmp_path: Path) -> None:
    plugin = tmp_path / "sopimus-wordcount"
    plugin.mkdir()
    (plugin / "pyproject.toml").write_text(PLUGIN_PYPROJECT, "utf-8")
    (plugin / "sopimus_wordcount.py").write_text(PLUGIN_MODULE, "utf-8")
    installing = _pip(installed.bin("python"), "install", "--quiet", "--no-deps", plugin)
    assert installing.returncode == 0, installing.stderr
    try:
        installed.sopimus("build", "-b", "wordcount")
        for lang in ("fi", "sv"):
            text = (installed.project / "build" / "wordcount" / lang / f"{DOC}.txt").read_text("utf-8")
            doc_id, language, count = text.split()
            assert (doc_id, language) == (DOC, lang) and int(count) > 20
        result = installed.sopimus("build", "-b", "nosuch", check=False)
        assert "wordcount" in result.stderr  # listed among the available builders
    finally:
        assert _pip(installed.bin("python"), "uninstall", "--yes", "sopimus-wordcount").returncode == 0


def test_uninstalling_leaves_nothing_behind(installed: Installed) -> None:
    site = Path(installed.run(installed.bin("python"), "-c",
                              "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip())
    # run last in this module: pytest keeps the file's order
    assert installed.run(installed.bin("python"), "-m", "pip", "uninstall", "--yes", "sopimus").returncode == 0
    left = [p for p in site.iterdir() if p.name.lower().startswith("sopimus")]
    assert not left, left
    assert not installed.bin("sopimus").exists()
    gone = subprocess.run([str(installed.bin("python")), "-c", "import sopimus"], cwd=installed.project,
                          capture_output=True, text=True, env=_clean_env())
    assert "No module named 'sopimus'" in gone.stderr

