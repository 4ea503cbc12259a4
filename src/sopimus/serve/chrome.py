"""What a live preview adds to the pages it serves, and only to them.

A small script that reloads the page when its sources change (keeping the
scroll position), the overlay that lists the findings when the sources have
errors, and the index of the served documents. Built files never contain any
of this: it is added to the bytes on their way out of the server.
"""
from __future__ import annotations

from html import escape
from pathlib import Path

from ..diagnostics import Diagnostic
from ..i18n import labels

EVENTS = "/_sopimus/events"

_SCRIPT = """<script id="sopimus-live" data-generation="{generation}" data-document="{document}">
(function () {{
  var me = document.getElementById("sopimus-live"), shown = me.dataset.generation,
      doc = me.dataset.document, key = "sopimus-scroll:" + location.pathname;
  var y = sessionStorage.getItem(key);
  if (y !== null) {{
    sessionStorage.removeItem(key);
    if ("scrollRestoration" in history) history.scrollRestoration = "manual";
    window.addEventListener("load", function () {{ window.scrollTo(0, +y); }});
  }}
  var events = new EventSource("{events}");
  events.onmessage = function (e) {{
    var m = JSON.parse(e.data);
    if (m.generation === shown) return;
    var overlay = document.getElementById("sopimus-overlay");
    if (m.documents && doc && m.documents.indexOf(doc) < 0 && !overlay) {{ shown = m.generation; return; }}
    sessionStorage.setItem(key, String(window.scrollY));
    events.close();
    location.reload();
  }};
}})();
</script>
"""

_OVERLAY_STYLE = """<style>
#sopimus-overlay { position: fixed; inset: 0; z-index: 2147483647; overflow: auto; padding: 2rem;
  background: rgba(255, 255, 255, .97); color: #1a1a1a; font: 16px/1.5 system-ui, sans-serif; }
#sopimus-overlay[hidden] { display: none; }
#sopimus-overlay h2 { color: #a4000f; font-size: 1.4rem; margin: 0 0 1rem; }
#sopimus-overlay ol { padding-left: 1.5rem; }
#sopimus-overlay li { margin: 0 0 1rem; }
#sopimus-overlay code, #sopimus-overlay pre { font: 14px/1.4 ui-monospace, monospace; }
#sopimus-overlay pre { background: #f3f3f3; border-left: 4px solid #a4000f; padding: .4rem .6rem;
  margin: .3rem 0; white-space: pre-wrap; }
#sopimus-overlay .sopimus-error { color: #a4000f; font-weight: bold; }
#sopimus-overlay .sopimus-warning { color: #7a4d00; font-weight: bold; }
#sopimus-overlay button { font: inherit; padding: .4rem 1rem; }
</style>
"""


def live_script(generation: str, doc_id: str | None) -> str:
    return _SCRIPT.format(generation=escape(generation), document=escape(doc_id or ""), events=EVENTS)


def inject(page: bytes, addition: str) -> bytes:
    """``page`` with ``addition`` before its closing ``</body>`` (or at its end)."""
    at = page.rfind(b"</body>")
    data = addition.encode("utf-8")
    return page + data if at < 0 else page[:at] + data + page[at:]


def source_line(finding: Diagnostic) -> str | None:
    """The line of the source a finding points at, as the drafter wrote it."""
    try:
        with open(Path(finding.file), "rb") as fh:
            for number, raw in enumerate(fh, start=1):
                if number == finding.line:
                    return raw.decode("utf-8", "replace").rstrip("\r\n")
    except OSError:
        return None
    return None


def overlay(findings: list[Diagnostic], lang: str, has_previous: bool) -> str:
    """The list of findings over the page; the previous good rendering is under it."""
    _ = labels(lang).gettext
    errors = sum(d.is_error for d in findings)
    items = []
    for d in findings:
        line = source_line(d)
        severity = _("error") if d.is_error else _("warning")
        items.append(
            f'<li><code>{escape(d.file)}:{d.line}:{d.col}</code>: '
            f'<span class="sopimus-{escape(d.severity)}">{escape(severity)}</span> '
            f'<code>[{escape(d.code)}]</code> {escape(d.message)}'
            + (f"<pre>{d.line} | {escape(line)}</pre>" if line is not None else "")
            + (f"<div>{escape(d.hint)}</div>" if d.hint else "") + "</li>")
    # (labels outside the f-strings: babel does not look into them)
    if has_previous:
        show = escape(_("Show the previous rendering"))
        action = (f'<p><button type="button" onclick="document.getElementById(\'sopimus-overlay\').hidden = true">'
                  f'{show}</button></p>')
    else:
        none = escape(_("There is no earlier rendering of this page to show."))
        action = f"<p>{none}</p>"
    title = escape(_("Errors in the sources ({count})", count=errors))
    reloads = escape(_("The page reloads by itself when the sources are fixed."))
    return (f'{_OVERLAY_STYLE}<div id="sopimus-overlay" role="alertdialog" aria-modal="true" '
            f'aria-labelledby="sopimus-overlay-title" lang="{escape(lang)}">'
            f'<h2 id="sopimus-overlay-title">{title}</h2><p>{reloads}</p>'
            f'<ol>{"".join(items)}</ol>{action}</div>\n')


def bare_page(lang: str, title: str, body: str) -> bytes:
    """A page of the preview's own (the index, an error without an earlier rendering)."""
    return (f'<!DOCTYPE html>\n<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)}</title>\n</head>\n<body>\n{body}</body>\n</html>\n").encode("utf-8")


def index_page(lang: str, organisation: str, documents: list[tuple[str, str, str]],
               file_kinds: list[tuple[str, str]]) -> bytes:
    """Every served page, and the files on request: (document id, language, title) rows."""
    _ = labels(lang).gettext
    title = _("Preview")
    rows = []
    for doc_id, doc_lang, doc_title in documents:
        files = " · ".join(f'<a href="/{kind}/{escape(doc_lang)}/{escape(doc_id)}.{ext}">{escape(_(kind.upper()))}</a>'
                           for kind, ext in file_kinds)
        rows.append(f'<li lang="{escape(doc_lang)}"><a href="/html/{escape(doc_lang)}/{escape(doc_id)}.html">'
                    f'{escape(doc_title)}</a> ({escape(doc_lang)}) — {files}</li>')
    reloads = escape(_("The pages reload by themselves when the sources change."))
    body = (f"<main>\n<h1>{escape(title)}: {escape(organisation)}</h1>\n<p>{reloads}</p>\n"
            f"<ul>\n{''.join(rows)}\n</ul>\n</main>\n")
    return bare_page(lang, f"{title} – {organisation}", body)
