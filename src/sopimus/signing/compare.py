"""What differs between a signed copy and the PDF the sources build: pages, then text.

Page content streams are compared with pikepdf (always available); the text
of the first differing page comes from poppler's ``pdftotext`` where it is
installed, so a finding can quote the sentence that changed.
"""
from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import pikepdf


def page_streams(data: bytes) -> list[bytes]:
    """The decoded content of every page, in order."""
    out = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            contents = page.obj.get("/Contents")
            if contents is None:
                out.append(b"")
            elif isinstance(contents, pikepdf.Array):
                out.append(b"\n".join(bytes(c.read_bytes()) for c in contents))
            else:
                out.append(bytes(contents.read_bytes()))
    return out


def first_differing_page(signed: bytes, built: bytes) -> tuple[int | None, int, int]:
    """(1-based number of the first page whose content differs or None, pages signed, pages built)."""
    a, b = page_streams(signed), page_streams(built)
    for number, (x, y) in enumerate(zip(a, b), start=1):
        if x != y:
            return number, len(a), len(b)
    if len(a) != len(b):
        return min(len(a), len(b)) + 1, len(a), len(b)
    return None, len(a), len(b)


def page_text(data: bytes, number: int) -> str | None:
    """The text of page ``number`` (1-based) by pdftotext, or None when it is not installed."""
    tool = shutil.which("pdftotext")
    if tool is None:
        return None
    with tempfile.TemporaryDirectory(prefix="sopimus-") as tmp:
        path = Path(tmp) / "page.pdf"
        path.write_bytes(data)
        try:
            done = subprocess.run([tool, "-q", "-f", str(number), "-l", str(number), "-enc", "UTF-8",
                                   str(path), "-"], capture_output=True, timeout=60, check=False)
        except (OSError, subprocess.SubprocessError):
            return None
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else None


def first_differing_line(a: str, b: str) -> tuple[str, str] | None:
    """The first line (after normalising spaces) where texts ``a`` and ``b`` differ."""
    la = [" ".join(line.split()) for line in a.splitlines() if line.strip()]
    lb = [" ".join(line.split()) for line in b.splitlines() if line.strip()]
    for x, y in zip(la, lb):
        if x != y:
            return x, y
    if len(la) != len(lb):
        return (la[len(lb)] if len(la) > len(lb) else ""), (lb[len(la)] if len(lb) > len(la) else "")
    return None


def describe_difference(signed: bytes, built: bytes) -> str:
    """One sentence on how the signed copy differs from the build, as far as can be told."""
    try:
        page, n_signed, n_built = first_differing_page(signed, built)
    except Exception:  # noqa: BLE001 - a damaged copy: say what we can
        return "its pages cannot be compared"
    counts = "" if n_signed == n_built else f"; it has {n_signed} page(s), the build {n_built}"
    if page is None:
        return ("the pages are the same, but the file is not (document metadata, fonts or structure "
                "differ: a different sopimus version or theme?)" + counts)
    text = f"page {page} is the first that differs{counts}"
    if page <= min(n_signed, n_built):
        ta, tb = page_text(signed, page), page_text(built, page)
        if ta is not None and tb is not None:
            line = first_differing_line(ta, tb)
            if line is not None:
                text += f": the signed copy says {_quote(line[0])}, the sources now {_quote(line[1])}"
    return text


def _quote(line: str, limit: int = 120) -> str:
    if not line:
        return "nothing"
    return "«" + (line if len(line) <= limit else line[:limit - 1] + "…") + "»"
