"""The old version of a project: a git revision or another source folder.

``--against REV`` reads the source folder as it was at the git revision
``REV`` (a commit, tag or ``HEAD~1``): ``git archive`` (run as a
subprocess, never through a shell) writes the folder and the project's
``locales/`` into a temporary tree, which the same safe reader reads with
the same checks. ``--against DIR`` reads another source folder.

Findings about the old version name it: ``HEAD~1:content/x/04.rst:12:1: …``.
"""
from __future__ import annotations

import io
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic

if TYPE_CHECKING:
    from ..project import Project

_GIT_TIMEOUT = 120


class VersionError(Exception):
    """The old version cannot be found or read (not a folder, not a git revision …)."""


@dataclass
class OldVersion:
    """The project as it was; :meth:`close` removes its temporary tree."""

    label: str
    project: Project | None
    diagnostics: list[Diagnostic]
    _tmp: tempfile.TemporaryDirectory[str] | None = field(default=None, repr=False)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    def close(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> "OldVersion":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_version(against: str, sourcedir: Path | str) -> OldVersion:
    """Read the old version named by ``against`` (a folder, else a git revision of ``sourcedir``'s repository)."""
    from ..reader import read

    sourcedir = Path(sourcedir)
    if not against or against.startswith("-"):
        raise VersionError(f"--against {against!r} names neither a folder nor a git revision")
    folder = Path(against)
    if folder.is_dir():
        project, diags = read(folder)
        return OldVersion(against, project, diags.sorted())
    tmp = tempfile.TemporaryDirectory(prefix="sopimus-against-")
    try:
        root = _checkout(against, sourcedir, Path(tmp.name))
        project, diags = read(root)
        found = [_name_revision(d, Path(tmp.name), against) for d in diags.sorted()]
        return OldVersion(against, project, found, tmp)
    except BaseException:
        tmp.cleanup()
        raise


def _git(args: list[str], cwd: Path) -> bytes:
    git = shutil.which("git")
    if git is None:
        raise VersionError("--against a revision needs git, which is not installed")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env["GIT_TERMINAL_PROMPT"] = "0"
    try:
        done = subprocess.run([git, *args], cwd=cwd, env=env, capture_output=True, timeout=_GIT_TIMEOUT,
                              check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise VersionError(f"git {args[0]} failed: {exc}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise VersionError(f"git {args[0]}: {message[-1] if message else 'failed'}")
    return done.stdout


def _checkout(rev: str, sourcedir: Path, dest: Path) -> Path:
    """Write ``sourcedir`` (and the ``locales/`` beside it) as at ``rev`` under ``dest``; the old source folder."""
    here = sourcedir.resolve()
    if not here.is_dir():
        raise VersionError(f"source folder {str(sourcedir)!r} not found")
    try:
        top = Path(_git(["rev-parse", "--show-toplevel"], here).decode().strip()).resolve()
    except VersionError:
        raise VersionError(f"{rev!r} is not a folder, and {str(sourcedir)!r} is not in a git repository") from None
    try:
        commit = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], top)
    except VersionError:
        raise VersionError(f"{rev!r} is neither a folder nor a revision of the git repository at {top}") from None
    commit_id = commit.decode().strip()
    rel = here.relative_to(top).as_posix()
    if rel == ".":
        paths = ["."]
    else:
        wanted = [rel, _sibling(rel, "locales")]
        present = _git(["ls-tree", "--name-only", commit_id, "--", *wanted], top).decode().split("\n")
        if rel not in present:
            raise VersionError(f"{rel}/ did not exist at {rev}")
        paths = [p for p in wanted if p in present]
    data = _git(["archive", "--format=tar", commit_id, "--", *paths], top)
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(dest, filter="data")  # no links out, no absolute paths, no devices
    return dest / rel


def _sibling(rel: str, name: str) -> str:
    parent = Path(rel).parent.as_posix()
    return name if parent == "." else f"{parent}/{name}"


def _name_revision(d: Diagnostic, tmp: Path, rev: str) -> Diagnostic:
    """A finding in the temporary tree, named as the file at the revision: ``REV:path``."""
    for prefix in (str(tmp.resolve()), str(tmp)):
        if d.file.startswith(prefix + os.sep):
            return replace(d, file=f"{rev}:{d.file[len(prefix) + 1:]}")
    return replace(d, file=f"{rev}:{d.file}")

