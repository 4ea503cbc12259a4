"""The structural diff (sopimus.diff) and reading old versions from git or a folder."""
from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path

import pytest

import sopimus
from sopimus import ast as A
from sopimus.versions import DELETE, EQUAL, INSERT, changes, to_json
from sopimus.versions.checkout import VersionError, open_version

from yearly_edit import DOC, git, make_edited_repository

pytestmark = pytest.mark.skipif(__import__("shutil").which("git") is None, reason="git is not installed")


@pytest.fixture(scope="module")
def edited(tmp_path_factory) -> Path:
    return make_edited_repository(tmp_path_factory.mktemp("repo"))


def _diff(content: Path, rev: str, lang: str = "fi"):
    new = sopimus.load(content)
    with open_version(rev, content) as old:
        assert not old.errors, [d.format() for d in old.errors]
        return sopimus.diff(old.project.document(DOC, lang), new.document(DOC, lang))


def _summary(found: list[dict]) -> set[tuple]:
    out = set()
    for c in found:
        what = c.get("id") or c.get("field")
        out.add((c["change"], c.get("type"), what, c.get("year")))
    return out


def test_the_yearly_edit_gives_exactly_its_seven_changes(edited):
    d = _diff(edited, "allekirjoitettu-2026")
    data = json.loads(json.dumps(to_json(d, "allekirjoitettu-2026")))
    assert data["schema"] == "sopimus-diff/1" and data["status"] == "changed"
    found = data["changes"]
    assert _summary(found) == {
        ("metadata", None, "period.end", None),
        ("added", "party", "lvm", None),
        ("text", "paragraph", "text", None),
        ("removed", "goal", "tietojarjestelmat-monialainen-yhteistyo", None),
        ("moved", "goal", "valtionavustusten-maksatus", None),
        ("added", "goal", "neuvonnan-saavutettavuus", None),
        ("target-level", "indicator", "tyovoimapoliittiset-lausunnot-kasittelyaika", 2027),
    }
    assert len(found) == 7
    by = {c["change"] + ":" + (c.get("id") or c.get("field", "")): c for c in found}
    level = by["target-level:tyovoimapoliittiset-lausunnot-kasittelyaika"]
    assert level["old"] == {"op": "<", "value": "30.0"} and level["new"] == {"op": "<", "value": "28.0"}
    assert level["unit"] == "pv"
    moved = by["moved:valtionavustusten-maksatus"]
    assert moved["from"][-1]["id"] == "yhteistyo-kumppanit" and moved["to"][-1]["id"] == "neuvontapalvelut"
    assert by["metadata:period.end"]["old"] == 2029 and by["metadata:period.end"]["new"] == 2030
    text = by["text:text"]
    assert [w for w in text["words"] if w["op"] != "equal"] == [{"op": "insert", "text": ", valvontaan"}]
    assert text["parent"][-1]["title"] == "KEHA-keskuksen tehtävät"
    removed = by["removed:tietojarjestelmat-monialainen-yhteistyo"]
    assert removed["parent"][-1]["id"] == "tietojarjestelmat"


def test_the_swedish_diff_sees_the_same_structural_changes(edited):
    d = _diff(edited, "allekirjoitettu-2026", "sv")
    found = _summary(changes(d))
    assert ("moved", "goal", "valtionavustusten-maksatus", None) in found
    assert ("target-level", "indicator", "tyovoimapoliittiset-lausunnot-kasittelyaika", 2027) in found
    party = next(c for c in changes(d) if c["change"] == "added")
    assert party["name"] == "Kommunikationsministeriet"


def test_an_unchanged_document_gives_an_empty_diff(edited):
    d = _diff(edited, "HEAD")
    assert d.status == "unchanged" and changes(d) == []
    assert all(b.op == EQUAL for b in d.walk())


def test_the_old_version_can_be_another_folder(edited, tmp_path):
    old = tmp_path / "old"
    git(edited.parent, "worktree", "add", "-q", str(old), "allekirjoitettu-2026")
    with open_version(str(old / "content"), edited) as version:
        d = sopimus.diff(version.project.get(DOC), sopimus.load(edited).get(DOC))
    assert len(changes(d)) == 7


