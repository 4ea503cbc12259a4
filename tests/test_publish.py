"""The publication package (``-b publish``): what an agency hosts and Tutkihallintoa.fi links to."""
from __future__ import annotations

import hashlib
import io
import json
import posixpath
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

import sopimus
from sopimus import ast as A
from sopimus.diagnostics import BuildError
from sopimus.pipeline import build
from sopimus.builders.base import BuildOptions
from sopimus.cli import main

from test_html import axe_findings, axe_missing, headings, parse, run_axe, text, with_class

MANIFEST_KEYS = {"id", "type", "title", "language", "period", "organisation", "business_id",
                 "administrative_branch", "status", "version", "date", "url", "files"}
FORMATS = {"html": "text/html", "pdf": "application/pdf",
           "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def publish(content: Path | str, out: Path, allow_draft: bool = False, allow_unsigned: bool = True):
    """The KEHA content has no signed copies yet: published unsigned (test_signing.py signs it)."""
    project = sopimus.load(content)
    return build(project, "publish", None, out, BuildOptions(allow_draft=allow_draft, allow_unsigned=allow_unsigned))


def site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def site(built_once) -> Path:
    return built_once("publish") / "publish"


@pytest.fixture(scope="module")
def manifest(site) -> dict:
    return json.loads((site / "manifest.json").read_text("utf-8"))


def _set_status(content: Path, doc_id: str, status: str) -> int:
    """Set ``status:`` in a document.yaml; returns its line."""
    path = content / doc_id / "document.yaml"
    lines = path.read_text("utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith("status:"))
    lines[index] = f"status: {status}\n"
    path.write_text("".join(lines), "utf-8")
    return index + 1


# --- contents and metadata -----------------------------------------------------------------

def test_every_document_in_every_language_with_its_files(project, site, manifest):
    entries = {(d["id"], d["language"]): d for d in manifest["documents"]}
    assert set(entries) == {(doc.id, lang) for doc in project.documents for lang in project.languages}
    base = project.config.base_url.rstrip("/") + "/"
    for (doc_id, lang), entry in entries.items():
        doc = project.document(doc_id, lang)
        assert set(entry) >= MANIFEST_KEYS
        assert entry["title"] == doc.title and entry["status"] == "final" and entry["type"] == doc.doc_type
        assert entry["period"] == {"start": doc.period.start, "end": doc.period.end}
        assert entry["organisation"] == doc.organisation
        assert entry["administrative_branch"] == project.config.organisation.administrative_branch[lang]
        assert [(f["path"], f["media_type"]) for f in entry["files"]] == [
            (f"{doc_id}.{lang}.{ext}", media) for ext, media in FORMATS.items()]
        assert entry["url"] == base + f"{doc_id}.{lang}.html"
        pdf = (site / f"{doc_id}.{lang}.pdf").read_bytes()
        assert pdf.startswith(b"%PDF-")
        with zipfile.ZipFile(io.BytesIO((site / f"{doc_id}.{lang}.docx").read_bytes())) as docx:
            assert "word/document.xml" in docx.namelist()
        page = parse(site / f"{doc_id}.{lang}.html")
        assert page.get("lang") == lang and text(page.find(".//h1")) == doc.title


def test_every_hash_in_the_manifest_matches_its_file(site, manifest):
    for entry in manifest["documents"]:
        for f in entry["files"]:
            data = (site / f["path"]).read_bytes()
            assert f["bytes"] == len(data)
            assert f["sha256"] == hashlib.sha256(data).hexdigest()


def test_sha256sums_covers_every_file_and_sha256sum_accepts_it(site):
    listed = {}
    for line in (site / "SHA256SUMS").read_text("utf-8").splitlines():
        digest, path = line.split("  ", 1)
        listed[path] = digest
    files = site_files(site)
    assert set(listed) == set(files) - {"SHA256SUMS"}
    for path, digest in listed.items():
        assert hashlib.sha256(files[path]).hexdigest() == digest
    tool = shutil.which("sha256sum")
    if tool:
        proc = subprocess.run([tool, "--strict", "-c", "SHA256SUMS"], cwd=site, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout + proc.stderr


def test_index_in_both_languages_lists_every_document(project, site):
    for lang, path in (("fi", "index.html"), ("sv", "sv/index.html")):
        page = parse(site / path)
        assert page.get("lang") == lang
        rows = page.xpath(".//table[contains(@class, 'documents')]/tbody/tr")
        assert [r.get("id") for r in rows] == [d.id for d in project.documents]
        for row, source in zip(rows, project.documents):
            doc = project.document(source.id, lang)
            cells = [text(c) for c in row]
            assert cells[0] == doc.title
            assert cells[2] == "2026–2029"
            # final, and marked unsigned: the KEHA content has no signed copies yet
            assert cells[3] == {"fi": "Lopullinen" "Allekirjoittamaton", "sv": "Slutlig" "Inte undertecknad"}[lang]
            hrefs = {posixpath.normpath(posixpath.join(posixpath.dirname(path), a.get("href")))
                     for a in row.iter("a")}
            assert hrefs == {f"{doc.id}.{v}.{ext}" for v in project.languages for ext in FORMATS}
        switch = with_class(page, "nav", "lang-switch")[0]
        other = "sv" if lang == "fi" else "fi"
        (link,) = switch.iter("a")
        assert (link.get("hreflang"), link.get("lang")) == (other, other)


def test_document_pages_offer_their_downloads_and_the_other_language(site):
    page = parse(site / "keha-yleishallinto-2026-2029.sv.html")
    downloads = [a.get("href") for section in with_class(page, "section", "downloads") for a in section.iter("a")]
    assert downloads == ["keha-yleishallinto-2026-2029.sv.pdf", "keha-yleishallinto-2026-2029.sv.docx"]
    (switch,) = with_class(page, "nav", "lang-switch")[0].iter("a")
    assert switch.get("href") == "keha-yleishallinto-2026-2029.fi.html" and switch.get("hreflang") == "fi"
    home = page.xpath(".//header//a")[0]
    assert home.get("href") == "sv/index.html"
    assert [level for level, _, _ in headings(page)].count(1) == 1


def test_every_link_resolves_inside_the_package(project, site, manifest):
    base = manifest["base_url"]
    assert base == project.config.base_url
    content_links = {n.url for lang in project.languages for d in project.documents
                     for n in project.document(d.id, lang).walk() if isinstance(n, A.Link)}
    files = site_files(site)
    checked = 0
    for path in (p for p in files if p.endswith(".html")):
        page = parse(files[path])
        ids = {path: set(page.xpath("//@id"))}
        for el in page.iter():
            for attr in ("href", "src"):
                url = el.get(attr) if isinstance(el.tag, str) else None
                if url is None:
                    continue
                checked += 1
                parts = urlsplit(url)
                if parts.scheme:
                    if url.startswith(base):
                        target = unquote(url[len(base):].split("#")[0]) or "index.html"
                        target = target + "index.html" if target.endswith("/") else target
                        assert target in files, f"{path}: {url} is not in the package"
                    else:
                        assert attr == "href" and url in content_links, f"{path}: external {attr} {url}"
                    continue
                target = posixpath.normpath(posixpath.join(posixpath.dirname(path), unquote(parts.path))) \
                    if parts.path else path
                assert target in files, f"{path}: {url} does not resolve"
                if parts.fragment:
                    if target not in ids:
                        ids[target] = set(parse(files[target]).xpath("//@id"))
                    assert parts.fragment in ids[target], f"{path}: {url}: no such anchor"
    assert checked > 100
    css = files["assets/sopimus.css"].decode()
    for url in re.findall(r'url\("([^"]+)"\)', css):
        assert posixpath.normpath(posixpath.join("assets", url)) in files


def test_two_runs_give_identical_bytes(project, site, tmp_path):
    again = publish(project.root, tmp_path)
    assert not again.errors
    assert site_files(tmp_path / "publish") == site_files(site)


# --- drafts, setup errors --------------------------------------------------------------------

def test_a_draft_is_refused_with_the_line_of_its_status(content_copy, tmp_path):
    line = _set_status(content_copy, "keha-tem-substanssi-2026-2029", "draft")
    result = publish(content_copy, tmp_path / "out")
    errors = [d for d in result.errors if d.code == "publish-draft"]
    assert len(errors) == 1
    assert errors[0].file.endswith("keha-tem-substanssi-2026-2029/document.yaml") and errors[0].line == line
    assert "--allow-draft" in errors[0].hint
    assert not (tmp_path / "out" / "publish").exists()  # nothing is written


def test_the_cli_prints_the_draft_error_and_exits_1(content_copy, tmp_path, capsys):
    line = _set_status(content_copy, "keha-yleishallinto-2026-2029", "draft")
    code = main(["build", "-b", "publish", "-q", str(content_copy), str(tmp_path / "out")])
    err = capsys.readouterr()
    assert code == 1
    assert re.search(rf"keha-yleishallinto-2026-2029/document\.yaml:{line}:1: error: \[publish-draft\]",
                     err.out + err.err)


def test_allow_draft_publishes_it_marked_as_a_draft(content_copy, tmp_path):
    _set_status(content_copy, "keha-tem-substanssi-2026-2029", "draft")
    result = publish(content_copy, tmp_path, allow_draft=True)
    assert not result.errors, [d.format() for d in result.errors]
    site = tmp_path / "publish"
    data = json.loads((site / "manifest.json").read_text("utf-8"))
    status = {(d["id"], d["language"]): d["status"] for d in data["documents"]}
    assert status[("keha-tem-substanssi-2026-2029", "fi")] == "draft"
    assert status[("keha-yleishallinto-2026-2029", "sv")] == "final"
    for lang, index, word in (("fi", "index.html", "Luonnos"), ("sv", "sv/index.html", "Utkast")):
        row = parse(site / index).get_element_by_id("keha-tem-substanssi-2026-2029")
        assert text(row[3]) == word and "status-draft" in row[3].get("class")
        page = parse(site / f"keha-tem-substanssi-2026-2029.{lang}.html")
        assert with_class(page, "div", "draft-banner")
        final = parse(site / f"keha-yleishallinto-2026-2029.{lang}.html")
        assert not with_class(final, "div", "draft-banner")
    if axe_missing() is None:
        assert axe_findings(run_axe(site)) == []  # the marks are accessible too


def test_a_missing_builder_is_a_clear_error(project, tmp_path, monkeypatch):
    from sopimus import builders
    monkeypatch.delitem(builders.REGISTRY, "docx")
    with pytest.raises(BuildError, match=r"publish needs the 'docx' builder"):
        build(project, "publish", None, tmp_path)


def test_publish_needs_an_absolute_base_url(content_copy, tmp_path):
    config = content_copy / "sopimus.yaml"
    lines = config.read_text("utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith("base_url:"))
    lines[index] = "base_url: tulossopimukset/\n"
    config.write_text("".join(lines), "utf-8")
    result = publish(content_copy, tmp_path)
    (error,) = [d for d in result.errors if d.code == "publish-base-url"]
    assert error.file.endswith("sopimus.yaml") and error.line == index + 1
    assert not (tmp_path / "publish").exists()


# --- accessibility in a browser -------------------------------------------------------------------

def test_axe_finds_no_wcag_21_aa_violation_in_the_package(site):
    report = run_axe(site)
    assert len(report["pages"]) == len(list(site.rglob("*.html")))
    assert axe_findings(report) == []


def test_the_folder_equals_its_manifest_after_a_narrower_run(tmp_path):
    """A language not built this time (or a removed document) leaves nothing stale behind."""
    from helpers import new_project
    from sopimus.builders.base import BuildOptions
    from sopimus.pipeline import build
    from sopimus.reader import load
    content = new_project(tmp_path)
    out = tmp_path / "build"
    options = BuildOptions(allow_draft=True)
    build(load(content), "publish", ["fi", "sv"], out, options)
    site = out / "publish"
    (site / "vanha-asiakirja.fi.pdf").write_bytes(b"a document removed from sopimus.yaml")
    assert (site / "index.html").is_file()
    build(load(content), "publish", ["sv"], out, options)
    files = sorted(str(p.relative_to(site)) for p in site.rglob("*") if p.is_file())
    listed = sorted(line.split("  ", 1)[1] for line in (site / "SHA256SUMS").read_text("utf-8").splitlines())
    assert files == sorted(listed + ["SHA256SUMS"])
    assert not [f for f in files if ".fi." in f] and "vanha-asiakirja.fi.pdf" not in files
    manifest = json.loads((site / "manifest.json").read_text("utf-8"))
    assert {d["language"] for d in manifest["documents"]} == {"sv"}
