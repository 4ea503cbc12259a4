"""Writing outputs atomically, all or nothing, and only inside OUTDIR.

Every output is first written to a temporary file beside its target; only
when all of them are written are they renamed into place, so a failure part
way (a full disk, a folder that cannot be created) replaces nothing.  Every
target must lie inside OUTDIR once symlinks are resolved: a symlinked
``build/json`` cannot send outputs elsewhere.  Temporary files a killed build
left behind are removed by the next build that writes to the same folder.
"""
from __future__ import annotations

import errno
import os
import re
import tempfile
from pathlib import Path
from typing import Iterable

from .paths import inside

_TEMPORARY = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")


class OutputError(OSError):
    """An output cannot be written where it should go (outside OUTDIR, not writable)."""


def check_outdir(outdir: Path) -> None:
    """OUTDIR must be a folder (or not exist yet) that can be written."""
    if outdir.exists() and not outdir.is_dir():
        raise OutputError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(outdir))
    probe = outdir
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if not probe.is_dir():
        raise OutputError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(probe))
    if not os.access(probe, os.W_OK | os.X_OK):
        raise OutputError(errno.EACCES, os.strerror(errno.EACCES), str(probe))


def confine(path: Path, outdir: Path) -> None:
    """OutputError unless ``path`` lies inside ``outdir`` after resolving symlinks."""
    if not inside(path, outdir):
        raise OutputError(f"{str(path)!r} resolves outside the output folder {str(outdir)!r} "
                          "(a symlink?); nothing was written")


def _temporary(path: Path) -> tuple[int, str]:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    return fd, tmp


def sweep(folder: Path) -> None:
    """Remove the temporary files a killed build left in ``folder``."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if _TEMPORARY.match(name):
            try:
                os.unlink(folder / name)
            except OSError:
                pass


def write_all(items: Iterable[tuple[Path, bytes]], outdir: Path | None = None) -> None:
    """Write every ``(path, data)`` or none: temporary files first, then renames.

    With ``outdir``, every path must resolve inside it (OutputError before
    anything is written).
    """
    items = list(items)
    if outdir is not None:
        check_outdir(outdir)
        for path, _ in items:
            confine(path, outdir)
    for path, _ in items:
        if path.is_dir() and not path.is_symlink():  # the rename would fail half-way through
            raise OutputError(f"{str(path)!r} is a folder where an output file should go; nothing was written")
    for folder in sorted({path.parent for path, _ in items}):
        folder.mkdir(parents=True, exist_ok=True)
        sweep(folder)  # before this run's own temporary files exist
    written: list[tuple[str, Path]] = []
    try:
        for path, data in items:
            fd, tmp = _temporary(path)
            written.append((tmp, path))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.chmod(tmp, 0o644)
        if outdir is not None:  # a folder swapped for a symlink while we wrote
            for _, path in written:
                confine(path, outdir)
        for tmp, path in written:
            os.replace(tmp, path)
    except BaseException:
        for tmp, _ in written:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        raise


def prune(folder: Path, keep: Iterable[Path], outdir: Path) -> list[Path]:
    """Remove every file under ``folder`` that is not in ``keep`` (and folders left empty).

    Symlinks are removed, never followed; ``folder`` must lie inside ``outdir``.
    """
    if not folder.is_dir() or folder.is_symlink():
        return []
    confine(folder, outdir)
    kept = {os.path.abspath(p) for p in keep}
    removed: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder, topdown=False):
        for name in filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            path = os.path.join(dirpath, name)
            if os.path.abspath(path) not in kept:
                os.unlink(path)
                removed.append(Path(path))
        if dirpath != str(folder) and not os.listdir(dirpath):
            os.rmdir(dirpath)
    return removed


def atomic_write(path: Path, data: bytes, outdir: Path | None = None) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half."""
    write_all([(path, data)], outdir)
