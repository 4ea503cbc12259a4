"""``sopimus serve``: a live preview while drafting.

Serves the HTML of every document and language, and the PDF and DOCX on
request, all rendered in memory; watches the sources, catalogs, themes and
the project file, reads again only what changed, and tells open pages to
reload. See :mod:`.session` (state), :mod:`.watch` (changes),
:mod:`.server` (HTTP) and :mod:`.chrome` (what served pages get added).
"""
from __future__ import annotations

import signal
from pathlib import Path

from ..config import PROJECT_FILE
from ..console import Console

DEFAULT_PORT = 8000


def serve(sourcedir: Path, languages: list[str] | None, host: str, port: int, console: Console,
          poll: bool = False) -> int:
    """Serve the preview until interrupted (Ctrl-C or SIGTERM); the exit code."""
    from .server import PreviewServer, is_loopback
    from .session import Session
    from .watch import Watcher

    session = Session(sourcedir, languages)
    for d in session.findings:
        console.diagnostic(d)
    if not (Path(sourcedir) / PROJECT_FILE).is_file():
        return 1  # not a project (a broken one is served: its findings are on the pages until fixed)
    unknown = [lang for lang in languages or [] if session.project and lang not in session.project.languages]
    if unknown:
        console.fatal(f"language {unknown[0]!r} is not one of the project's: {', '.join(session.project.languages)}")
        return 2
    try:
        server = PreviewServer((host, port), session, console)
    except OSError as exc:
        console.fatal(f"cannot listen on {host}:{port}: {exc.strerror or exc}")
        return 1

    def changed(paths: set[Path]) -> None:
        try:
            session.refresh(paths)
        except Exception as exc:  # noqa: BLE001 - the preview outlives a bug in one refresh
            console.fatal(f"could not read the sources again ({type(exc).__name__}: {exc})")
            return
        for d in session.findings:
            console.diagnostic(d)
        which = "every document" if session.last_affected is None else ", ".join(sorted(session.last_affected))
        console.info(f"{len(paths)} file(s) changed: read again in {session.last_seconds:.2f} s; "
                     f"reloading {which or 'no document'}")

    watcher = Watcher(session.watched(), changed, poll=poll)
    previous = signal.signal(signal.SIGTERM, _interrupt)
    bound, bound_port = server.server_address[:2]
    shown = f"[{bound}]" if ":" in bound else bound
    if not is_loopback(bound):
        console.warning(f"serving on {bound}: anyone who can reach this address can read the drafts")
    console.info(f"serving {sourcedir} at http://{shown}:{bound_port}/ "
                 f"(watching with {watcher.kind}; Ctrl-C stops)")
    watcher.start()
    try:
        server.serve_forever(poll_interval=0.25)
    except KeyboardInterrupt:
        pass
    finally:
        watcher.stop()
        server.stop()
        signal.signal(signal.SIGTERM, previous)
    console.info("stopped")
    return 0


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt
