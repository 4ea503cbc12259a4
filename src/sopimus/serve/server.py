"""The preview's HTTP server: standard library, GET and HEAD only, nothing but what it renders.

Addresses are those of a build's output folder (``/html/fi/<id>.html``,
``/pdf/sv/<id>.pdf``, ``/html/assets/…``), an index at ``/``, and the event
stream that tells open pages to reload. Nothing is served from the file
system by path: an address is looked up among the renderings, so ``..``,
encoded slashes and symlinks lead nowhere.
"""
from __future__ import annotations

import ipaddress
import json
import posixpath
import re
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from .. import __version__
from . import chrome
from .session import FILE_BUILDERS, PAGE_BUILDER, Session

MAX_REQUEST_LINE = 4096
MAX_HEADER_BYTES = 16384
KEEPALIVE_SECONDS = 15.0
_SAFE_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
          ".pdf": "application/pdf", ".ttf": "font/ttf", ".otf": "font/otf", ".woff2": "font/woff2",
          ".txt": "text/plain; charset=utf-8",
          ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def address_of(target: str) -> str | None:
    """The address a request target names (``html/fi/x.html``), or None if it is not a plain one.

    Refused: ``..`` and ``.`` segments, empty segments, backslashes, encoded
    slashes or dots, control characters, anything but letters, digits, ``.``,
    ``_`` and ``-`` in a segment.
    """
    path = urlsplit(target).path
    if not path.startswith("/") or "\\" in path or "%" in path:
        return None  # no address of the preview needs percent-encoding: %2f, %2e%2e … are refused
    if path == "/":
        return ""
    parts = path[1:].split("/")
    if not all(_SAFE_SEGMENT.match(p) for p in parts) or any(p in (".", "..") for p in parts):
        return None
    return posixpath.join(*parts)


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # an open event stream must not keep the process alive
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], session: Session, console):
        self.session = session
        self.console = console
        self.stopping = threading.Event()
        super().__init__(address, PreviewHandler)

    def stop(self) -> None:
        """End the event streams and close the socket (called after serve_forever returns)."""
        self.stopping.set()
        with self.session.changed:
            self.session.changed.notify_all()
        self.server_close()


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = f"sopimus/{__version__}"
    sys_version = ""
    timeout = 30  # a client that sends nothing is dropped

    # --- request checks ----------------------------------------------------------------

    def handle_one_request(self) -> None:
        # http.server reads up to 64 KiB per line; a preview needs far less.
        try:
            self.raw_requestline = self.rfile.readline(MAX_REQUEST_LINE + 1)
        except (TimeoutError, OSError):
            self.close_connection = True
            return
        if len(self.raw_requestline) > MAX_REQUEST_LINE:
            self.requestline, self.request_version, self.command = "", "HTTP/1.0", ""
            self.send_error(HTTPStatus.REQUEST_URI_TOO_LONG)
            self.close_connection = True
            return
        if not self.raw_requestline:
            self.close_connection = True
            return
        if not self.parse_request():
            return
        if sum(len(k) + len(v) for k, v in self.headers.items()) > MAX_HEADER_BYTES:
            self.send_error(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE)
            self.close_connection = True
            return
        method = getattr(self, f"do_{self.command}", None)
        if method is None:
            self.send_response(HTTPStatus.METHOD_NOT_ALLOWED)
            self.send_header("Allow", "GET, HEAD")
            self.send_header("Content-Length", "0")
            self.end_headers()
            self.close_connection = True
            return
        method()
        self.wfile.flush()

    def _refuse_request(self) -> bool:
        """Answer requests the preview takes no part in; True if answered."""
        if self.headers.get("Content-Length", "0").strip() not in ("", "0") or "Transfer-Encoding" in self.headers:
            self.send_error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)  # a GET carries no body
            self.close_connection = True
            return True
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0].strip("[]")
        if is_loopback(self.server.server_address[0]) and not is_loopback(host):
            # Another site's page must not reach the preview through a DNS name it controls.
            self.send_error(HTTPStatus.MISDIRECTED_REQUEST)
            return True
        return False

    # --- methods ------------------------------------------------------------------------------

    def do_GET(self) -> None:
        self._answer(body=True)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def _answer(self, body: bool) -> None:
        if self._refuse_request():
            return
        if urlsplit(self.path).path == chrome.EVENTS:
            return self._events() if body else self._send(HTTPStatus.OK, b"", "text/event-stream", False)
        address = address_of(self.path)
        if address is None:
            return self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain; charset=utf-8", body)
        session = self.server.session
        lang = (session.languages or ["fi"])[0]
        if address == "":
            page = chrome.index_page(lang, _organisation(session, lang), session.documents(),
                                     [(b, _ext(b)) for b in FILE_BUILDERS])
            if not session.ok:
                page = chrome.inject(page, chrome.overlay(session.findings, lang, True))
            return self._send(HTTPStatus.OK, self._live(page, None, session), _TYPES[".html"], body)
        found = session.lookup(address)
        if found is None:
            return self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain; charset=utf-8", body)
        is_page = address.startswith(f"{PAGE_BUILDER}/") and address.endswith(".html")
        kind = _TYPES.get(posixpath.splitext(address)[1], "application/octet-stream")
        if found.data is not None:
            data = self._live(found.data, found.doc_id, session) if is_page else found.data
            return self._send(HTTPStatus.OK, data, kind, body)
        parts = address.split("/")
        page_lang = parts[1] if len(parts) > 2 and parts[1] in session.languages else lang
        cover = chrome.overlay(found.findings, page_lang, is_page and found.previous is not None)
        if is_page and found.previous is not None:
            page = chrome.inject(found.previous, cover)
        else:  # an error page of its own: a PDF or DOCX, or a page never rendered well
            page = chrome.bare_page(page_lang, address, cover)
        status = HTTPStatus.OK if is_page else HTTPStatus.CONFLICT
        self._send(status, self._live(page, found.doc_id, session), _TYPES[".html"], body)

    def _live(self, page: bytes, doc_id: str | None, session: Session) -> bytes:
        return chrome.inject(page, chrome.live_script(session.generation, doc_id))

    def _send(self, status: HTTPStatus, data: bytes, kind: str, body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _events(self) -> None:
        """Server-Sent Events: one message per refresh, naming the documents it changed."""
        session, stopping = self.server.session, self.server.stopping
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.close_connection = True
        seen = None
        try:
            while not stopping.is_set():
                with session.changed:
                    session.changed.wait_for(lambda: session.generation != seen or stopping.is_set(),
                                             timeout=KEEPALIVE_SECONDS)
                    generation, affected = session.generation, session.last_affected
                if stopping.is_set():
                    break
                if generation == seen:
                    self.wfile.write(b": keep-alive\n\n")
                else:
                    message = {"generation": generation,
                               "documents": sorted(affected) if affected is not None and seen else None}
                    self.wfile.write(f"retry: 1000\ndata: {json.dumps(message)}\n\n".encode())
                    seen = generation
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, TimeoutError, OSError):
            pass  # the page went away

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - http.server's name
        self.server.console.debug(f"{self.address_string()} {format % args}")


def _ext(builder: str) -> str:
    from .. import builders
    return builders.get(builder).ext


def _organisation(session: Session, lang: str) -> str:
    from ..config import pick
    if session.project is None:
        return ""
    org = session.project.config.organisation
    return pick(org.name, lang, session.project.config.source_language) or ""
