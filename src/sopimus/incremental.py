"""Knowing when an output is still good, without reading the sources.

Each output group (a builder × language × document, or a whole run) records
the files it depended on — with size, mtime and a SHA-256 — and the files it
wrote.  A later build trusts a dependency whose size and mtime are unchanged
(as make does) and hashes only the ones that changed, so a no-op build costs
a few ``stat`` calls.  A missing, corrupt or foreign record means "rebuild":
the cache can cost time, never correctness.

This module imports nothing heavy: the no-op path of ``sopimus build`` runs
before docutils, ruamel.yaml or reportlab are loaded.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Iterable

# sopimus's own folder: its code and its package data (built-in theme, labels). Not
# through importlib.resources, whose import costs the no-op path more than it saves.
PACKAGE = Path(__file__).resolve().parent

FORMAT = 1


def _sha256(path: Path) -> str | None:
    try:
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        return h.hexdigest()
    except OSError:
        return None


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
        return st.st_mtime_ns, st.st_size
    except OSError:
        return None


# (path, mtime_ns, size) -> SHA-256, within one process: a build records every
# document's group against the same package and theme files, and hashes each once
_HASHED: dict[tuple[str, int, int], str | None] = {}


def fingerprint(paths: Iterable[Path]) -> dict[str, list]:
    """``{path: [mtime_ns, size, sha256]}`` for each existing file (missing ones as null).

    sopimus's own files are recorded without a hash: they change only when
    sopimus is installed or edited, and a changed size or time rebuilds (a
    hash would only spare a rebuild after a reinstall of the same bytes, and
    costs 6 MB of reading in every build)."""
    out: dict[str, list] = {}
    package = str(PACKAGE) + os.sep
    for path in sorted({str(p) for p in paths}):
        st = _stat(Path(path))
        if st is None:
            out[path] = None
            continue
        if path.startswith(package):
            out[path] = [st[0], st[1], None]
            continue
        key = (path, st[0], st[1])
        if key not in _HASHED:
            _HASHED[key] = _sha256(Path(path))
        out[path] = [st[0], st[1], _HASHED[key]]
    return out


def unchanged(recorded: dict[str, list | None]) -> bool:
    """Are all recorded files as they were (stat first, hash only on a stat change)?"""
    for path, rec in recorded.items():
        st = _stat(Path(path))
        if rec is None or st is None:
            if rec is not None or st is not None:
                return False
            continue
        if (st[0], st[1]) != (rec[0], rec[1]) and (st[1] != rec[1] or _sha256(Path(path)) != rec[2]):
            return False
    return True


def files_under(*roots: Path, suffixes: tuple[str, ...] | None = None) -> list[Path]:
    """Every file below ``roots`` (skipping caches), so a new file counts as a change."""
    out: list[Path] = []
    for root in roots:
        if root.is_file():
            out.append(root)
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if d not in ("__pycache__", ".cache"))
            for name in sorted(filenames):
                if suffixes is None or name.endswith(suffixes):
                    out.append(Path(dirpath) / name)
    return out


class OutputCache:
    """Records of output groups in ``<outdir>/.cache/outputs-<builder>.json``."""

    def __init__(self, outdir: Path, builder: str):
        self.outdir = outdir
        self.path = outdir / ".cache" / f"outputs-{builder}.json"
        self.records: dict[str, dict] = {}
        try:
            data = json.loads(self.path.read_text("utf-8"))
            if data.get("format") == FORMAT and isinstance(data.get("records"), dict):
                self.records = data["records"]
        except (OSError, ValueError, AttributeError):
            self.records = {}

    def fresh(self, key: str, settings: str) -> list[Path] | None:
        """The outputs of ``key`` if they and their dependencies are unchanged, else None."""
        rec = self.records.get(key)
        if not isinstance(rec, dict) or rec.get("settings") != settings:
            return None
        try:
            for root, listed in rec["roots"].items():
                if [str(p) for p in files_under(Path(root))] != listed:
                    return None  # a file was added or removed
            if not unchanged(rec["deps"]) or not unchanged(rec["outputs"]):
                return None
            return [Path(p) for p in rec["outputs"]]
        except (KeyError, TypeError, IndexError, AttributeError):
            return None

    def record(self, key: str, settings: str, roots: Iterable[Path], files: Iterable[Path],
               outputs: Iterable[Path], as_read: dict | None = None) -> None:
        """Remember ``outputs`` as made from every file under ``roots`` and ``files``.

        ``as_read`` gives the fingerprints of files as they were read: a file
        that differs now was saved again during the build, and is recorded so
        that the next build makes these outputs again.
        """
        listing = {str(r): [str(p) for p in files_under(r)] for r in sorted(set(roots))}
        deps = [Path(p) for paths in listing.values() for p in paths] + list(files)
        prints = fingerprint(deps)
        for path, then in (as_read or {}).items():
            if path in prints and prints[path] != then:
                prints[path] = [0, -1, None]  # never matches: rebuild next time
        self.records[key] = {"settings": settings, "roots": listing, "deps": prints,
                             "outputs": fingerprint(outputs)}

    def save(self) -> None:
        from .fsutil import atomic_write
        try:
            atomic_write(self.path, json.dumps({"format": FORMAT, "records": self.records},
                                               sort_keys=True).encode("utf-8"), outdir=self.outdir)
        except OSError:
            pass  # an unwritable cache only costs time
