"""Watching the sources for changes: watchfiles where it is installed, polling otherwise.

The callback gets the set of changed paths, batched: an editor's save that
writes, renames and deletes several files at once arrives as one change.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Callable, Iterable

POLL_INTERVAL = 0.1  # seconds between two scans when polling
_IGNORED_SUFFIXES = ("~", ".swp", ".swx", ".tmp", ".part")


def _relevant(path: Path) -> bool:
    name = path.name
    return not (name.startswith((".#", "#")) or name.endswith(_IGNORED_SUFFIXES) or "__pycache__" in path.parts)


def _outermost(paths: Iterable[Path]) -> list[Path]:
    """The existing folders and files of ``paths``, without those inside another one."""
    found = sorted({p.resolve() for p in paths if p.exists()})
    return [p for p in found if not any(o != p and o in p.parents for o in found)]


class Watcher:
    """Calls ``on_change(paths)`` from its own thread after files under ``roots`` change."""

    def __init__(self, roots: Iterable[Path], on_change: Callable[[set[Path]], None], poll: bool = False):
        self.roots = _outermost(roots)
        self.on_change = on_change
        self._stop = threading.Event()
        self.kind = "polling" if poll or not _have_watchfiles() else "watchfiles"
        self._thread = threading.Thread(target=self._run, name="sopimus-watch", daemon=True)

    def start(self) -> "Watcher":
        if self.kind == "polling":
            self._snapshot = _scan(self.roots)  # taken now: changes after start() are seen
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _run(self) -> None:
        if self.kind == "watchfiles":
            self._run_watchfiles()
        else:
            self._run_polling()

    def _run_watchfiles(self) -> None:
        import watchfiles

        # Short debounce: a save arrives as one batch, and a preview reacts at once.
        for changes in watchfiles.watch(*self.roots, stop_event=self._stop, debounce=40, step=10,
                                        rust_timeout=500, yield_on_timeout=False, raise_interrupt=False):
            paths = {Path(p) for _, p in changes if _relevant(Path(p))}
            if paths:
                self.on_change(paths)

    def _run_polling(self) -> None:
        before = self._snapshot
        while not self._stop.wait(POLL_INTERVAL):
            now = _scan(self.roots)
            changed = {Path(p) for p in before.keys() ^ now.keys()}
            changed |= {Path(p) for p in before.keys() & now.keys() if before[p] != now[p]}
            before = now
            changed = {p for p in changed if _relevant(p)}
            if changed:
                self.on_change(changed)


def _have_watchfiles() -> bool:
    try:
        import watchfiles  # noqa: F401
    except ImportError:
        return False
    return True


def _scan(roots: list[Path]) -> dict[str, tuple[int, int]]:
    """``{path: (mtime_ns, size)}`` of every file under ``roots`` (symlinks not followed)."""
    out: dict[str, tuple[int, int]] = {}
    for root in roots:
        if root.is_file():
            st = root.stat()
            out[str(root)] = (st.st_mtime_ns, st.st_size)
            continue
        for folder, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if not d.startswith(".") and d != "__pycache__"]
            for name in files:
                path = os.path.join(folder, name)
                try:
                    st = os.stat(path, follow_symlinks=False)
                except OSError:
                    continue
                out[path] = (st.st_mtime_ns, st.st_size)
    return out