def test_findings_of_the_old_revision_name_it(tmp_path):
    content = make_edited_repository(tmp_path)
    rst = content / DOC / "04-tulostavoitteet.rst"
    rst.write_text(rst.read_text("utf-8").replace(":2026: < 30,0", ":2026: alle kolmenkymmenen", 1), "utf-8")
    git(tmp_path, "commit", "-q", "-am", "a broken target level")
    git(tmp_path, "revert", "--no-edit", "HEAD")
    with open_version("HEAD~1", content) as old:
        errors = [d.format() for d in old.errors]
    assert errors and all(e.startswith(f"HEAD~1:content/{DOC}/04-tulostavoitteet.rst:") for e in errors), errors


@pytest.mark.parametrize("rev, message", [
    ("no-such-tag", "neither a folder nor a revision"),
    ("--output=/tmp/x", "neither a folder nor a git revision"),
])
def test_an_unknown_revision_is_a_clear_error(edited, rev, message):
    with pytest.raises(VersionError, match=message):
        open_version(rev, edited)


def test_a_folder_outside_git_is_a_clear_error(tmp_path, content_copy):
    with pytest.raises(VersionError, match="not in a git repository"):
        open_version("HEAD", content_copy)


# --- the diff itself, on small edits of the real document ---------------------------

@pytest.fixture()
def tem(project) -> A.Document:
    return project.get(DOC)


def _find(doc: A.Document, cls, **attrs):
    return next(n for n in doc.walk() if isinstance(n, cls) and all(getattr(n, k) == v for k, v in attrs.items()))


def test_a_word_changed_in_bold_stays_bold(tem):
    new = copy.deepcopy(tem)
    para = _find(new, A.Paragraph)
    para.content = [A.Text("Alku "), A.Strong([A.Text("tärkeä sana")]), A.Text(" loppu.")]
    old = copy.deepcopy(new)
    old_para = _find(old, A.Paragraph)
    old_para.content = [A.Text("Alku "), A.Strong([A.Text("vanha sana")]), A.Text(" loppu.")]
    d = sopimus.diff(old, new)
    block = next(b for b in d.walk() if b.op != EQUAL and isinstance(b.node, A.Paragraph))
    deleted = [s for s in block.text if s.op == DELETE]
    inserted = [s for s in block.text if s.op == INSERT]
    assert [s.inlines for s in deleted] == [[A.Strong([A.Text("vanha")])]]
    assert [s.inlines for s in inserted] == [[A.Strong([A.Text("tärkeä")])]]
    assert "".join(s.text for s in block.text if s.op != DELETE) == "Alku tärkeä sana loppu."
    assert "".join(s.text for s in block.text if s.op != INSERT) == "Alku vanha sana loppu."


def test_goals_reordered_within_a_theme_are_a_move(tem):
    new = copy.deepcopy(tem)
    theme = _find(new, A.Theme, id="yhteistyo-kumppanit")
    theme.body[0], theme.body[1] = theme.body[1], theme.body[0]
    found = changes(sopimus.diff(tem, new))
    assert [(c["change"], c["id"]) for c in found] in ([("moved", "sidosryhmayhteistyo")],
                                                       [("moved", "viestinta-tyollisyysalueet")])


def test_a_moved_goal_with_a_changed_target_lists_both(tem):
    new = copy.deepcopy(tem)
    source = _find(new, A.Theme, id="yhteistyo-kumppanit")
    goal = source.body.pop(0)
    goal.body[0].body[0].content.append(A.Text(" Lisäys."))
    _find(new, A.Theme, id="neuvontapalvelut").body.append(goal)
    found = changes(sopimus.diff(tem, new))
    assert [c["change"] for c in found] == ["moved", "text"]
    assert found[1]["parent"][-2]["id"] == "sidosryhmayhteistyo" and found[1]["parent"][-1]["year"] == 2026


