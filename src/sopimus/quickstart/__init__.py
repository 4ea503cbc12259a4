"""``sopimus new DIR``: a small, complete agreement to start from."""
from __future__ import annotations

import shutil
from pathlib import Path

TEMPLATE = Path(__file__).parent / "template"


class QuickstartError(Exception):
    pass


def write_quickstart(directory: Path) -> list[Path]:
    """Copy the template agreement into ``directory`` (which must be new or empty)."""
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise QuickstartError(f"{directory} exists and is not empty; choose a new folder")
    written: list[Path] = []
    for source in sorted(TEMPLATE.rglob("*")):
        if source.is_file() and "__pycache__" not in source.parts:
            target = directory / source.relative_to(TEMPLATE)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            written.append(target)
    (directory / "locales").mkdir(exist_ok=True)  # `sopimus update-po` writes translations here
    return written
