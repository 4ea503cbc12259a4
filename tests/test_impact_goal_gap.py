"""An impact goal's ministry code never touches its text, as a reader sees the
page: the PDF as drawn (pdftotext's word boxes), the DOCX as LibreOffice lays
it out, the HTML as Chromium lays it out.  The codes are the real ones
(``MMM`` is the widest) and the widest the source allows (six letters)."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from sopimus.cli import main

from conftest import require_tool
from helpers import DOC, new_project

CODES = ["MMM", "OKM", "VM", "MMMM", "WWWWWW", "ÄDSKNQ"]   # ÄDSKNQ: just narrower than Word's tab stop
MIN_GAP_PT = 3.0


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("impact")
    content = new_project(tmp)
    rst = content / DOC / "sopimus.rst"
    goals = "".join(f".. impact-goal:: Tavoite{i} etenee hyvin\n   :ministry: {code}\n\n"
                    for i, code in enumerate(CODES))
    text = rst.read_text("utf-8")
    assert ".. impact-goal:: Työllisyys kasvaa" in text, "the quickstart changed"
    rst.write_text(text.replace(".. impact-goal:: Työllisyys kasvaa", goals + ".. impact-goal:: Työllisyys kasvaa"),
                   "utf-8")
    out = tmp / "out"
    for builder in ("pdf", "docx", "html"):
        assert main(["build", "-b", builder, "-l", "fi", "-q", str(content), str(out)]) == 0
    return out


def _gaps(pdf: Path) -> dict[str, tuple[float, float, float]]:
    """code -> (its right edge, where its text starts, the gap) on the drawn page, in points."""
    bbox = subprocess.run([require_tool("pdftotext"), "-bbox", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    words = [(float(x0), float(y0), float(x1), w) for x0, y0, x1, w in
             re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', bbox)]
    out = {}
    for i, code in enumerate(CODES):
        text = next(w for w in words if w[3] == f"Tavoite{i}")
        mark = next(w for w in words if w[3] == code and abs(w[1] - text[1]) < 2 and w[0] < text[0])
        out[code] = (mark[2], text[0], text[0] - mark[2])
    return out


def test_pdf_codes_keep_their_distance_and_the_texts_align(built):
    gaps = _gaps(built / "pdf" / "fi" / f"{DOC}.pdf")
    assert all(gap >= MIN_GAP_PT for _, _, gap in gaps.values()), gaps
    assert len({start for _, start, _ in gaps.values()}) == 1, gaps   # one list, one indent


def test_docx_codes_keep_their_distance_in_libreoffice(built, tmp_path):
    soffice = require_tool("soffice")
    result = subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                             "--convert-to", "pdf", "--outdir", str(tmp_path),
                             str(built / "docx" / "fi" / f"{DOC}.docx")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    gaps = _gaps(tmp_path / f"{DOC}.pdf")
    assert all(gap >= MIN_GAP_PT for _, _, gap in gaps.values()), gaps


def test_html_codes_keep_their_distance_in_chromium(built):
    chromium = require_tool("chromium")
    page = built / "html" / "fi" / f"{DOC}.html"
    probe = page.with_name("probe.html")
    probe.write_text(page.read_text("utf-8").replace("</body>", """<script>
window.addEventListener("load", () => {
  document.body.setAttribute("data-probe", [...document.querySelectorAll(".impact-goals li")].map(li =>
    [li.querySelector(".ministry").textContent, Math.round(li.querySelector(".ministry").getBoundingClientRect().right),
     Math.round(li.querySelector(".impact-text").getBoundingClientRect().left)].join(":")).join(","));
});</script></body>"""), "utf-8")
    dom = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--window-size=1000,2000",
                          "--virtual-time-budget=3000", "--dump-dom", probe.as_uri()],
                         capture_output=True, text=True, timeout=120).stdout
    items = [item.split(":") for item in dom.split('data-probe="', 1)[1].split('"', 1)[0].split(",")]
    found = {code: int(left) - int(right) for code, right, left in items}
    assert set(CODES) <= set(found), found
    assert all(found[code] >= 4 for code in CODES), found   # CSS pixels (3 pt)
