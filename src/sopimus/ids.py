"""Stable, readable ids derived from titles."""
from __future__ import annotations

import re
import unicodedata

ID_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?\Z")  # \Z: no trailing newline
_MAX = 60


def slugify(text: str) -> str:
    """``Tekoälyn käyttö lisääntyy`` → ``tekoalyn-kaytto-lisaantyy``."""
    folded = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(slug) > _MAX:
        slug = slug[:_MAX].rsplit("-", 1)[0]
    return slug or "x"
