"""Outcome files and the traffic-light rule: the rule at its edges, the
assessment of the real agreements, and every check with its file and line."""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from sopimus.outcomes import (DEFAULT_MARGIN, GREEN, RED, YELLOW, Margin, ReportSettings, assess,
                              parse_margin, parse_period, rate, summary)
from sopimus.reader import read

D = Decimal
YLEIS = "keha-yleishallinto-2026-2029"
TEM = "keha-tem-substanssi-2026-2029"


# --- the rule ---------------------------------------------------------------------------

@pytest.mark.parametrize("op, expected", [(">=", GREEN), ("<=", GREEN), ("=", GREEN),
                                          (">", YELLOW), ("<", YELLOW)])
def test_exactly_on_the_target(op, expected):
    # A strict target is missed by nothing when the outcome equals it: YELLOW, not GREEN.
    assert rate(op, D("4.0"), D("4.0")).rating == expected


@pytest.mark.parametrize("op, target, met, missed", [
    (">", "4.0", "4.1", "3.9"), (">=", "85", "85", "84.9"),
    ("<", "30.0", "29.9", "30.1"), ("<=", "11", "11", "11.5"), ("=", "100", "100", "101")])
def test_each_operator_met_and_missed(op, target, met, missed):
    assert rate(op, D(target), D(met)).rating == GREEN
    assert rate(op, D(target), D(missed)).rating == YELLOW  # every miss here is within 10 %


@pytest.mark.parametrize("op, target, on_boundary, beyond", [
    (">", "4.0", "3.6", "3.59"),       # 10 % of 4,0 is 0,4
    (">=", "2.91", "2.619", "2.618"),  # 10 % of 2,91 is 0,291
    ("<", "30.0", "33.0", "33.01"),    # 10 % of 30,0 is 3,0
    ("<=", "11", "12.1", "12.11"),
    ("=", "85", "93.5", "93.51"), ("=", "85", "76.5", "76.49")])
def test_the_yellow_boundary_is_still_yellow(op, target, on_boundary, beyond):
    assert rate(op, D(target), D(on_boundary)).rating == YELLOW
    assert rate(op, D(target), D(beyond)).rating == RED


def test_an_absolute_margin_is_in_the_indicators_unit():
    one_month = Margin(D(1), relative=False)
    assert rate("<", D(11), D("12"), one_month).rating == YELLOW
    assert rate("<", D(11), D("12.01"), one_month).rating == RED
    verdict = rate("<", D(11), D("11.8"), one_month)
    assert (verdict.gap, verdict.allowance) == (D("0.8"), D(1))


def test_a_zero_margin_makes_every_miss_red_except_a_strict_tie():
    zero = Margin(D(0), relative=True)
    assert rate(">=", D(4), D("3.99"), zero).rating == RED
    assert rate(">", D(4), D(4), zero).rating == YELLOW


def test_a_relative_margin_of_a_negative_target_is_positive():
    assert rate(">", D(-10), D(-10.5)).rating == YELLOW


@pytest.mark.parametrize("text, expected", [
    ("10 %", Margin(D(10), True)), ("10%", Margin(D(10), True)), ("2,5 %", Margin(D("2.5"), True)),
    ("0,2", Margin(D("0.2"), False)), ("0.2", Margin(D("0.2"), False)), ("1", Margin(D(1), False))])
def test_margins_as_drafters_write_them(text, expected):
    assert parse_margin(text) == expected


@pytest.mark.parametrize("text", ["", "kymmenen", "-1", "10 % %", "< 10"])
def test_malformed_margins(text):
    assert parse_margin(text) is None


def test_periods_order_as_they_are_reported():
    h1, year, next_h1 = parse_period("2026-H1"), parse_period("2026"), parse_period("2027-H1")
    assert h1 < year < next_h1
    assert (str(h1), str(year)) == ("2026-H1", "2026")
    assert parse_period("2026-H2") is None and parse_period("H1-2026") is None


decimals = st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False, allow_infinity=False)
margins = st.builds(Margin, st.decimals(min_value=0, max_value=50, places=1, allow_nan=False,
                                        allow_infinity=False), st.booleans())


