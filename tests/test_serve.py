"""`sopimus serve`: a live preview, tested as a drafter uses it — over HTTP, editing files."""
from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sopimus.serve.server import address_of

DOC = "keha-yleishallinto-2026-2029"
SOURCE = f"{DOC}/02-johdon-katsaus.rst"


def get(port: int, target: str, method: str = "GET", headers: dict | None = None) -> tuple[int, bytes, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
        for key, value in {"Host": f"127.0.0.1:{port}", **(headers or {})}.items():
            conn.putheader(key, value)
        conn.endheaders()
        resp = conn.getresponse()
        return resp.status, resp.read(), dict(resp.getheaders())
    finally:
        conn.close()


def wait_for(port: int, target: str, predicate, timeout: float = 1.0) -> tuple[int, str]:
    """Poll ``target`` until ``predicate(status, text)``; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        status, body, _ = get(port, target)
        text = body.decode("utf-8", "replace")
        if predicate(status, text):
            return status, text
        if time.monotonic() > deadline:
            pytest.fail(f"{target} did not change within {timeout} s; last answer {status}:\n{text[-2000:]}")
        time.sleep(0.02)


class Server:
    def __init__(self, content: Path, *args: str):
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen([sys.executable, "-m", "sopimus", "serve", "--port", "0", *args, str(content)],
                                     cwd=content.parent, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     env=env, text=True)
        self.lines: list[str] = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            self.lines.append(line)
            found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
            if found:
                self.port = int(found.group(1))
                return
        self.proc.kill()
        pytest.fail("sopimus serve did not start:\n" + "".join(self.lines))

    def stop(self) -> str:
        self.proc.send_signal(signal.SIGINT)
        out, _ = self.proc.communicate(timeout=10)
        return "".join(self.lines) + out


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """One server over an unchanged copy of the content, for the tests that only read."""
    from conftest import CONTENT, REPO
    root = tmp_path_factory.mktemp("shared")
    shutil.copytree(CONTENT, root / "content")
    shutil.copytree(REPO / "locales", root / "locales")
    srv = Server(root / "content")
    yield srv
    if srv.proc.poll() is None:
        srv.stop()


@pytest.fixture()
def server(content_copy: Path, request):
    args = getattr(request, "param", ())
    srv = Server(content_copy, *args)
    yield srv
    if srv.proc.poll() is None:
        srv.proc.kill()
        srv.proc.wait()


@pytest.mark.parametrize("server", [(), ("--poll",)], indirect=True, ids=["watchfiles", "polling"])
def test_edit_error_and_fix_reach_the_page(server: Server, content_copy: Path):
    port = server.port
    status, body, headers = get(port, "/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    index = body.decode()
    assert f'href="/html/fi/{DOC}.html"' in index and f'href="/pdf/sv/{DOC}.pdf"' in index

    page_address = f"/html/fi/{DOC}.html"
    status, body, _ = get(port, page_address)
    assert status == 200 and b'id="sopimus-live"' in body and b"/_sopimus/events" in body

    source = content_copy / SOURCE
    original = source.read_text("utf-8")
    source.write_text(original + "\nLuonnoksen uusi kappale tarkistusta varten.\n", "utf-8")
    wait_for(port, page_address, lambda s, t: "Luonnoksen uusi kappale tarkistusta varten." in t)

    lines = (original + "\nLuonnoksen uusi kappale.\n\n.. tuntematon-direktiivi::\n").split("\n")
    source.write_text("\n".join(lines), "utf-8")
    error_line = lines.index(".. tuntematon-direktiivi::") + 1
    _, text = wait_for(port, page_address, lambda s, t: 'id="sopimus-overlay"' in t)
    overlay = text[text.index('id="sopimus-overlay"'):]
    assert f"content/{SOURCE}:{error_line}:1" in overlay
    assert "[unknown-directive]" in overlay and ".. tuntematon-direktiivi::" in overlay
    assert "Lähteissä on virheitä (1)" in overlay
    # the previous good rendering is under the overlay, one click away
    assert "Luonnoksen uusi kappale tarkistusta varten." in text and "<button" in overlay
    status, body, _ = get(port, f"/pdf/fi/{DOC}.pdf")
    assert status == 409 and b"[unknown-directive]" in body

    source.write_text(original + "\nKorjattu kappale.\n", "utf-8")
    _, text = wait_for(port, page_address, lambda s, t: "Korjattu kappale." in t)
    assert 'id="sopimus-overlay"' not in text

    output = server.stop()
    assert server.proc.returncode == 0, output
    assert "Traceback" not in output
    assert f"{SOURCE}:{error_line}:1: error: [unknown-directive]" in output


def test_pdf_and_docx_on_request_and_nothing_injected_into_them(shared: Server):
    server = shared
    status, pdf, headers = get(server.port, f"/pdf/sv/{DOC}.pdf")
    assert status == 200 and headers["Content-Type"] == "application/pdf" and pdf.startswith(b"%PDF-")
    assert b"sopimus-live" not in pdf
    status, docx, headers = get(server.port, f"/docx/fi/{DOC}.docx")
    assert status == 200 and docx.startswith(b"PK")
    status, css, headers = get(server.port, "/html/assets/sopimus.css")
    assert status == 200 and headers["Content-Type"].startswith("text/css") and b"sopimus-live" not in css


@pytest.mark.parametrize("target", [
    "/../", "/../etc/passwd", "/html/../../etc/passwd", "/html/fi/../../../content/sopimus.yaml",
    "/%2e%2e/", "/%2E%2E/etc/passwd", "/html%2ffi%2fkeha-yleishallinto-2026-2029.html",
    "/html/fi%2F..%2F..%2Fcontent%2Fsopimus.yaml", "/html/fi/%2e%2e/%2e%2e/", "/html\\fi",
    "/html//fi/keha-yleishallinto-2026-2029.html", "/content/sopimus.yaml", "/html/", "/html/fi/",
    "/html/assets/", "/html/assets/fonts/", "/_sopimus/", "/%00",
])
def test_nothing_outside_what_it_serves(shared: Server, target: str):
    status, body, _ = get(shared.port, target)
    assert status == 404, (target, status, body[:200])


def test_only_get_and_head_and_small_requests(shared: Server):
    port = shared.port
    status, body, headers = get(port, f"/html/fi/{DOC}.html", method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 1000
    for method in ("POST", "PUT", "DELETE", "OPTIONS", "PROPFIND"):
        status, _, headers = get(port, "/", method=method)
        assert status == 405 and headers.get("Allow") == "GET, HEAD", method
    status, _, _ = get(port, "/" + "a" * 10_000)
    assert status == 414
    status, _, _ = get(port, "/", headers={"X-Filler": "x" * 20_000})
    assert status == 431
    status, _, _ = get(port, "/", headers={"Content-Length": "5"})
    assert status == 413
    status, _, _ = get(port, "/", headers={"Host": "attacker.example:80"})
    assert status == 421  # DNS rebinding: only local names reach a local preview


def test_a_symlink_to_outside_is_not_followed(content_copy: Path, tmp_path: Path):
    secret = tmp_path / "secret.txt"
    secret.write_text("salaisuus", "utf-8")
    (content_copy / DOC / "linkki.html").symlink_to(secret)
    srv = Server(content_copy)
    try:
        for target in (f"/{DOC}/linkki.html", f"/html/fi/linkki.html", f"/content/{DOC}/linkki.html"):
            status, body, _ = get(srv.port, target)
            assert status == 404 and b"salaisuus" not in body
    finally:
        srv.stop()


def test_sigint_leaves_no_process_and_no_files(server: Server, content_copy: Path):
    before = sorted(p.relative_to(content_copy.parent) for p in content_copy.parent.rglob("*"))
    # an open event stream must not keep the server alive
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request("GET", "/_sopimus/events")
    resp = conn.getresponse()
    assert resp.status == 200 and resp.getheader("Content-Type") == "text/event-stream"
    assert resp.fp.readline().startswith(b"retry:")
    pid = server.proc.pid
    output = server.stop()
    conn.close()
    assert server.proc.returncode == 0 and "stopped" in output and "Traceback" not in output
    assert not Path(f"/proc/{pid}").exists() or _is_zombie_free(pid)
    children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout if shutil.which("pgrep") else ""
    assert children == ""
    after = sorted(p.relative_to(content_copy.parent) for p in content_copy.parent.rglob("*"))
    assert after == before  # nothing written beside the sources (no build/, no temp files)


def _is_zombie_free(pid: int) -> bool:
    try:
        return "Z" not in Path(f"/proc/{pid}/stat").read_text().split()[2]
    except OSError:
        return True


def test_addresses_are_plain_paths_only():
    assert address_of("/") == ""
    assert address_of(f"/html/fi/{DOC}.html?x=1") == f"html/fi/{DOC}.html"
    for bad in ("/..", "/a/../b", "/a/./b", "/a//b", "/a%2fb", "/.hidden", "/a\\b", "relative"):
        assert address_of(bad) is None, bad


def test_one_language_served_with_its_labels(content_copy: Path):
    srv = Server(content_copy, "-l", "sv")
    try:
        status, body, _ = get(srv.port, "/")
        index = body.decode()
        assert status == 200 and '<html lang="sv">' in index and "Förhandsgranskning" in index
        assert f"/html/sv/{DOC}.html" in index and f"/html/fi/{DOC}.html" not in index
        assert get(srv.port, f"/html/fi/{DOC}.html")[0] == 404
        source = content_copy / SOURCE
        source.write_text(source.read_text("utf-8") + "\n.. tuntematon::\n", "utf-8")
        _, text = wait_for(srv.port, f"/html/sv/{DOC}.html", lambda s, t: 'id="sopimus-overlay"' in t)
        assert "Fel i källorna (1)" in text and "Visa föregående lyckade version" in text
    finally:
        srv.stop()


# --- in the same process: what a change reads and renders again ------------------------------

def test_an_edit_parses_only_the_changed_file_and_renders_only_its_document(content_copy: Path):
    from sopimus.serve.session import Session

    session = Session(content_copy)
    other = "keha-tem-substanssi-2026-2029"
    pages = {doc: session.lookup(f"html/fi/{doc}.html").data for doc in (DOC, other)}
    parsed = session.memo.parsed
    source = content_copy / SOURCE
    source.write_text(source.read_text("utf-8") + "\nUusi kappale muistissa.\n", "utf-8")
    session.refresh({source})
    assert session.memo.parsed == parsed + 1  # docutils saw one file; the others came from memory
    assert session.last_affected == {DOC}
    assert "Uusi kappale muistissa." in session.lookup(f"html/fi/{DOC}.html").data.decode()
    assert session.lookup(f"html/fi/{other}.html").data is pages[other]  # not rendered again


def test_a_translation_edit_reaches_its_document_in_that_language(content_copy: Path):
    from sopimus.serve.session import Session

    session = Session(content_copy)
    po = content_copy.parent / "locales" / "sv" / "LC_MESSAGES" / f"{DOC}.po"
    text = po.read_text("utf-8")
    at = text.index('msgstr "', text.index('msgid "Johdon katsaus"'))
    po.write_text(text[:at] + 'msgstr "Ledningens översikt (ändrad)"' + text[text.index("\n", at):], "utf-8")
    session.refresh({po})
    assert session.last_affected == {DOC}
    assert "Ledningens översikt (ändrad)" in session.lookup(f"html/sv/{DOC}.html").data.decode()


def test_a_theme_edit_reaches_every_page(content_copy: Path):
    from sopimus.serve.session import Session
    from sopimus.resources import BUILTIN_THEMES

    shutil.copytree(BUILTIN_THEMES / "default", content_copy.parent / "themes" / "default")
    session = Session(content_copy)
    assert session.lookup(f"html/fi/{DOC}.html").data
    page = content_copy.parent / "themes" / "default" / "html" / "page.html"
    page.write_text(page.read_text("utf-8").replace("</main>", "<p>Teeman muutos</p></main>", 1), "utf-8")
    session.refresh({page})
    assert session.last_affected is None
    assert "Teeman muutos" in session.lookup(f"html/sv/{DOC}.html").data.decode()


def test_a_project_with_errors_is_served_and_a_missing_one_is_not(content_copy: Path, tmp_path: Path):
    result = subprocess.run([sys.executable, "-m", "sopimus", "serve", "--port", "0", str(tmp_path / "ei-ole")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "[file-missing]" in result.stderr and "Traceback" not in result.stderr

    config = content_copy / "sopimus.yaml"
    good = config.read_text("utf-8")
    config.write_text(good.replace("languages: [fi, sv]", "languages: [fi, sv"), "utf-8")
    srv = Server(content_copy)
    try:
        status, body, _ = get(srv.port, "/")
        assert status == 200 and b'id="sopimus-overlay"' in body and b"sopimus.yaml:" in body
        config.write_text(good, "utf-8")
        # the first good read parses every file (nothing is in memory yet): more than an edit's second
        wait_for(srv.port, "/", lambda s, t: 'id="sopimus-overlay"' not in t and f"/html/fi/{DOC}.html" in t,
                 timeout=20)
    finally:
        assert "Traceback" not in srv.stop()


def test_served_page_is_the_built_page_plus_only_the_live_script(shared: Server, tmp_path: Path):
    import sopimus
    from sopimus.pipeline import build

    content = Path(shared.proc.args[-1])  # the source folder the server was started with
    result = build(sopimus.load(content), "html", ["sv"], tmp_path)
    assert not result.errors
    built = (tmp_path / "html" / "sv" / f"{DOC}.html").read_bytes()
    assert b"sopimus-live" not in built and b"_sopimus" not in built
    status, served, _ = get(shared.port, f"/html/sv/{DOC}.html")
    start = served.index(b'<script id="sopimus-live"')
    end = served.index(b"</script>\n", start) + len(b"</script>\n")
    assert status == 200 and served[:start] + served[end:] == built
