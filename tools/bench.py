"""`make bench`: how fast sopimus builds, beside rst2pdf and pandoc on the same text.

Prints a table of medians over several runs (wall seconds, peak memory of the
process): cold build per builder, a no-op rebuild, a one-document change, a
10× synthetic agreement (cost should grow linearly), the structural diff and the
redline of two 10× versions, a whole administrative
branch (10 and 50 agreements × fi, sv with -j auto; memory summed over the
processes), the live preview (`sopimus serve`: an edit until the new HTML and
PDF are served; memory after 10 and 500 edits), and the same amount of plain
reST through rst2pdf (in its own virtual environment; with and without
tables, on which rst2pdf is slow) and pandoc (from PyPI's pypandoc-binary, or
the machine's pandoc) as references.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WORK = REPO / "build" / "bench"
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
SOPIMUS = [sys.executable, "-m", "sopimus"]
# sopimus runs as an installed package does: from compiled bytecode (main() compiles it once),
# as rst2pdf and the libraries do, which pip compiled when it installed them.
ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
       "PYTHONPATH": str(REPO / "src"), "SOURCE_DATE_EPOCH": "1767225600"}


def timed(cmd: list[str], cwd: Path | None = None) -> tuple[float, int]:
    """Wall seconds and peak RSS (MiB) of one run of ``cmd``."""
    with tempfile.TemporaryFile() as err:  # a file, not a pipe: a chatty child must not block
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            err.seek(0)
            raise SystemExit(f"failed: {' '.join(cmd)}\n{err.read().decode(errors='replace')[-3000:]}")
    return elapsed, usage.ru_maxrss // 1024


def median(cmd_factory, runs: int = RUNS, before=None) -> tuple[float, int]:
    times, peaks = [], []
    for _ in range(runs):
        if before:
            before()
        t, m = timed(cmd_factory())
        times.append(t)
        peaks.append(m)
    return statistics.median(times), max(peaks)


# --- the same text as plain reST, for the reference tools -------------------------------

def plain_rst(project, tables: bool = True) -> str:
    """Every text of the agreements as plain reST: what rst2pdf and pandoc get to render.

    Without ``tables``, only headings and paragraphs: each indicator is a paragraph.
    """
    from sopimus import ast as A
    from sopimus.i18n.content import inline_markup

    marks = "=-~^\"'"
    out: list[str] = []

    def heading(text: str, level: int) -> None:
        out.extend([text, marks[min(level, len(marks)) - 1] * max(len(text), 3), ""])

    def blocks(nodes, level: int, indent: str = "") -> None:
        for n in nodes:
            if isinstance(n, A.Section):
                heading(f"{n.number} {n.title}", level)
                blocks(n.body, level + 1)
            elif isinstance(n, A.Paragraph):
                out.extend([indent + inline_markup(n.content), ""])
            elif isinstance(n, A.ItemList):
                for item in n.items:
                    text = " ".join(inline_markup(p.content) for p in item.body if isinstance(p, A.Paragraph))
                    out.append(f"{indent}- {text}")
                out.append("")
            elif isinstance(n, A.Quote):
                blocks(n.body, level, indent + "   ")
            elif isinstance(n, (A.Theme, A.Goal, A.Annex)):
                out.extend([f"{indent}**{n.title}**", ""])
                blocks(n.body, level)
            elif isinstance(n, A.YearTarget):
                out.extend([f"{indent}*Tavoite {n.year}*", ""])
                blocks(n.body, level, indent)
            elif isinstance(n, A.Indicator) and not tables:
                levels = "; ".join(f"{t.year}: {t.op} {t.value}" for t in n.targets)
                out.extend([f"{indent}{n.name} ({n.unit or '-'}). {levels or '-'}", ""])
            elif isinstance(n, A.Indicator):
                years = list(range(2026, 2030))
                cells = {t.year: f"{t.op} {t.value}" for t in n.targets}
                out.extend([".. list-table::", "   :header-rows: 1", "",
                            "   * - Mittari", "     - Mittayksikkö"] + [f"     - {y}" for y in years])
                out.extend([f"   * - {n.name}", f"     - {n.unit or '-'}"] +
                           [f"     - {cells.get(y, '-')}" for y in years] + [""])
            elif isinstance(n, A.ImpactGoal):
                out.extend([f"- {n.text} ({n.ministry})", ""])
            elif isinstance(n, A.RatingScale):
                out.extend([f"- {lv.rating}: {lv.text}" for lv in n.levels] + [""])
    for doc in project.documents:
        heading(doc.title, 1)
        blocks(doc.body, 2)
    return "\n".join(out) + "\n"


# --- a 10× agreement ---------------------------------------------------------------------

def synthetic(factor: int, target: Path) -> Path:
    """content/ with each document's text repeated ``factor`` times (ids made unique)."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(REPO / "content", target / "content")
    shutil.copytree(REPO / "locales", target / "locales")
    for folder in (target / "content").iterdir():
        meta = folder / "document.yaml"
        if not meta.is_file():
            continue
        sources = sorted(folder.glob("*.rst"))
        names = []
        for n in range(factor):
            for src in sources:
                text = src.read_text("utf-8")
                if n:
                    text = re.sub(r"(:id: [a-z0-9-]+)", rf"\1-r{n}", text)
                    text = re.sub(r"(:goal:`[a-z0-9-]+)`", rf"\1-r{n}`", text)
                    text = text.replace(".. signatures::", "")
                    text = text.replace(".. impact-goal:: ", f".. impact-goal:: ({n}) ")  # ids derive from it
                name = f"r{n:02d}-{src.name}"
                (folder / name).write_text(text, "utf-8")
                names.append(name)
        yaml = meta.read_text("utf-8")
        head = yaml[: yaml.index("sources:")]
        tail = yaml[yaml.index("sources:"):].split("\n", 1)[1]
        tail = "\n".join(line for line in tail.split("\n") if not line.startswith("  - "))
        meta.write_text(head + "sources:\n" + "".join(f"  - {n}\n" for n in names) + tail, "utf-8")
        for src in sources:
            src.unlink()
    return target / "content"


