"""The real KEHA-keskus content: complete, typed, and free of OCR damage."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from sopimus import ast as A
from sopimus.targets import parse_level

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "seed" / "keha-tulossopimus-2026-2029.ocr.txt"
DOCS = {"keha-yleishallinto-2026-2029": (1, 730), "keha-tem-substanssi-2026-2029": (731, 1523)}
# Counted in the seed: "Tavoite 2026", "Tavoite 2027" and "Mittayksikkö" per document.
EXPECTED = {"keha-yleishallinto-2026-2029": (30, 2, 7), "keha-tem-substanssi-2026-2029": (31, 0, 21)}


def spotcheck(doc_id: str) -> dict:
    return YAML(typ="safe").load((REPO / "tests" / "data" / f"spotcheck-{doc_id}.yaml").read_text("utf-8"))


def nodes(doc: A.Document, cls: type) -> list:
    return [n for n in doc.walk() if isinstance(n, cls)]


def full_text(doc: A.Document) -> str:
    parts = []
    for n in doc.walk():
        for attr in ("title", "name", "text", "unit"):
            value = getattr(n, attr, None)
            if isinstance(value, str):
                parts.append(value)
        if isinstance(n, A.RatingScale):
            parts.extend(level.text for level in n.levels)
    return "\n".join(parts)


@pytest.mark.parametrize("doc_id", DOCS)
def test_counts_match_the_source(project, doc_id: str) -> None:
    doc = project.get(doc_id)
    targets = nodes(doc, A.YearTarget)
    counted = (sum(t.year == 2026 for t in targets), sum(t.year == 2027 for t in targets),
               len(nodes(doc, A.Indicator)))
    assert counted == EXPECTED[doc_id]
    if SEED.is_file():  # and the expectation itself is what the seed says
        start, end = DOCS[doc_id]
        part = SEED.read_text("utf-8").splitlines()[start - 1:end]
        seed_counts = (sum("Tavoite 2026" in line for line in part), sum("Tavoite 2027" in line for line in part),
                       sum("mittayksikk" in line.lower() for line in part))
        assert counted == seed_counts


@pytest.mark.parametrize("doc_id", DOCS)
def test_every_indicator_with_unit_and_targets(project, doc_id: str) -> None:
    doc = project.get(doc_id)
    expected = {i["id"]: i for i in spotcheck(doc_id)["indicators"]}
    found = {n.id: n for n in nodes(doc, A.Indicator)}
    assert set(found) == set(expected)
    for ind_id, spec in expected.items():
        ind = found[ind_id]
        assert ind.unit == spec["unit"], ind_id
        want = {int(year): parse_level(text)[:2] for year, text in (spec["targets"] or {}).items()}
        assert {t.year: (t.op, t.value) for t in ind.targets} == want, ind_id


@pytest.mark.parametrize("doc_id", DOCS)
def test_goals_impact_goals_and_phrases(project, doc_id: str) -> None:
    doc = project.get(doc_id)
    spec = spotcheck(doc_id)
    goals = {g.id: g.title for g in nodes(doc, A.Goal)}
    for g in spec["goals"]:
        assert goals.get(g["id"]) == g["title"]
    impact = nodes(doc, A.ImpactGoal)
    assert len(impact) == len(spec["impact_goals"])
    for node, want in zip(impact, spec["impact_goals"]):
        assert node.ministry == want["ministry"] and node.text.startswith(want["starts"])
    text = full_text(doc) + "\n" + "\n".join(A.plain_text(p.content) for p in nodes(doc, A.Paragraph))
    for phrase in spec["phrases"]:
        assert phrase in text, phrase


def test_metadata_is_what_the_source_says(project) -> None:
    for doc in project.documents:
        assert [p.id for p in doc.parties] == ["tem", "keha"]
        assert (doc.period.start, doc.period.end, doc.binding_year, doc.status) == (2026, 2029, 2026, "final")
        assert doc.register_number is None and doc.date is None  # not in the text: never invented
        assert all(s.name is None for s in doc.signatories)
    substance = project.get("keha-tem-substanssi-2026-2029")
    assert [a.number for a in nodes(substance, A.Annex)] == [0]
    assert [lv.rating for lv in nodes(substance, A.RatingScale)[0].levels] == [3, 2, 1]


# Full-width rows of the TEM result-target table (OCR lines 952, 1088, 1161): their
# lines run 45-49 em in Noto Sans, like the description rows above them (1072-1086,
# 1233: 48-50 em), where goal and target text wraps at about 41 em. They describe
# the goal or theme before them; they are not goals of their own.
TEM = "keha-tem-substanssi-2026-2029"
DESCRIPTIONS = {  # OCR line: (the goal or theme they describe, their first words)
    952: ("tietojarjestelmien-yhteiskehitys", "Tietojärjestelmäkehitystä ohjaa lakimuutosten toimeenpano,"),
    1088: ("kotoutuminen", "KEHA-keskus on kytkenyt toimintojensa suunnitteluun"),
    1161: ("kv-rekrytointi", "KEHA-keskus vahvistaa omaa rooliaan kansainvälisen rekrytoinnin"),
}


@pytest.mark.parametrize("line", DESCRIPTIONS)
def test_full_width_rows_describe_the_goal_or_theme_before_them(project, line: int) -> None:
    doc = project.get(TEM)
    parent_id, words = DESCRIPTIONS[line]
    parent = next(n for n in doc.walk() if isinstance(n, (A.Theme, A.Goal)) and n.id == parent_id)
    own = [A.plain_text(n.content) for n in parent.body if isinstance(n, A.Paragraph)]
    assert [t for t in own if t.startswith(words)], f"OCR line {line}: not a paragraph of {parent_id}"
    assert not [g.id for g in nodes(doc, A.Goal) if g.title.startswith(words)]


def test_every_tem_goal_has_its_own_2026_target(project) -> None:
    """In the seed each of the 31 goal rows of the TEM document is followed by its
    own "Tavoite 2026" row: 31 goals, no sub-goals, one 2026 target each."""
    goals = nodes(project.get(TEM), A.Goal)
    assert len(goals) == 31 and all(g.level == 1 for g in goals)
    for goal in goals:
        assert [t.year for t in goal.body if isinstance(t, A.YearTarget)] == [2026], goal.id


# Misreadings the seed README lists, and bullets/dashes the OCR produced.
OCR_DAMAGE = [r"\btyd", r"ty[éb6]", r"kehittd", r"hy[éd]d", r"hyddyn", r"[^\W\d]6\b", r"é", r"—", r"¢",
              r"^\s*[oe¢]\s", r"\btehtavat\b", r"\bkaytto", r"jarjestelm", r"\bmyos\b", r"\bseka\b",
              r"\blisaksi\b", r"tyollisyy", r"\bvalinen\b", r"\d{4}-\d{4}", r"Asteikko 1-5", r"HBaro 1-4"]


def test_no_ocr_damage_left() -> None:
    problems = []
    for path in sorted((REPO / "content").rglob("*.rst")):
        for no, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if line.strip().startswith(":id:") or "<http" in line:
                continue
            for pattern in OCR_DAMAGE:
                if re.search(pattern, line, re.IGNORECASE if pattern.islower() else 0):
                    problems.append(f"{path.relative_to(REPO)}:{no}: {pattern!r}: {line.strip()[:80]}")
    assert not problems, "\n".join(problems)
