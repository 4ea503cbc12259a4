"""Signed copies: the KEHA PDFs signed field by field as a signing service would,
then verified by ``check``/``verify`` and shipped by ``publish``."""
from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pikepdf
import pytest

pytest.importorskip("pyhanko", reason="the signing tests need sopimus[sign] (pyHanko)")

import sopimus  # noqa: E402
from sopimus.cli import main  # noqa: E402
from sopimus.pipeline import build  # noqa: E402

from conftest import REPO, require_tool  # noqa: E402
from test_pdf import without_form  # noqa: E402
from signing import (add_text_to_first_page, make_ca, make_signer, sign_all, sign_field,  # noqa: E402
                     signature_fields)

DOC_IDS = ["keha-yleishallinto-2026-2029", "keha-tem-substanssi-2026-2029"]
LANGS = ["fi", "sv"]
NAMES = ["Matti Meikäläinen", "Liisa Virtanen"]   # TEM's signatory first, then KEHA-keskus's
SIGNERS = dict(zip(["sig-tem", "sig-keha"], NAMES))  # the same fields in fi and sv


@pytest.fixture(scope="module")
def pki():
    ca = make_ca()
    return ca, {field: make_signer(ca, name) for field, name in SIGNERS.items()}


def by_position(people: dict, fields: list[str]) -> dict:
    """The signers for a PDF's fields (the same field names in every language)."""
    return dict(zip(fields, people.values()))


@pytest.fixture(scope="module")
def unsigned(built_once) -> dict[tuple[str, str], bytes]:
    out = built_once("pdf")
    return {(d, lang): (out / "pdf" / lang / f"{d}.pdf").read_bytes() for d in DOC_IDS for lang in LANGS}


@pytest.fixture(scope="module")
def signed(unsigned, pki) -> dict[tuple[str, str], bytes]:
    """Every KEHA PDF signed by both signatories, one field after the other."""
    ca, people = pki
    result = {}
    for key, data in unsigned.items():
        fields = signature_fields(data)
        assert len(fields) == 2 and fields == ["sig-tem", "sig-keha"]
        result[key] = sign_all(data, by_position(people, fields), ca)
    return result


def signed_project(tmp_path: Path, copies: dict[tuple[str, str], bytes]) -> Path:
    """A copy of the KEHA sources with ``copies`` committed as their signed copies."""
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    shutil.copytree(REPO / "locales", tmp_path / "locales")
    for (doc_id, lang), data in copies.items():
        folder = content / doc_id / "allekirjoitettu"
        folder.mkdir(exist_ok=True)
        (folder / f"{lang}.pdf").write_bytes(data)
    return content