# --- a whole administrative branch: many agreements --------------------------------------

def many(count: int, target: Path) -> Path:
    """content/ with ``count`` agreements: copies of the real ones under new ids, translations too."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(REPO / "locales", target / "locales")
    content = target / "content"
    content.mkdir(parents=True)
    originals = [line.strip()[2:] for line in (REPO / "content" / "sopimus.yaml").read_text("utf-8").splitlines()
                 if line.startswith("  - ")]
    ids = []
    for n in range(count):
        original = originals[n % len(originals)]
        doc_id = f"{original}-{n:02d}"
        shutil.copytree(REPO / "content" / original, content / doc_id)
        for lang_dir in (target / "locales").iterdir():
            po = lang_dir / "LC_MESSAGES" / f"{original}.po"
            if po.is_file():
                shutil.copyfile(po, lang_dir / "LC_MESSAGES" / f"{doc_id}.po")
        ids.append(doc_id)
    yaml = (REPO / "content" / "sopimus.yaml").read_text("utf-8")
    head, rest = yaml.split("documents:\n", 1)
    tail = "\n".join(line for line in rest.split("\n") if not line.startswith("  - "))
    (content / "sopimus.yaml").write_text(head + "documents:\n" + "".join(f"  - {i}\n" for i in ids) + tail, "utf-8")
    return content


def tree_pss(pid: int) -> int:
    """Proportional set size (KiB) of ``pid`` and its descendants: memory of forked workers, counted once."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{p}/task").iterdir():
                children = (task / "children").read_text().split()
                todo.extend(int(c) for c in children)
        except (OSError, ValueError):
            continue
    return total