@given(target=decimals, a=decimals, b=decimals, margin=margins, op=st.sampled_from([">", ">="]))
def test_more_is_never_worse_for_a_lower_bound(target, a, b, margin, op):
    low, high = sorted((a, b))
    assert rate(op, target, low, margin).rating <= rate(op, target, high, margin).rating


@given(target=decimals, a=decimals, b=decimals, margin=margins, op=st.sampled_from(["<", "<="]))
def test_less_is_never_worse_for_an_upper_bound(target, a, b, margin, op):
    low, high = sorted((a, b))
    assert rate(op, target, low, margin).rating >= rate(op, target, high, margin).rating


@given(target=decimals, outcome=decimals, op=st.sampled_from(["<", "<=", ">", ">=", "="]),
       small=st.decimals(min_value=0, max_value=50, places=1), extra=st.decimals(min_value=0, max_value=50, places=1),
       relative=st.booleans())
def test_a_wider_margin_is_never_stricter(target, outcome, op, small, extra, relative):
    narrow, wide = Margin(small, relative), Margin(small + extra, relative)
    assert rate(op, target, outcome, narrow).rating <= rate(op, target, outcome, wide).rating


@given(target=decimals, outcome=decimals, op=st.sampled_from(["<", "<=", ">", ">=", "="]), margin=margins)
def test_green_exactly_when_the_comparison_holds(target, outcome, op, margin):
    holds = {"<": outcome < target, "<=": outcome <= target, ">": outcome > target,
             ">=": outcome >= target, "=": outcome == target}[op]
    assert (rate(op, target, outcome, margin).rating == GREEN) == holds


# --- the real agreements and their example outcomes ----------------------------------------

def _by_id(project, doc_id, lang="fi"):
    doc = project.document(doc_id, lang)
    outcomes = project.outcomes[doc_id]
    return {a.id: a for a in assess(doc, outcomes.latest, outcomes.settings, 2026, "fi")}


def test_the_example_files_are_read_and_marked_as_examples(project):
    for doc_id in (YLEIS, TEM):
        latest = project.outcomes[doc_id].latest
        assert str(latest.period) == "2026-H1" and latest.example
        text = latest.path.read_text("utf-8")
        assert "example: true" in text and "EXAMPLE DATA" in text


def test_computed_ratings_of_the_real_indicators(project):
    yleis, tem = _by_id(project, YLEIS), _by_id(project, TEM)
    assert (yleis["asiakastyytyvaisyys"].rating, yleis["asiakastyytyvaisyys"].basis) == (GREEN, "computed")
    evk = yleis["evk-tyytyvaisyys"]  # 3,8 against > 4,0: missed by 0,2, margin 0,4
    assert (evk.rating, evk.verdict.gap, evk.verdict.allowance) == (YELLOW, D("0.2"), D("0.4"))
    assert tem["tyovoimapoliittiset-lausunnot-kasittelyaika"].rating == GREEN
    palkka = tem["palkkaturva-kasittelyaika"]  # its own margin of one month
    assert palkka.margin == Margin(D(1), False) and palkka.rating == YELLOW


def test_a_manual_rating_overrides_the_computed_one_with_its_reason(project):
    a = _by_id(project, TEM)["valitusvastineet-kasittelyaika"]
    assert (a.rating, a.basis, a.verdict.rating) == (YELLOW, "manual", RED)
    assert "28" in "".join(getattr(n, "text", "") for n in a.reason)


def test_no_outcome_and_no_target_are_unrated_with_the_reason(project):
    yleis = _by_id(project, YLEIS)
    assert (yleis["kokonaisindeksi"].rating, yleis["kokonaisindeksi"].why) == (None, "no-outcome")
    no_target = yleis["sidosryhmatyytyvaisyys"]  # 3,6 reported, but no target level for 2026
    assert (no_target.rating, no_target.why, no_target.outcome) == (None, "no-target", D("3.6"))
    assert yleis["lvv-analoginen-tietopalvelu"].why == "not-rated"  # a goal nobody rated


def test_annex_indicators_appear_only_when_reported(project):
    tem = _by_id(project, TEM)
    assert "tyonantajat-tapahtumissa" in tem and tem["tyonantajat-tapahtumissa"].why == "no-target"
    assert "wif-tunnettuus" not in tem


