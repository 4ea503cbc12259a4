"""Property-based: arbitrary text into every place that becomes reST, arbitrary bytes into
every kind of file that is read.  Only findings or outputs come out, never another exception.

The suite runs a small fixed slice (the "suite" profile of conftest.py); ``make fuzz`` runs
the same tests with many more examples (``--hypothesis-profile=fuzz``).
"""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import DOC, new_project
from sopimus import ast as A
from sopimus.diagnostics import Diagnostics
from sopimus.reader import read
from sopimus.rst.policy import link_allowed

pytestmark = pytest.mark.fuzz
SLOW = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                     HealthCheck.too_slow])

# reST-ish text: the characters markup is made of, directives, roles, links and the odd control character
def tokens(*alphabet: str, max_size: int = 80) -> st.SearchStrategy[str]:
    """Text made of characters and whole tokens (a directive, a link) of ``alphabet``."""
    return st.lists(st.sampled_from(alphabet), max_size=max_size).map("".join)


MARKUP = tokens(*"ab .:-=*`_|\\<>[]()#\n\t0123456789äö/%@", ".. include:: ", ".. raw:: html", ".. goal:: ",
                ":goal:`", "`x <javascript:y>`__", "<https://a.fi>", "_`t`", "|s|", "\x1b", "\x00", "٢",
                "\u2028", "../../../../etc/passwd", "\n\n   ")
ANY_TEXT = st.one_of(MARKUP, st.text(max_size=200))


def _inline_is_safe(inlines: list[A.Node]) -> None:
    for node in inlines:
        for sub in node.walk():
            if isinstance(sub, A.Link):
                assert link_allowed(sub.url), sub.url


@given(text=ANY_TEXT)
def test_inline_text_gives_inlines_or_problems(text: str) -> None:
    """A translation or a reason: any text is inline nodes, or problems (and then not used)."""
    from sopimus.i18n.content import parse_inline
    inlines, problems = parse_inline(text, A.Source("x.po", 5))
    if not problems:
        _inline_is_safe(inlines)


@pytest.fixture(scope="module")
def small_project(tmp_path_factory):
    content = new_project(tmp_path_factory.mktemp("fuzz"))
    project, diags = read(content)
    assert project is not None and not diags.errors
    return project


@SLOW
@given(text=ANY_TEXT)
def test_any_msgstr_translates_or_is_reported(small_project, text: str) -> None:
    from sopimus.i18n.content import Translator, units
    doc = small_project.documents[0]
    catalog = {u.msgid: (text, False, 7) for u in units(doc)}
    translator = Translator("sv", catalog, Path("locales/sv/LC_MESSAGES/x.po"))
    body = translator.translate_blocks(doc.body)
    for block in body:
        for node in block.walk():
            if isinstance(node, A.Link):
                assert link_allowed(node.url)


def _project_with(tmp_path_factory, rel: str, data: bytes) -> Path:
    content = new_project(tmp_path_factory.mktemp("h"))
    path = content.parent / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return content


def _no_internal(diags: Diagnostics) -> None:
    assert not [d for d in diags.items if d.code == "internal"], [d.format() for d in diags.items]


@SLOW
@given(reason=ANY_TEXT)
def test_any_outcome_reason_is_read_or_reported(tmp_path_factory, reason: str) -> None:
    import json
    data = ("goals:\n  kasittely-nopeaa:\n    rating: 2\n    reason: " + json.dumps(reason) + "\n").encode()
    content = _project_with(tmp_path_factory, f"content/{DOC}/toteumat/2026-H1.yaml", data)
    project, diags = read(content)
    _no_internal(diags)


BYTES = st.one_of(st.binary(max_size=300), MARKUP.map(lambda t: t.encode("utf-8", "surrogatepass")))


@SLOW
@pytest.mark.parametrize("rel", ["content/sopimus.yaml", f"content/{DOC}/document.yaml",
                                 f"content/{DOC}/toteumat/2026-H1.yaml", f"content/{DOC}/sopimus.rst"])
@given(data=BYTES)
def test_any_bytes_in_a_source_file(tmp_path_factory, rel: str, data: bytes) -> None:
    content = _project_with(tmp_path_factory, rel, data)
    project, diags = read(content)
    assert project is not None or diags.errors
    _no_internal(diags)


@SLOW
@given(data=BYTES)
def test_any_bytes_as_a_catalog(tmp_path_factory, data: bytes) -> None:
    from sopimus.i18n.pofile import read_catalog
    path = tmp_path_factory.mktemp("po") / "x.po"
    path.write_bytes(data)
    diags = Diagnostics()
    entries = read_catalog(path, "x.po", diags)
    assert entries is not None or diags.errors


PO_HEADER = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'


@SLOW
@given(body=tokens(*'msgidtr "\\\n#,|~{}', "fuzzy", "msgid ", "msgstr ", '"\n', "{number}", "{nummer}"))
def test_any_po_shaped_text_as_a_catalog(tmp_path_factory, body: str) -> None:
    from sopimus.i18n import _read_catalog
    path = tmp_path_factory.mktemp("po") / "sopimus.po"
    path.write_text(PO_HEADER + body, "utf-8")
    translations, found = _read_catalog(path, 0)
    assert isinstance(translations, dict)


@SLOW
@given(data=st.one_of(st.binary(max_size=300),
                      tokens(*"pdfhtmlfont: -[]{}/.\n\"'0123456789", "fonts:", "../", "/etc/passwd",
                             "templates:", "\n  ", "icc_profile: ", "html:", "pdf:").map(str.encode)))
def test_any_bytes_as_a_theme(tmp_path_factory, data: bytes) -> None:
    from sopimus.inputs import theme_files
    from sopimus.theme import ThemeError, _load_cached
    folder = tmp_path_factory.mktemp("theme")
    (folder / "theme.yaml").write_bytes(data)
    try:
        theme_files(_load_cached(folder, "t", (0, len(data))))
    except ThemeError:
        pass
