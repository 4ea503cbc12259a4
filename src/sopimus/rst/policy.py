"""The one policy for every text that becomes reST.

Sources, translations (``msgstr``), outcome reasons and YAML fields that
allow inline markup are all parsed by :func:`sopimus.rst.parse.parse_rst`
under a :class:`Policy`:

- ``raw`` is refused everywhere; only the domain's directives and roles exist;
- a source may ``include`` files inside its own document folder only
  (resolved, symlinks included); inline texts (catalogs, outcome files,
  YAML) may not include at all, nor use any directive;
- the text, with everything it includes, is capped in size;
- an include cycle is an error;
- links go to ``https``, ``http`` or ``mailto`` addresses, or to an anchor
  in the document (``#...``): anything else is an error where it is written.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

MAX_SOURCE_CHARS = 8_000_000  # one source with its includes: ~100 times a real agreement
MAX_INLINE_CHARS = 100_000    # one paragraph's translation or one reason
LINK_SCHEMES = ("https", "http", "mailto")


@dataclass(frozen=True)
class Policy:
    include_root: str | None  # None: no include at all
    block_directives: bool
    max_chars: int

    @property
    def what(self) -> str:
        return "a source" if self.block_directives else "a translation, reason or YAML field"


def source_policy(folder: str) -> Policy:
    """A ``.rst`` source of the document in ``folder``."""
    return Policy(folder, True, MAX_SOURCE_CHARS)


INLINE = Policy(None, False, MAX_INLINE_CHARS)


def link_allowed(url: str) -> bool:
    """Whether a link to ``url`` may appear in a published document."""
    if url.startswith("#"):
        return True
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return False
    return scheme in LINK_SCHEMES and not any(ord(c) < 32 or ord(c) == 127 for c in url)


LINK_HINT = "links go to https:, http: or mailto: addresses (or #anchors in the document)"