def test_reasons_follow_the_language(project):
    sv = _by_id(project, YLEIS, "sv")["asianhallinta"]
    assert "Riksarkivet" in "".join(getattr(n, "text", "") for n in sv.reason)


def test_summary_counts_every_assessed_target(project):
    doc = project.document(YLEIS)
    outcomes = project.outcomes[YLEIS]
    found = assess(doc, outcomes.latest, outcomes.settings, 2026)
    counts = summary(found)
    assert sum(counts.values()) == len(found)
    assert counts["red"] == 1 and counts["yellow"] == 4


def test_without_an_outcome_file_everything_is_unrated(project):
    doc = project.document(YLEIS)
    found = assess(doc, None, ReportSettings(), 2026)
    assert found and all(a.rating is None for a in found)
    assert DEFAULT_MARGIN == Margin(D(10), True)


# --- the checks, each with its file and line --------------------------------------------------

def _write(content: Path, doc_id: str, name: str, text: str) -> str:
    folder = content / doc_id / "toteumat"
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    (folder / name).write_text(text, "utf-8")
    return f"{doc_id}/toteumat/{name}"


def _findings(content: Path) -> list[tuple[str, int, str, str]]:
    _project, diags = read(content)
    return [(d.file.replace("\\", "/"), d.line, d.severity, d.code) for d in diags.items]


def _has(found, file_end: str, line: int, severity: str, code: str) -> bool:
    return any(f.endswith(file_end) and l == line and s == severity and c == code for f, l, s, c in found)


CHECKS = [
    # (file name, text, line, severity, code)
    ("2026-H3.yaml", "indicators: {}\n", 1, "error", "outcome-period"),
    ("2031.yaml", "indicators: {}\n", 1, "error", "outcome-period"),
    ("2026-H1.yaml", "indicators:\n  asiakastyytyvaisyys: 4,2\n  asiakastyytyvaisuus: 4,0\n", 3, "error",
     "outcome-unknown-id"),
    ("2026-H1.yaml", "indicators:\n  tekoalyn-kaytto: 4\n", 2, "error", "outcome-unknown-id"),
    ("2026-H1.yaml", "goals:\n  asiakastyytyvaisyys: 3\n", 2, "error", "outcome-unknown-id"),
    ("2026-H1.yaml", "goals:\n  varautuminen: 3\n", 2, "error", "outcome-unknown-id"),
    ("2026-H1.yaml", "indicators:\n  asiakastyytyvaisyys:\n    outcome: neljä\n", 3, "error", "outcome-value"),
    ("2026-H1.yaml", "indicators:\n  asiakastyytyvaisyys: '> 4,0'\n", 2, "error", "outcome-value"),
    ("2026-H1.yaml", "indicators:\n  asiakastyytyvaisyys: 4,2 %\n", 2, "error", "outcome-value"),
    ("2026-H1.yaml", "indicators:\n  asiakastyytyvaisyys:\n    outcome: 4,2\n    yellow_margin: paljon\n",
     4, "error", "outcome-value"),
    ("2026-H1.yaml", "goals:\n  asianhallinta:\n    rating: 4\n", 3, "error", "outcome-rating"),
    ("2026-H1.yaml", "goals:\n  asianhallinta:\n    rating: kolme\n", 3, "error", "outcome-rating"),
    ("2026-H1.yaml", "indicators:\n  asiakastyytyvaisyys:\n    outcome: 4,2\n    rating: 0\n", 4, "error",
     "outcome-rating"),
    ("2026-H1.yaml", "goals:\n  asianhallinta:\n    reason: kesken\n", 2, "warning", "outcome-rating"),
    ("2026-H1.yaml", "goals:\n  asianhallinta: 1\n", 2, "error", "outcome-reason"),
    ("2026-H1.yaml", "indicators:\n  asiakastyytyvaisyys:\n    outcome: 4,2\n    rating: 2\n", 2, "error",
     "outcome-reason"),
    ("2026-H1.yaml", "indicators:\n  evk-tyytyvaisyys:\n    outcome: 3,0\n    rating: 3\n", 2, "error",
     "outcome-reason"),
    ("2026-H1.yaml", "indicators:\n  evk-tyytyvaisyys: 3,8\n", 2, "warning", "outcome-deviation"),
    ("2026-H1.yaml", "goals:\n  asianhallinta:\n    rating: 2\n    reason: 'kesken *auki'\n", 2, "error",
     "outcome-markup"),
    ("2026-H1.yaml", "goals:\n  asianhallinta:\n    rating: 2\n    reason: '`x <javascript:alert(1)>`_'\n", 2,
     "error", "link-scheme"),
    ("2026-H1.yaml", "goals:\n  asianhallinta:\n    rating: 2\n    reason: 'katso :goal:`ei-ole`'\n", 2,
     "error", "goal-ref"),
    ("2026-H1.yaml", "goals:\n  asianhallinta:\n    rating: 3\n    arvio: hyvä\n", 4, "warning", "meta-unknown"),
    ("2026-H1.yaml", "example: kyllä\nindicators: {}\n", 1, "error", "meta-type"),
    ("2026-H1.yaml", "indicators: [asiakastyytyvaisyys]\n", 1, "error", "meta-type"),
    ("2026-H1.yaml", "indicators:\n  asiakastyytyvaisyys: 4,2\n  asiakastyytyvaisyys: 4,3\n", 3, "error",
     "yaml-duplicate-key"),
]


