"""A real yearly update of the KEHA TEM document, committed in a git repository
made for the test: the edit the redline and diff tests compare against."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DOC = "keha-tem-substanssi-2026-2029"

NEW_GOAL = """\
   .. goal:: Neuvontapalvelujen saavutettavuus paranee.
      :id: neuvonnan-saavutettavuus

      .. target:: 2027

         Neuvontapalvelut ovat saavutettavia kaikille asiakasryhmille.

"""

NEW_PARTY = """\
  - id: lvm
    kind: ministry
    name: {fi: Liikenne- ja viestintäministeriö, sv: Kommunikationsministeriet}
    abbreviation: LVM
"""


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True,
                          env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                               "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
                               "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(root), "PATH": "/usr/bin:/bin"})
    return done.stdout


def make_repository(root: Path) -> Path:
    """A git repository with the real content committed as it is; returns its content/ folder."""
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "locales", root / "locales")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "signed 2026 version")
    git(root, "tag", "allekirjoitettu-2026")
    return root / "content"


def _cut(text: str, start: str, end: str) -> tuple[str, str]:
    """(``text`` without the lines from ``start`` up to ``end``, the lines cut)."""
    i = text.index(start)
    i = text.rindex("\n", 0, i) + 1
    j = text.index(end, i)
    j = text.rindex("\n", 0, j) + 1
    return text[:i] + text[j:], text[i:j]


def edit(content: Path) -> None:
    """The seven edits of the yearly update (the tests expect exactly these)."""
    doc = content / DOC
    targets = doc / "04-tulostavoitteet.rst"
    text = targets.read_text("utf-8")
    # 1. a 2027 target level changes: < 30,0 → < 28,0 pv
    at = text.index(":id: tyovoimapoliittiset-lausunnot-kasittelyaika")
    level = text.index(":2027: < 30,0", at)
    text = text[:level] + ":2027: < 28,0" + text[level + len(":2027: < 30,0"):]
    # 2. a goal is removed (its 2026 target, the TYPPI replacement, was done)
    text, _ = _cut(text, ".. goal:: Tietojärjestelmät tukevat monialaista", ".. goal:: Tietojärjestelmät tukevat kansainvälistä")
    # 3. a goal moves to another theme, 4. after it a goal is added
    text, moved = _cut(text, ".. goal:: Valtionavustusten maksatuksissa", ".. theme:: Tietojärjestelmien kehittäminen")
    at = text.index(".. theme:: Ajantasainen ja luotettava tieto")
    text = text[:at] + moved + NEW_GOAL + text[at:]
    targets.write_text(text, "utf-8")
    # 5. a paragraph is reworded
    prose = doc / "01-strategiset-linjaukset.rst"
    text = prose.read_text("utf-8")
    old = "KEHA-keskus hoitaa myös valtionavustusten maksamiseen\nja takaisinperintään liittyviä tehtäviä."
    assert old in text
    prose.write_text(text.replace(old, "KEHA-keskus hoitaa myös valtionavustusten maksamiseen,\n"
                                       "valvontaan ja takaisinperintään liittyviä tehtäviä."), "utf-8")
    # 6. a party is added, 7. the period ends a year later
    meta = doc / "document.yaml"
    text = meta.read_text("utf-8")
    text = text.replace("period: {start: 2026, end: 2029}", "period: {start: 2026, end: 2030}")
    meta.write_text(text.replace("    abbreviation: TEM\n", "    abbreviation: TEM\n" + NEW_PARTY, 1), "utf-8")
    # the example outcomes rated the removed goal: they follow the edit
    outcomes = doc / "toteumat" / "2026-H1.yaml"
    lines = outcomes.read_text("utf-8").splitlines(keepends=True)
    start = next(i for i, l in enumerate(lines) if l.startswith("  tietojarjestelmat-monialainen-yhteistyo:"))
    end = start + 1
    while end < len(lines) and lines[end].startswith("    "):
        end += 1
    outcomes.write_text("".join(lines[:start] + lines[end:]), "utf-8")


def make_edited_repository(root: Path) -> Path:
    """The repository with the edit committed on top of the signed version (tag ``allekirjoitettu-2026``)."""
    content = make_repository(root)
    edit(content)
    git(root, "commit", "-q", "-am", "yearly update 2027")
    return content