def run(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out + out.err


def copy_of(content: Path, doc_id: str = DOC_IDS[1], lang: str = "fi") -> Path:
    return content / doc_id / "allekirjoitettu" / f"{lang}.pdf"


# --- the signed KEHA agreements check clean and are published as signed ------------------

@pytest.fixture(scope="module")
def full(signed, tmp_path_factory) -> Path:
    return signed_project(tmp_path_factory.mktemp("signed"), signed)


def test_check_is_clean_with_every_copy_signed(full, capsys):
    code, out = run(capsys, "check", str(full))
    assert code == 0, out
    assert "4 signed copy(ies): 0 error(s), 0 warning(s)" in out


def test_publish_ships_the_signed_bytes_and_the_manifest_lists_the_signers(full, signed, unsigned, tmp_path):
    import hashlib
    result = build(sopimus.load(full), "publish", None, tmp_path)   # no --allow-unsigned: all are signed
    assert not result.errors, [d.format() for d in result.errors]
    site = tmp_path / "publish"
    manifest = json.loads((site / "manifest.json").read_text("utf-8"))
    for entry in manifest["documents"]:
        key = (entry["id"], entry["language"])
        assert (site / f"{key[0]}.{key[1]}.pdf").read_bytes() == signed[key]
        (pdf,) = [f for f in entry["files"] if f["media_type"] == "application/pdf"]
        assert pdf["signed"] is True and pdf["signatures"] == 2
        assert pdf["sha256"] == hashlib.sha256(signed[key]).hexdigest()
        assert pdf["unsigned_sha256"] == hashlib.sha256(unsigned[key]).hexdigest()
        assert [s["field"] for s in pdf["signers"]] == signature_fields(unsigned[key])
        assert [name in s["subject"] for name, s in zip(NAMES, pdf["signers"])] == [True, True]
        assert all(dt.datetime.fromisoformat(s["signed_at"]) for s in pdf["signers"])
        assert "Työ- ja elinkeinoministeriö" in pdf["signers"][0]["signatory"] or entry["language"] == "sv"
        html = [f for f in entry["files"] if f["media_type"] == "text/html"][0]
        assert "signed" not in html
    today = dt.datetime.now(dt.timezone.utc)
    fi_index = (site / "index.html").read_text("utf-8")
    sv_index = (site / "sv" / "index.html").read_text("utf-8")
    day = f"{today.day}.{today.month}.{today.year}"
    # signed moments ago: the day in Finnish time is today's or (just past midnight UTC) tomorrow's
    assert "Allekirjoitettu sähköisesti " in fi_index and "Elektroniskt undertecknad " in sv_index
    assert day in fi_index or (today + dt.timedelta(hours=3)).strftime("%-d.%-m.%Y") in fi_index
    page = (site / f"{DOC_IDS[0]}.fi.html").read_text("utf-8")
    assert '<p class="signing">Allekirjoitettu sähköisesti ' in page
    assert "Allekirjoittamaton" not in fi_index


def test_verify_reports_signers_beside_their_signatories_and_trust(full, signed, pki, tmp_path, capsys):
    from sopimus.signing.verify import verify
    ca, _people = pki
    path = copy_of(full)
    root = tmp_path / "root.pem"
    root.write_bytes(ca.pem)
    code, out = run(capsys, "verify", "-C", str(full), "--trust", str(root), str(path))
    assert code == 0, out
    assert "sig-tem: Työ- ja elinkeinoministeriö, kansliapäällikkö — signed by " \
           "Common Name: Matti Meikäläinen" in out
    assert "chain as carried: Common Name: Matti Meikäläinen" in out and "Testivarmenne CA" in out
    assert "unsigned build: sha256 " in out and "trust: trusted" in out
    # the signatures alone (no sources: nothing is rendered), without roots and with the wrong one
    data = signed[(DOC_IDS[1], "fi")]
    alone = verify(data, "x.pdf", None, [])
    assert alone.ok and alone.trust == "integrity only" and len(alone.signers) == 2
    assert {s.trusted for s in alone.signers} == {None}   # never a false "valid"
    other = tmp_path / "other.pem"
    other.write_bytes(make_ca("Toinen CA").pem)
    wrong = verify(data, "x.pdf", None, [other])
    assert not wrong.ok and wrong.trust == "untrusted"
    assert {d.code for d in wrong.findings} == {"signed-untrusted"}


# --- what must fail ---------------------------------------------------------------------

def one_copy(tmp_path: Path, data: bytes) -> Path:
    return signed_project(tmp_path, {(DOC_IDS[1], "fi"): data})


def findings(capsys, content: Path) -> tuple[int, str]:
    return run(capsys, "check", str(content))


def test_editing_a_source_sentence_makes_check_fail_naming_the_first_differing_page(signed, tmp_path, capsys):
    content = one_copy(tmp_path, signed[(DOC_IDS[1], "fi")])
    rst = content / DOC_IDS[1] / "04-tulostavoitteet.rst"
    text = rst.read_text("utf-8")
    assert "tehokkaasti ja vaikuttavasti" in text
    rst.write_text(text.replace("tehokkaasti ja vaikuttavasti", "tehokkaammin ja vaikuttavasti", 1), "utf-8")
    code, out = findings(capsys, content)
    assert code == 1
    line = next(line for line in out.splitlines() if "[signed-mismatch]" in line)
    assert line.startswith(f"content/{DOC_IDS[1]}/allekirjoitettu/fi.pdf:1:1: error:") or \
        f"{DOC_IDS[1]}/allekirjoitettu/fi.pdf:1:1: error: [signed-mismatch]" in line
    import re
    page = int(re.search(r"page (\d+) is the first that differs", line).group(1))
    with pikepdf.open(copy_of(content)) as pdf:
        assert 1 < page <= len(pdf.pages)
    if shutil.which("pdftotext"):
        assert "tehokkaasti ja vaikuttavasti" in line and "tehokkaammin ja vaikuttavasti" in line


def test_a_missing_signature_fails(unsigned, pki, tmp_path, capsys):
    ca, people = pki
    data = sign_field(unsigned[(DOC_IDS[1], "fi")], "sig-tem", people["sig-tem"], ca)
    code, out = findings(capsys, one_copy(tmp_path, data))
    assert code == 1
    assert "[signed-missing-signature] field 'sig-keha' (KEHA-keskus, johtaja) is not signed" in out
    assert "[signed-mismatch]" not in out and "[signed-broken]" not in out


def test_a_byte_flipped_inside_a_signed_range_fails(signed, tmp_path, capsys):
    data = bytearray(signed[(DOC_IDS[1], "fi")])
    at = data.index(b"sopimus (reportlab, pikepdf)")   # the producer, inside every signature's range
    data[at] ^= 0x20
    code, out = findings(capsys, one_copy(tmp_path, bytes(data)))
    assert code == 1
    assert out.count("[signed-broken]") == 2, out   # both signatures cover the first revision
    assert "Traceback" not in out


def test_text_added_after_the_signatures_fails(signed, tmp_path, capsys):
    """The signatures stay intact (they cover their own revisions), but the document changed after them."""
    content = one_copy(tmp_path, add_text_to_first_page(signed[(DOC_IDS[1], "fi")]))
    code, out = findings(capsys, content)
    assert code == 1
    assert "[signed-modified] a revision after the build changed the document: page 1" in out
    assert "[signed-modified] the file was changed after the signature in field 'sig-keha'" in out
    assert "[signed-broken]" not in out


@pytest.mark.parametrize("damage", ["truncated", "not a pdf", "empty"])
def test_a_damaged_file_is_a_finding_not_a_traceback(signed, tmp_path, capsys, damage):
    data = signed[(DOC_IDS[1], "fi")]
    data = {"truncated": data[: len(data) // 2], "not a pdf": b"PK\x03\x04 a zip, not a PDF",
            "empty": b""}[damage]
    content = one_copy(tmp_path, data)
    code, out = findings(capsys, content)
    assert code == 1
    assert "[signed-unreadable]" in out and "Traceback" not in out
    code, out = run(capsys, "verify", "-C", str(content), str(copy_of(content)))
    assert code == 1 and "[signed-unreadable]" in out and "Traceback" not in out


def test_a_signed_copy_that_links_outside_the_sources_is_not_read(signed, tmp_path, capsys):
    outside = tmp_path / "elsewhere.pdf"
    outside.write_bytes(signed[(DOC_IDS[1], "fi")])
    content = signed_project(tmp_path / "p", {})
    folder = content / DOC_IDS[1] / "allekirjoitettu"
    folder.mkdir()
    (folder / "fi.pdf").symlink_to(outside)
    code, out = findings(capsys, content)
    assert code == 1 and "[signed-outside]" in out and "Traceback" not in out


def test_a_signature_in_a_field_the_build_does_not_have(unsigned, pki, tmp_path, capsys):
    """A third signature in a field added by the signing service: signed-extra-field."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields
    import io
    ca, people = pki
    data = sign_all(unsigned[(DOC_IDS[1], "fi")], people, ca)
    w = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    fields.append_signature_field(w, fields.SigFieldSpec("sig-extra", on_page=0, box=(10, 10, 60, 40)))
    out = io.BytesIO()
    w.write(out)
    data = sign_field(out.getvalue(), "sig-extra", people["sig-keha"], ca)
    code, text = findings(capsys, one_copy(tmp_path, data))
    assert code == 1
    assert "[signed-extra-field] a signature in field 'sig-extra'" in text


def test_a_final_document_without_a_signed_copy_is_not_published_by_default(tmp_path, content_copy):
    result = build(sopimus.load(content_copy), "publish", None, tmp_path)
    unsigned = [d for d in result.errors if d.code == "publish-unsigned"]
    assert len(unsigned) == 4   # two documents × fi, sv
    assert all(d.file.endswith("/document.yaml") and d.line > 1 for d in unsigned)
    assert "--allow-unsigned" in unsigned[0].hint
    assert not (tmp_path / "publish").exists()


def test_allow_unsigned_publishes_the_build_marked_unsigned(built_once):
    """built_once publishes the KEHA content with --allow-unsigned (conftest)."""
    site = built_once("publish") / "publish"
    manifest = json.loads((site / "manifest.json").read_text("utf-8"))
    pdfs = [f for d in manifest["documents"] for f in d["files"] if f["media_type"] == "application/pdf"]
    assert [f["signed"] for f in pdfs] == [False] * 4
    assert all("signers" not in f for f in pdfs)
    assert '<p class="signing">Allekirjoittamaton</p>' in (site / f"{DOC_IDS[0]}.fi.html").read_text("utf-8")
    assert '<p class="signing">Inte undertecknad</p>' in (site / f"{DOC_IDS[0]}.sv.html").read_text("utf-8")


def test_without_pyhanko_check_says_to_install_the_extra(signed, tmp_path, capsys, monkeypatch):
    import sys
    content = one_copy(tmp_path, signed[(DOC_IDS[1], "fi")])
    monkeypatch.setitem(sys.modules, "pyhanko.pdf_utils.reader", None)  # import fails as if not installed
    code, out = findings(capsys, content)
    assert code == 1
    assert "[signed-no-validator]" in out and "pip install 'sopimus[sign]'" in out


# --- the signed copy stays archival and accessible ----------------------------------------

def _strip_pdfua_attributes(xmp: str) -> str:
    """test_pdf.strip_pdfua_schema for the XMP as pyHanko rewrites it (attributes, not elements)."""
    import re
    stripped = re.sub(r'<pdfaExtension:schemas\b.*?</pdfaExtension:schemas>', "", xmp, flags=re.S)
    stripped = re.sub(r'\s(xmlns:pdfuaid="[^"]*"|pdfuaid:part="1")', "", stripped)
    assert "pdfuaid" in xmp and "pdfuaid" not in stripped and 'pdfaid:part="2"' in stripped
    return stripped


@pytest.mark.parametrize("lang", LANGS)
def test_the_signed_copy_passes_the_pdfa_and_pdfua_checks(signed, tmp_path, lang):
    pdfa = pytest.importorskip("pikepdf.pdfa")
    pdfua = pytest.importorskip("pdfua")
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed[(DOC_IDS[0], lang)])
    report = pdfa.validate_written(without_form(path, _strip_pdfua_attributes), "2b")
    # pikepdf's allowlist does not know ETSI's PAdES extension (/Extensions /ESIC, which PDF/A-2
    # permits); that one finding is checked here instead, every other one fails the test.
    findings = [f for f in report.findings if not (f.kind == "unsupported" and "/ESIC" in f.where)]
    assert not findings, "\n".join(str(f) for f in findings)
    with pikepdf.open(path) as pdf:
        if "/Extensions" in pdf.Root:
            assert set(pdf.Root.Extensions.keys()) <= {"/ESIC", "/ADBE"}
            assert str(pdf.Root.Extensions.ESIC.BaseVersion) == "/1.7"
        assert str(pdf.Root.get("/Version", "/1.7")) <= "/1.7" and pdf.pdf_version <= "1.7"
    ua = pdfua.validate(str(path))
    problems = [f"{f.rule_id} {f.severity.name}: {f.message}" for f in ua.findings]
    assert not problems, "\n".join(problems)
    assert ua.exit_code == 0
    with pikepdf.open(path) as pdf:
        xmp = bytes(pdf.Root.Metadata.read_bytes()).decode("utf-8")
        assert 'pdfaid:part="2"' in xmp and 'pdfaid:conformance="B"' in xmp and 'pdfuaid:part="1"' in xmp
        assert "PDF/UA Universal Accessibility Schema" in xmp
        assert pdf.Root.MarkInfo.Marked and "/StructTreeRoot" in pdf.Root


def test_pdftotext_reads_the_signed_copy(signed, tmp_path):
    import subprocess
    tool = require_tool("pdftotext")
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed[(DOC_IDS[0], "fi")])
    text = subprocess.run([tool, str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Työ- ja elinkeinoministeriön ja KEHA-keskuksen yleishallinnollinen" in " ".join(text.split())


# --- the follow-up report says whether the agreement was signed ----------------------------

def test_the_report_says_whether_the_agreement_was_signed(signed, tmp_path):
    import docx
    content = signed_project(tmp_path, {(DOC_IDS[1], "fi"): signed[(DOC_IDS[1], "fi")]})
    project = sopimus.load(content)
    result = build(project, "report", None, tmp_path / "out")
    assert not result.errors, [d.format() for d in result.errors]
    out = tmp_path / "out" / "report"
    (fi_json,) = (out / "fi").glob(f"{DOC_IDS[1]}-*.json")
    agreement = json.loads(fi_json.read_text("utf-8"))["agreement"]
    assert agreement["signed"] is True and dt.date.fromisoformat(agreement["signed_on"])
    (sv_json,) = (out / "sv").glob(f"{DOC_IDS[1]}-*.json")
    assert json.loads(sv_json.read_text("utf-8"))["agreement"] == {"signed": False, "signed_on": None}
    day = agreement["signed_on"].split("-")
    when = f"{int(day[2])}.{int(day[1])}.{day[0]}"
    html = fi_json.with_suffix(".html").read_text("utf-8")
    assert f"<dt>Sopimuksen allekirjoitus</dt><dd>Allekirjoitettu sähköisesti {when}</dd>" in html
    assert "<dt>Avtalets undertecknande</dt><dd>Inte undertecknad</dd>" in sv_json.with_suffix(".html").read_text("utf-8")
    table = docx.Document(str(fi_json.with_suffix(".docx"))).tables[0]
    assert [c.text for c in table.rows[-1].cells] == ["Sopimuksen allekirjoitus", f"Allekirjoitettu sähköisesti {when}"]
    if shutil.which("pdftotext"):
        import subprocess
        text = subprocess.run(["pdftotext", str(fi_json.with_suffix(".pdf")), "-"], capture_output=True,
                              text=True, check=True).stdout
        assert f"Allekirjoitettu sähköisesti {when}" in " ".join(text.split())


def test_sopimus_yaml_names_the_folder_and_the_trust_roots(signed, tmp_path, capsys):
    content = signed_project(tmp_path, {})
    folder = content / DOC_IDS[1] / "allekirjoitetut"
    folder.mkdir()
    (folder / "fi.pdf").write_bytes(signed[(DOC_IDS[1], "fi")])
    (content / "juuret").mkdir()
    (content / "juuret" / "other.pem").write_bytes(make_ca("Toinen CA").pem)
    config = content / "sopimus.yaml"
    config.write_text(config.read_text("utf-8") + "signing:\n  folder: allekirjoitetut\n"
                      "  trust: [juuret/other.pem]\n", "utf-8")
    code, out = findings(capsys, content)
    assert code == 1   # found in the folder named, and checked against the root named
    assert f"{DOC_IDS[1]}/allekirjoitetut/fi.pdf:1:1: error: [signed-untrusted]" in out
    config.write_text(config.read_text("utf-8").replace("juuret/other.pem", "juuret/missing.pem"), "utf-8")
    code, out = findings(capsys, content)
    assert code == 1 and "[file-missing] trust root 'juuret/missing.pem' does not exist" in out


def test_a_signer_whose_name_is_not_the_signatorys_is_a_warning(signed, unsigned):
    from sopimus.signing.verify import Expected, verify
    data = signed[(DOC_IDS[1], "fi")]
    fields = signature_fields(data)
    expected = Expected(unsigned[(DOC_IDS[1], "fi")],
                        {fields[0]: ("Työ- ja elinkeinoministeriö, kansliapäällikkö", "Pekka Pouta"),
                         fields[1]: ("KEHA-keskus, johtaja", "liisa  VIRTANEN")}, "test")
    v = verify(data, "x.pdf", lambda _when: expected, [])
    assert v.ok   # a warning, not an error: names are not always in the sources
    (warning,) = v.findings
    assert warning.code == "signed-signer-name" and warning.severity == "warning"
    assert "is for Pekka Pouta" in warning.message and "Matti Meikäläinen" in warning.message