@pytest.mark.parametrize("name, text, line, severity, code", CHECKS,
                         ids=[f"{c[4]}-{i}" for i, c in enumerate(CHECKS)])
def test_each_check_names_file_and_line(content_copy, name, text, line, severity, code):
    shown = _write(content_copy, YLEIS, name, text)
    found = _findings(content_copy)
    assert _has(found, shown, line, severity, code), found


def test_a_period_with_two_files_is_an_error(content_copy):
    shown = _write(content_copy, YLEIS, "2026-H1.yaml", "indicators: {}\n")
    (content_copy / YLEIS / "toteumat" / "2026-H1.yml").write_text("indicators: {}\n", "utf-8")
    found = _findings(content_copy)
    assert any(c == "outcome-period" and f.endswith("2026-H1.yml") for f, _l, _s, c in found), (shown, found)


def _set_project_margin(content: Path, value: str) -> int:
    """Set ``report: yellow_margin`` in sopimus.yaml; the line it is on."""
    path = content / "sopimus.yaml"
    lines = [line for line in path.read_text("utf-8").splitlines()
             if not line.startswith("report:") and not line.lstrip().startswith("yellow_margin:")]
    path.write_text("\n".join(lines + ["report:", f"  yellow_margin: {value}"]) + "\n", "utf-8")
    return len(lines) + 2


def test_the_project_margin_is_checked_in_sopimus_yaml(content_copy):
    line = _set_project_margin(content_copy, "kymmenen")
    found = _findings(content_copy)
    assert _has(found, "sopimus.yaml", line, "error", "outcome-value"), found


def test_the_project_margin_changes_the_rating(content_copy):
    _set_project_margin(content_copy, '"2 %"')
    project, diags = read(content_copy)
    assert not diags.errors
    outcomes = project.outcomes[YLEIS]
    assert outcomes.settings.yellow_margin == Margin(D(2), True)
    evk = {a.id: a for a in assess(project.document(YLEIS), outcomes.latest, outcomes.settings, 2026)}
    assert evk["evk-tyytyvaisyys"].rating == RED  # 3,8 misses > 4,0 by 0,2: more than 2 % of 4,0


def test_the_real_project_states_its_margin(project):
    assert project.outcomes[YLEIS].settings.yellow_margin == Margin(D(10), True)


def test_sopimus_check_prints_outcome_findings_with_file_and_line(content_copy, capsys):
    from sopimus.cli import main
    shown = _write(content_copy, TEM, "2026-H1.yaml",
                   "example: true\nindicators:\n  palkkaturva-kasittelyaika:\n    outcome: 11,8\n    rating: 1\n")
    code = main(["check", str(content_copy)])
    out = capsys.readouterr().out
    assert code == 1
    assert re.search(re.escape(shown) + r":3:\d+: error: \[outcome-reason\]", out), out


def test_the_real_content_checks_clean(repo_root, capsys):
    from sopimus.cli import main
    assert main(["check", str(repo_root / "content")]) == 0
    assert "outcome" not in capsys.readouterr().out