def timed_tree(cmd: list[str]) -> tuple[float, int]:
    """Wall seconds and peak memory (MiB, PSS summed over the process tree, sampled every 20 ms)."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_pss(proc.pid))
        time.sleep(0.02)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return elapsed, peak // 1024


# --- the live preview --------------------------------------------------------------------

def serve_figures(runs: int) -> list[tuple[str, str, str, str]]:
    """An edit in a running `sopimus serve` until its HTML and PDF show it; memory over 500 edits."""
    import http.client

    site = synthetic(1, WORK / "serve")
    proc = subprocess.Popen(SOPIMUS + ["serve", "--port", "0", str(site)], env={**ENV, "PYTHONUNBUFFERED": "1"},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        port = None
        for line in proc.stdout:
            found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
            if found:
                port = int(found.group(1))
                break
        if port is None:
            raise SystemExit("sopimus serve did not start")
        threading.Thread(target=proc.stdout.read, daemon=True).start()  # keep its pipe drained

        def get(address: str) -> bytes:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                conn.request("GET", address)
                return conn.getresponse().read()
            finally:
                conn.close()

        doc = "keha-yleishallinto-2026-2029"
        page, pdf = f"/html/fi/{doc}.html", f"/pdf/fi/{doc}.pdf"
        source = site / doc / "r00-02-johdon-katsaus.rst"
        base = source.read_text("utf-8")
        edits = iter(range(1_000_000))

        def edit() -> str:
            marker = f"Muokkaus {next(edits)} tähän kappaleeseen."
            source.write_text(base + f"\n{marker}\n", "utf-8")
            return marker

        def until(check) -> float:
            started = time.perf_counter()
            while not check():
                time.sleep(0.002)
            return time.perf_counter() - started

        def rss() -> int:
            for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) // 1024
            return 0

        get(page), get(pdf)  # warm: imports, fonts, templates
        html_times = []
        for _ in range(runs * 2):
            marker = edit().encode("utf-8")
            html_times.append(until(lambda: marker in get(page)))
        pdf_times = []
        for _ in range(runs * 2):
            before = get(pdf)
            edit()
            pdf_times.append(until(lambda: get(pdf) != before))
        marks = {}
        for count in range(1, 501):
            marker = edit().encode("utf-8")
            until(lambda: marker in get(page))
            if count in (10, 500):
                marks[count] = rss()
        return [
            ("serve: edit → updated HTML (target ≤ 0.1 s)", f"{statistics.median(html_times):.3f} s", "", ""),
            ("serve: edit → updated PDF (target ≤ 0.5 s)", f"{statistics.median(pdf_times):.3f} s", "", ""),
            ("serve: memory after 10 edits / after 500", "", f"{marks[10]} MiB",
             f"{marks[500]} MiB after 500: {marks[500] - marks[10]:+d} MiB (target ≤ +10 MiB)"),
        ]
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


# --- the yearly update: a diff of two 10× versions ------------------------------------

def edited_copy(content: Path, target: Path) -> Path:
    """``content`` with a yearly update's edits: a 2027 target level in every copy of the
    result targets changed, a paragraph reworded."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(content.parent, target)
    for path in (target / "content").glob("*/r*-04-tulostavoitteet.rst"):
        path.write_text(path.read_text("utf-8").replace(":2027: < 30,0", ":2027: < 28,0", 1), "utf-8")
    for path in (target / "content").glob("*/r00-01-strategiset-linjaukset.rst"):
        path.write_text(path.read_text("utf-8").replace("KEHA-keskus", "KEHA-keskus (KEHA)", 1), "utf-8")
    return target / "content"


