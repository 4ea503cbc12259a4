"""Every check code: a source that triggers it at the right line; the clean source triggers none."""
from __future__ import annotations

from pathlib import Path

import pytest

from helpers import DOC, findings, new_project

RST = f"{DOC}/sopimus.rst"
YAML = f"{DOC}/document.yaml"


def append(rel: str, text: str):
    def mutate(content: Path) -> None:
        path = content / rel
        path.write_text(path.read_text("utf-8") + text, "utf-8")
    return mutate


def replace(rel: str, old: str, new: str):
    def mutate(content: Path) -> None:
        path = content / rel
        text = path.read_text("utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), "utf-8")
    return mutate


def write_bytes(rel: str, data: bytes):
    def mutate(content: Path) -> None:
        (content / rel).write_bytes(data)
    return mutate


ALIAS_BOMB = b"a: &a [x, x, x, x, x, x, x, x, x, x]\n" + b"".join(
    f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n".encode() for p, c in zip("abcdef", "bcdefg"))

# code: (mutation, file the finding names, the text on the line it must point at (last occurrence))
CASES = {
    "yaml-syntax": (append(YAML, "\nbroken: [1, 2\n"), YAML, "broken: [1, 2"),
    "yaml-duplicate-key": (append(YAML, "\nplace: Helsinki\n"), YAML, "place: Helsinki"),
    "yaml-tag": (append(YAML, "\nversion: !!python/object/apply:os.system ['echo hi']\n"), YAML, "version: !!"),
    "yaml-alias": (write_bytes(YAML, ALIAS_BOMB), YAML, None),
    "yaml-empty": (write_bytes(YAML, b""), YAML, None),
    "meta-missing": (replace(YAML, "type: tulossopimus\n", ""), YAML, "title:"),
    "meta-type": (replace(YAML, "binding_year: 2026", "binding_year: [2026]"), YAML, "binding_year:"),
    "meta-value": (replace(YAML, "status: draft", "status: valmis"), YAML, "status: valmis"),
    "meta-unknown": (append(YAML, "\nsignature_place: Helsinki\n"), YAML, "signature_place"),
    "signatory-party": (replace(YAML, "  - party: virasto", "  - party: virastoo"), YAML, "party: virastoo"),
    "encoding": (write_bytes(RST, "Otsikko\n=======\n\nTeksti\n\nP\xe4\xe4t\xf6s\n".encode("latin-1")), RST, 6),
    "encoding-bom": (write_bytes(RST, b"\xef\xbb\xbfOtsikko\n=======\n\n.. signatures::\n"), RST, None),
    "file-missing": (replace(YAML, "  - sopimus.rst", "  - sopimus.rst\n  - puuttuu.rst"), YAML, "puuttuu.rst"),
    "unknown-directive": (append(RST, "\n.. tavoite:: 2026\n"), RST, ".. tavoite::"),
    "unknown-role": (append(RST, "\nKatso :tavoite:`x`.\n"), RST, "Katso :tavoite:"),
    "unknown-option": (append(RST, "\n.. indicator:: Uusi\n   :yksikko: pv\n"), RST, ":yksikko: pv"),
    "raw-directive": (append(RST, "\n.. raw:: html\n\n   <script>alert(1)</script>\n"), RST, ".. raw::"),
    "include-outside": (append(RST, "\n.. include:: ../../../../etc/passwd\n"), RST, ".. include::"),
    "unsupported": (append(RST, "\n.. [1] Alaviite\n"), RST, ".. [1]"),
    "rst-syntax": (append(RST, "\nTeksti *ilman loppua\n"), RST, "Teksti *ilman"),
    "line-too-long": (append(RST, "\n" + "sana " * 3000 + "\n"), RST, "sana sana"),
    "heading-number": (replace(RST, "Strategiset linjaukset\n======================",
                               "1 Strategiset linjaukset\n========================"), RST, "1 Strategiset"),
    "duplicate-id": (replace(RST, ".. indicator:: Asiakastyytyväisyys\n      :id: asiakastyytyvaisyys",
                             ".. indicator:: Asiakastyytyväisyys\n      :id: kasittelyaika"),
                     RST, ".. indicator:: Asiakastyytyväisyys"),
    "id-invalid": (replace(RST, ":id: asiakastyytyvaisyys", ":id: Asiakas tyytyväisyys"), RST, ":id: Asiakas"),
    "target-year": (replace(RST, ":2026: > 4,0", ":2031: > 4,0"), RST, ":2031:"),
    "target-value": (replace(RST, ":2026: > 4,0", ":2026: yli neljä"), RST, ":2026: yli"),
    "unit-missing": (replace(RST, "      :unit: Asteikko 1–5\n", ""), RST, ".. indicator:: Asiakastyytyväisyys"),
    "goal-ref": (replace(RST, ":goal:`kasittely-nopeaa`", ":goal:`kasittely-nopea`"), RST, ":goal:`kasittely-nopea`"),
    "goal-depth": (append(RST, "\n.. goal:: A\n\n   .. goal:: B\n\n      .. goal:: C\n"), RST, ".. goal:: C"),
    "target-outside": (append(RST, "\n.. target:: 2026\n\n   Teksti.\n"), RST, ".. target:: 2026"),
    "ministry-code": (replace(RST, "   :ministry: TEM", "   :ministry: työministeriö"), RST, ":ministry: työ"),
    "rating-scale": (replace(RST, "   :1: tavoitteesta on jääty paljon tai se ei ole toteutunut\n", ""),
                     RST, ".. rating-scale::"),
    "signatures-missing": (replace(RST, ".. signatures::", "Loppu."), YAML, None),
    "signatures-duplicate": (append(RST, "\n.. signatures::\n"), RST, ".. signatures::"),
}
WARNINGS = {"meta-unknown", "encoding-bom", "signatures-missing", "rst-syntax"}


def line_of(path: Path, needle: str | int | None) -> int:
    if needle is None:
        return 1
    if isinstance(needle, int):
        return needle
    lines = path.read_text("utf-8", errors="replace").split("\n")
    return max(i for i, line in enumerate(lines, 1) if needle in line)


def test_clean_project_has_no_findings(tmp_path: Path) -> None:
    assert findings(new_project(tmp_path)) == []


@pytest.mark.parametrize("code", sorted(CASES))
def test_each_check_reports_its_code_at_the_line(tmp_path: Path, code: str) -> None:
    mutate, rel, needle = CASES[code]
    content = new_project(tmp_path)
    mutate(content)
    all_findings = findings(content)
    found = [d for d in all_findings if d.code == code]
    assert found, f"no [{code}] in {[d.format() for d in all_findings]}"
    d = found[0]
    assert d.severity == ("warning" if code in WARNINGS else "error"), d.format()
    assert d.file.endswith(rel), d.format()
    assert d.line == line_of(content / rel, needle), d.format()


def test_findings_carry_a_hint_for_the_drafter(tmp_path: Path) -> None:
    content = new_project(tmp_path)
    CASES["unknown-directive"][0](content)
    d = next(d for d in findings(content) if d.code == "unknown-directive")
    assert d.hint and "indicator" in d.hint