def test_a_renamed_section_is_a_title_change_not_a_new_section(tem):
    new = copy.deepcopy(tem)
    section = _find(new, A.Section, number="1.1")
    section.title = "KEHA-keskuksen lakisääteiset tehtävät"
    section.id = "keha-keskuksen-lakisaateiset-tehtavat"
    found = changes(sopimus.diff(tem, new))
    assert len(found) == 1 and found[0]["change"] == "text" and found[0]["field"] == "title"
    assert {"op": "insert", "text": "lakisääteiset "} in found[0]["words"]


def test_target_years_added_and_removed(tem):
    new = copy.deepcopy(tem)
    ind = _find(new, A.Indicator, id="tyovoimapoliittiset-lausunnot-kasittelyaika")
    ind.targets = [t for t in ind.targets if t.year != 2029] + [A.TargetLevel(2030, "<", Decimal("25.0"))]
    found = changes(sopimus.diff(tem, new))
    assert [(c["year"], c["old"], c["new"]) for c in found] == [
        (2029, {"op": "<", "value": "30.0"}, None), (2030, None, {"op": "<", "value": "25.0"})]


def test_a_paragraph_added_and_one_removed(tem):
    new = copy.deepcopy(tem)
    section = _find(new, A.Section, number="1.1")
    removed = section.body.pop(1)
    section.body.append(A.Paragraph([A.Text("Aivan uusi kappale, jota ennen ei ollut.")]))
    found = changes(sopimus.diff(tem, new))
    assert [(c["change"], c["type"]) for c in found] == [("removed", "paragraph"), ("added", "paragraph")]
    assert found[0]["text"] == A.plain_text(removed.content)


def test_documents_on_one_side_only(tem):
    assert changes(sopimus.diff(None, tem)) == [{"change": "added", "type": "document", "id": DOC,
                                                 "title": tem.title}]
    assert sopimus.diff(tem, None).status == "removed"


def test_decimals_in_the_json_are_strings(tem):
    new = copy.deepcopy(tem)
    _find(new, A.Indicator, id="tyovoimapoliittiset-lausunnot-kasittelyaika").targets[1].value = Decimal("27.5")
    text = json.dumps(to_json(sopimus.diff(tem, new)))
    assert '"value": "27.5"' in text and '"value": "30.0"' in text


def _table(rows: list[list[str]], title: str = "Toimintamenot") -> A.Table:
    return A.Table(title=title, widths=[2, 1], header_rows=1,
                   rows=[A.TableRow([A.TableCell([A.Text(t)]) for t in row]) for row in rows])


def test_a_changed_table_cell_is_a_change_at_its_row_and_column(tem):
    old = copy.deepcopy(tem)
    section = _find(old, A.Section, number="1.1")
    section.body.append(_table([["Menot", "2026"], ["Toimintamenot", "30,0"], ["Htv", "12"]]))
    new = copy.deepcopy(old)
    table = _find(new, A.Table)
    table.rows[1].cells[1] = A.TableCell([A.Text("28,5")])
    table.rows.append(A.TableRow([A.TableCell([A.Text("Uusi rivi")]), A.TableCell([A.Text("1")])]))
    found = changes(sopimus.diff(old, new))
    assert [(c["change"], c["type"], c["field"], c["old"], c["new"]) for c in found] == [
        ("field", "table", "row 2, column 2", "30,0", "28,5"),
        ("field", "table", "row 4", None, "Uusi rivi | 1")]
    assert sopimus.diff(old, copy.deepcopy(old)).status == "unchanged"


def test_a_block_changed_in_a_way_no_record_names_is_still_a_change(tem):
    old = copy.deepcopy(tem)
    _find(old, A.Section, number="1.1").body.append(_table([["A", "B"], ["1", "2"]]))
    new = copy.deepcopy(old)
    _find(new, A.Table).lang = "fi"   # e.g. the table fell back to Finnish text in a translation
    found = changes(sopimus.diff(old, new))
    assert [(c["change"], c["type"]) for c in found] == [("changed", "table")]