def diff_rows(big: Path, build_cmd) -> list[tuple[str, str, str, str]]:
    """The structural diff of every document of two 10× versions (in this process, after
    reading both: what the diff adds to building them), and the whole redline build."""
    import sopimus
    from sopimus.versions import diff, to_json

    new = edited_copy(big, WORK / "ten-new")
    old_project, new_project = sopimus.load(big), sopimus.load(new)
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        found = sum(len(to_json(diff(old_project.get(doc.id), doc))["changes"]) for doc in new_project.documents)
        times.append(time.perf_counter() - started)
    t_diff = statistics.median(times)
    t_json, _ = median(build_cmd("json", new), runs=max(1, RUNS // 2))
    t_red, m_red = median(lambda: SOPIMUS + ["build", "-q", "-E", "-l", "fi", "-b", "redline", "--against", str(big),
                                             str(new), str(WORK / "out")], runs=max(1, RUNS // 2))
    return [(f"10× agreement, structural diff (fi, {found} changes)", f"{t_diff:.2f} s", "",
             f"+{t_diff:.2f} s over reading and building them (target < 1 s)"),
            ("10× agreement, redline json+docx+html+pdf", f"{t_red:.2f} s", f"{m_red} MiB",
             f"reads both versions; json build of one: {t_json:.2f} s")]


# --- reference tools ------------------------------------------------------------------------

def reference_env() -> tuple[Path | None, Path | None]:
    """rst2pdf and pandoc, installed into build/bench/ref-venv on first use."""
    venv = WORK / "ref-venv"
    py = venv / "bin" / "python"
    if not py.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    def have(mod: str) -> bool:
        return subprocess.run([str(py), "-c", f"import {mod}"], capture_output=True).returncode == 0
    if not have("rst2pdf"):
        subprocess.run([str(py), "-m", "pip", "install", "-q", "rst2pdf"], check=False)
    rst2pdf = venv / "bin" / "rst2pdf"
    pandoc = shutil.which("pandoc")
    if pandoc is None:
        if not have("pypandoc"):
            subprocess.run([str(py), "-m", "pip", "install", "-q", "pypandoc_binary"], check=False)
        found = subprocess.run([str(py), "-c", "import pypandoc; print(pypandoc.get_pandoc_path())"],
                               capture_output=True, text=True)
        pandoc = found.stdout.strip() or None
    return (rst2pdf if rst2pdf.exists() else None), (Path(pandoc) if pandoc else None)


def main() -> int:
    sys.path.insert(0, str(REPO / "src"))
    import sopimus
    from sopimus import builders

    WORK.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "src")], check=True,
                   stdout=subprocess.DEVNULL)
    project = sopimus.load(REPO / "content")
    rows: list[tuple[str, str, str, str]] = []
    out = WORK / "out"

    def build_cmd(builder: str, content: Path = REPO / "content", *extra: str):
        return lambda: SOPIMUS + ["build", "-q", "-E", "-l", "fi", *extra, "-b", builder, str(content), str(out)]

    cold: dict[str, float] = {}
    scale: dict[int, float] = {}
    for builder in ("json", "gettext", "pdf", "docx", "html"):
        if builder not in builders.REGISTRY:
            continue
        t, m = median(build_cmd(builder))
        cold[builder] = t
        rows.append((f"cold build, {builder} (2 documents, fi)", f"{t:.2f} s", f"{m} MiB", ""))

    noop_builder = "pdf" if "pdf" in builders.REGISTRY else "json"
    timed(SOPIMUS + ["build", "-q", "-l", "fi", "-b", noop_builder, str(REPO / "content"), str(out)])
    t, m = median(lambda: SOPIMUS + ["build", "-q", "-l", "fi", "-b", noop_builder, str(REPO / "content"), str(out)])
    rows.append((f"no-op rebuild, {noop_builder} (target ≤ 0.15 s)", f"{t:.3f} s", f"{m} MiB", ""))

    changed = synthetic(1, WORK / "one")
    target = changed / "keha-yleishallinto-2026-2029" / "r00-02-johdon-katsaus.rst"
    timed(SOPIMUS + ["build", "-q", "-l", "fi", "-b", noop_builder, str(changed), str(WORK / "one-out")])
    def touch_one():
        target.write_text(target.read_text("utf-8") + "\nLisäys.\n", "utf-8")
    t, m = median(lambda: SOPIMUS + ["build", "-q", "-l", "fi", "-b", noop_builder, str(changed), str(WORK / "one-out")],
                  before=touch_one)
    rows.append((f"one document changed, {noop_builder}", f"{t:.2f} s", f"{m} MiB", ""))

    big = synthetic(10, WORK / "ten")
    for builder in ("json", noop_builder):
        t1 = cold.get(builder) or median(build_cmd(builder))[0]
        t10, m10 = median(build_cmd(builder, big), runs=max(1, RUNS // 2))
        rows.append((f"10× agreement, {builder}", f"{t10:.2f} s", f"{m10} MiB",
                     f"{t10 / t1:.1f}× the 1× time: +{(t10 - t1) / 9:.2f} s per extra 1× of text"))

    for count in (10, 50):
        branch = many(count, WORK / f"branch-{count}")
        cmd = SOPIMUS + ["build", "-q", "-E", "-j", "auto", "-l", "fi", "-l", "sv", "-b", "pdf", str(branch), str(out)]
        t, m = timed_tree(cmd)
        scale[count] = t
        note = ""
        if count == 50:
            per = (scale[50] - scale[10]) / 40
            note = (f"{per:.2f} s per extra agreement; "
                    f"{t / scale[10]:.1f}× the time of 10 for 5× the agreements")
        rows.append((f"{count} agreements × fi, sv, pdf -j auto (1 run)", f"{t:.1f} s", f"{m} MiB", note))

    if os.environ.get("BENCH_SERVE", "1") != "0":
        rows.extend(serve_figures(RUNS))

    rows.extend(diff_rows(big, build_cmd))

    rst2pdf, pandoc = reference_env()
    text = WORK / "agreements.rst"
    text.write_text(plain_rst(project), "utf-8")
    flat = WORK / "agreements-no-tables.rst"
    flat.write_text(plain_rst(project, tables=False), "utf-8")
    if rst2pdf:
        t, m = median(lambda: [str(rst2pdf), str(flat), "-o", str(WORK / "agreements-no-tables.pdf")])
        ratio = f"sopimus pdf = {cold['pdf'] / t:.2f}× rst2pdf (target ≤ 1.0×)" if "pdf" in cold else ""
        rows.append(("rst2pdf, same text without tables (reference)", f"{t:.2f} s", f"{m} MiB", ratio))
        t, m = median(lambda: [str(rst2pdf), str(text), "-o", str(WORK / "agreements.pdf")])
        ratio = f"sopimus pdf = {cold['pdf'] / t:.2f}× rst2pdf" if "pdf" in cold else ""
        rows.append(("rst2pdf, same text with list-tables", f"{t:.2f} s", f"{m} MiB", ratio))
    else:
        rows.append(("rst2pdf, same text (reference)", "not installed", "", ""))
    if pandoc:
        t, m = median(lambda: [str(pandoc), "-f", "rst", "-t", "docx", str(text), "-o", str(WORK / "agreements.docx")])
        ratio = f"sopimus docx = {cold['docx'] / t:.2f}× pandoc (target ≤ 1.2×)" if "docx" in cold else ""
        rows.append(("pandoc rst→docx, same text (reference)", f"{t:.2f} s", f"{m} MiB", ratio))
    else:
        rows.append(("pandoc rst→docx, same text (reference)", "not installed", "", ""))

    width = max(len(r[0]) for r in rows)
    print(f"sopimus bench — medians of {RUNS} runs on {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"{'measure'.ljust(width)}  {'time':>9}  {'peak mem':>9}  comparison")
    for name, t, m, note in rows:
        print(f"{name.ljust(width)}  {t:>9}  {m:>9}  {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
