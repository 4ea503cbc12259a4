"""Project and document metadata, read from YAML with findings at the right line."""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .ast import Period
from .diagnostics import Diagnostics
from .textfile import read_source
from .resources import find_theme, search_path
from .yamlio import Y, load_yaml

PROJECT_FILE = "sopimus.yaml"
DOCUMENT_FILE = "document.yaml"
DOCUMENT_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}\Z")  # \Z, not $: "fi\n" is not a code
LANGUAGE = re.compile(r"^[a-z]{2,3}\Z")
STATUSES = ("draft", "final")
SIGNING = ("electronic", "paper")   # how the agreement is signed
PARTY_KINDS = ("ministry", "agency", "other")

LocalText = dict[str, str]


def pick(text: LocalText | None, lang: str, fallback: str | None = None) -> str | None:
    """The text in ``lang``, else in ``fallback``, else None."""
    if not text:
        return None
    if lang in text:
        return text[lang]
    if fallback and fallback in text:
        return text[fallback]
    return next(iter(text.values()))


@dataclass
class Organisation:
    name: LocalText
    business_id: str | None = None
    administrative_branch: LocalText | None = None


SIGNED_FOLDER = "allekirjoitettu"


@dataclass
class SigningConfig:
    """``signing:`` in sopimus.yaml: where signed copies live and which roots they are trusted against."""

    folder: str = SIGNED_FOLDER            # content/<document-id>/<folder>/<lang>.pdf
    trust: list[Path] = field(default_factory=list)  # PEM/DER certificates of trusted roots


@dataclass
class ProjectConfig:
    root: Path
    path: Path
    organisation: Organisation
    languages: list[str]
    theme: str
    base_url: str | None
    documents: list[tuple[str, int]]
    extra: dict[str, Y] = field(default_factory=dict)
    signing: "SigningConfig" = field(default_factory=lambda: SigningConfig())
    redline_author: str | None = None  # redline: {author: …}, the author of a redline's tracked changes

    @property
    def source_language(self) -> str:
        return self.languages[0]


@dataclass
class PartyMeta:
    id: str
    kind: str
    name: LocalText
    abbreviation: str | None
    line: int


@dataclass
class SignatoryMeta:
    party: str
    role: LocalText
    name: str | None
    line: int


@dataclass
class HistoryMeta:
    date: _dt.date | None
    version: str
    register_number: str | None
    agreed: LocalText | None
    line: int


@dataclass
class DocumentMeta:
    id: str
    folder: Path
    path: Path
    doc_type: str
    title: LocalText
    subtitle: LocalText | None
    parties: list[PartyMeta]
    period: Period
    binding_year: int | None
    register_number: str | None
    status: str
    signing: str
    date: _dt.date | None
    place: LocalText | None
    signatories: list[SignatoryMeta]
    annex_numbering_start: int
    sources: list[tuple[str, int]]
    version: str | None = None
    history: list[HistoryMeta] = field(default_factory=list)


class Fields:
    """Typed access to a YAML mapping, reporting every problem once."""

    def __init__(self, y: Y, path: Path | str, diags: Diagnostics, what: str,
                 known: tuple[str, ...], languages: list[str] | None = None):
        self.y, self.path, self.diags, self.what = y, path, diags, what
        self.languages = languages or []
        for key, line in y.key_lines.items():
            if key not in known:
                diags.warning("meta-unknown", path, line, f"unknown key {key!r} in {what}",
                              "known keys: " + ", ".join(known))

    def _missing(self, key: str) -> None:
        self.diags.error("meta-missing", self.path, self.y.line,
                         f"{self.what} has no {key!r}", f"add '{key}:' to {self.what}")

    def _type(self, key: str, v: Y, expected: str) -> None:
        self.diags.error("meta-type", self.path, v.line,
                         f"{key!r} must be {expected}, not {_describe(v)}", col=v.col)

    def value(self, key: str, required: bool) -> Y | None:
        v = self.y.get(key)
        if v is None or v.is_empty:
            if required:
                self._missing(key) if v is None else self.diags.error(
                    "meta-missing", self.path, v.line, f"{key!r} is empty in {self.what}")
            return None
        return v

    def string(self, key: str, required: bool = False) -> str | None:
        v = self.value(key, required)
        if v is None:
            return None
        if v.kind in ("map", "seq", "bool"):
            self._type(key, v, "text")
            return None
        return str(v.value if v.kind not in ("float", "date") else v.text).strip()

    def integer(self, key: str, required: bool = False, lo: int = 0, hi: int = 10**9) -> int | None:
        v = self.value(key, required)
        if v is None:
            return None
        if v.kind != "int":
            self._type(key, v, "a whole number")
            return None
        if not lo <= v.value <= hi:
            self.diags.error("meta-value", self.path, v.line, f"{key!r} must be between {lo} and {hi}, not {v.value}")
            return None
        return v.value

    def choice(self, key: str, choices: tuple[str, ...], default: str | None = None,
               required: bool = False) -> str | None:
        text = self.string(key, required)
        if text is None:
            return default
        if text not in choices:
            self.diags.error("meta-value", self.path, self.y.get(key).line,
                             f"{key!r} must be one of {', '.join(choices)}, not {text!r}")
            return default
        return text

    def date(self, key: str) -> _dt.date | None:
        v = self.value(key, False)
        if v is None:
            return None
        if v.kind == "date":
            return v.value
        try:
            return _dt.date.fromisoformat(str(v.value))
        except ValueError:
            self._type(key, v, "a date written as YYYY-MM-DD")
            return None

    def local_text(self, key: str, required: bool = False) -> LocalText | None:
        v = self.value(key, required)
        if v is None:
            return None
        if v.kind == "str":
            return {lang: str(v.value) for lang in self.languages or ["*"]}
        if v.kind != "map":
            self._type(key, v, "text or a mapping of languages to text")
            return None
        out: LocalText = {}
        for lang, t in v.value.items():
            if not LANGUAGE.match(lang):
                self.diags.error("meta-value", self.path, v.key_lines[lang],
                                 f"{lang!r} in {key!r} is not a language code", "use fi, sv, en …")
            elif t.kind in ("map", "seq", "bool"):
                self._type(f"{key}.{lang}", t, "text")
            elif not t.is_empty:
                out[lang] = str(t.value if t.kind != "float" else t.text).strip()
        for lang in self.languages:
            if lang not in out and out:
                self.diags.warning("meta-language", self.path, v.line,
                                   f"{key!r} has no {lang!r} text", f"add '{lang}: …' under '{key}'")
        if required and not out:
            self._missing(key)
        return out or None

    def mapping(self, key: str, required: bool = False) -> Y | None:
        v = self.value(key, required)
        if v is not None and v.kind != "map":
            self._type(key, v, "a mapping")
            return None
        return v

    def sequence(self, key: str, required: bool = False) -> list[Y]:
        v = self.value(key, required)
        if v is None:
            return []
        if v.kind != "seq":
            self._type(key, v, "a list")
            return []
        return v.value


def _describe(v: Y) -> str:
    return {"map": "a mapping", "seq": "a list", "null": "empty", "bool": "true/false",
            "int": f"the number {v.value}", "float": f"the number {v.text}",
            "date": f"the date {v.text}"}.get(v.kind, f"{v.value!r}")


def confined_file(path: Path, root: Path, shown: str, diags: Diagnostics, where: str | None = None,
                  line: int = 1) -> bool:
    """Whether ``path`` lies inside ``root`` once symlinks are resolved (else a finding)."""
    from .paths import inside
    if inside(path, root):
        return True
    diags.error("path-outside", where or shown, line, f"{shown} leads outside {_show(root)} (a symlink?)",
                "sources are files inside the project; a symlink out of it is not read")
    return False


def _load_mapping(path: Path, shown: str, diags: Diagnostics, root: Path | None = None) -> Y | None:
    if root is not None and not confined_file(path, root, shown, diags):
        return None
    text = read_source(path, diags, shown)
    if text is None:
        return None
    y = load_yaml(text, shown, diags)
    if y is not None and y.kind != "map":
        diags.error("meta-type", shown, y.line, "the file must hold a mapping (key: value lines)")
        return None
    return y


def read_project(root: Path, diags: Diagnostics) -> ProjectConfig | None:
    """Read ``root/sopimus.yaml``."""
    path = root / PROJECT_FILE
    shown = _show(path)
    y = _load_mapping(path, shown, diags, root)
    if y is None:
        return None
    f = Fields(y, shown, diags, PROJECT_FILE,
               ("organisation", "languages", "theme", "base_url", "documents", "report", "signing",
                "redline"))
    languages: list[str] = []
    for item in f.sequence("languages", required=True):
        if item.kind != "str" or not LANGUAGE.match(item.value):
            diags.error("meta-value", shown, item.line, f"{item.value!r} is not a language code",
                        "use two-letter codes: fi, sv")
        elif item.value in languages:
            diags.error("meta-value", shown, item.line, f"language {item.value!r} is listed twice")
        else:
            languages.append(item.value)
    languages = languages or ["fi"]
    org_y = f.mapping("organisation", required=True)
    org = Organisation({})
    if org_y is not None:
        of = Fields(org_y, shown, diags, "organisation",
                    ("name", "business_id", "administrative_branch"), languages)
        org = Organisation(of.local_text("name", required=True) or {},
                           of.string("business_id"), of.local_text("administrative_branch"))
    docs: list[tuple[str, int]] = []
    for item in f.sequence("documents", required=True):
        if item.kind != "str" or not DOCUMENT_ID.match(item.value):
            diags.error("meta-value", shown, item.line, f"{item.value!r} is not a document id",
                        "a document id is a folder name of lower-case letters, digits and hyphens")
        elif any(d == item.value for d, _ in docs):
            diags.error("duplicate-id", shown, item.line, f"document {item.value!r} is listed twice")
        else:
            docs.append((item.value, item.line))
    extra = {k: v for k, v in y.value.items() if k == "report"}
    theme = f.string("theme") or "default"
    if find_theme(root, theme) is None:
        diags.error("theme-unknown", shown, y.get("theme").line if y.get("theme") else y.line,
                    f"theme {theme!r} not found",
                    "a theme is a folder under " + " or ".join(show_path(d) for d in search_path(root)))
    author = None
    redline = f.mapping("redline")
    if redline is not None:
        author = Fields(redline, shown, diags, "redline", ("author",)).string("author")
    return ProjectConfig(root, path, org, languages, theme,
                         f.string("base_url"), docs, extra, _read_signing(f, root, shown, diags), author)


def _read_signing(f: Fields, root: Path, shown: str, diags: Diagnostics) -> SigningConfig:
    """``signing: {folder: allekirjoitettu, trust: [roots/ca.pem]}`` (paths relative to sopimus.yaml)."""
    y = f.mapping("signing")
    if y is None:
        return SigningConfig()
    sf = Fields(y, shown, diags, "signing", ("folder", "trust"))
    folder = sf.string("folder") or SIGNED_FOLDER
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{0,79}", folder) or folder == "toteumat":
        diags.error("meta-value", shown, y.get("folder").line,
                    f"signing folder {folder!r} must be one plain folder name (letters, digits, - and _)")
        folder = SIGNED_FOLDER
    trust: list[Path] = []
    for item in sf.sequence("trust"):
        if item.kind != "str" or not str(item.value).strip():
            diags.error("meta-type", shown, item.line, "a trust root must be a file name (PEM or DER)")
            continue
        candidate = (root / str(item.value).strip())
        if not confined_file(candidate, root, str(item.value).strip(), diags, shown, item.line):
            continue
        if not candidate.is_file():
            diags.error("file-missing", shown, item.line, f"trust root {item.value!r} does not exist",
                        "name a PEM or DER certificate file, relative to sopimus.yaml")
            continue
        trust.append(candidate)
    return SigningConfig(folder, trust)


def read_document_meta(project: ProjectConfig, doc_id: str, line: int,
                       diags: Diagnostics) -> DocumentMeta | None:
    """Read ``root/<doc_id>/document.yaml``."""
    folder = project.root / doc_id
    path = folder / DOCUMENT_FILE
    shown = _show(path)
    if not folder.is_dir():
        diags.error("file-missing", _show(project.path), line, f"document folder {doc_id!r} not found",
                    f"create {_show(folder)}/{DOCUMENT_FILE}")
        return None
    if not confined_file(folder, project.root, _show(folder), diags, _show(project.path), line):
        return None
    y = _load_mapping(path, shown, diags, folder)
    if y is None:
        return None
    langs = project.languages
    f = Fields(y, shown, diags, DOCUMENT_FILE,
               ("type", "title", "subtitle", "parties", "period", "binding_year", "register_number",
                "status", "signing", "date", "place", "signatories", "annex_numbering_start", "sources",
                "version", "history"), langs)
    title = f.local_text("title", required=True) or {}
    parties: list[PartyMeta] = []
    for item in f.sequence("parties", required=True):
        if item.kind != "map":
            diags.error("meta-type", shown, item.line, "a party must be a mapping with id, kind and name")
            continue
        pf = Fields(item, shown, diags, "party", ("id", "kind", "name", "abbreviation"), langs)
        pid = pf.string("id", required=True)
        party = PartyMeta(pid or "", pf.choice("kind", PARTY_KINDS, "other") or "other",
                          pf.local_text("name", required=True) or {}, pf.string("abbreviation"), item.line)
        if pid and any(p.id == pid for p in parties):
            diags.error("duplicate-id", shown, item.line, f"party id {pid!r} is used twice")
        parties.append(party)
    if len(y.get("parties").value if y.get("parties") and y.get("parties").kind == "seq" else [0, 0]) < 2:
        diags.error("meta-value", shown, y.key_lines.get("parties", y.line),
                    "an agreement needs at least two parties")
    period = Period(0, 0)
    py = f.mapping("period", required=True)
    if py is not None:
        pf = Fields(py, shown, diags, "period", ("start", "end"))
        start = pf.integer("start", True, 1900, 2200)
        end = pf.integer("end", True, 1900, 2200)
        if start and end:
            if end < start:
                diags.error("meta-value", shown, py.line, f"the period ends ({end}) before it starts ({start})")
            else:
                period = Period(start, end)
    binding = f.integer("binding_year", False, 1900, 2200)
    if binding and period.start and binding not in period.years:
        diags.error("target-year", shown, y.get("binding_year").line,
                    f"binding year {binding} is outside the period {period.start}–{period.end}")
    signatories: list[SignatoryMeta] = []
    party_ids = {p.id for p in parties}
    for item in f.sequence("signatories", required=True):
        if item.kind != "map":
            diags.error("meta-type", shown, item.line, "a signatory must be a mapping with party and role")
            continue
        sf = Fields(item, shown, diags, "signatory", ("party", "role", "name"), langs)
        party_id = sf.string("party", required=True)
        if party_id and party_ids and party_id not in party_ids:
            diags.error("signatory-party", shown, item.get("party").line,
                        f"signatory's party {party_id!r} is not one of the parties",
                        "parties: " + ", ".join(sorted(party_ids)))
        signatories.append(SignatoryMeta(party_id or "", sf.local_text("role", required=True) or {},
                                         sf.string("name"), item.line))
    sources: list[tuple[str, int]] = []
    for item in f.sequence("sources", required=True):
        name = str(item.value) if item.kind == "str" else ""
        if not name or name.startswith("/") or ".." in Path(name).parts or not name.endswith(".rst"):
            diags.error("meta-value", shown, item.line, f"{item.value!r} is not a .rst file in the document folder")
        else:
            sources.append((name, item.line))
    annex_start = f.integer("annex_numbering_start", False, 0, 1000)
    version = f.string("version")
    history: list[HistoryMeta] = []
    for item in f.sequence("history"):
        if item.kind != "map":
            diags.error("meta-type", shown, item.line,
                        "a history entry must be a mapping with date, version, register_number and agreed")
            continue
        hf = Fields(item, shown, diags, "history entry", ("date", "version", "register_number", "agreed"), langs)
        history.append(HistoryMeta(hf.date("date"), hf.string("version", required=True) or "",
                                   hf.string("register_number"), hf.local_text("agreed"), item.line))
    return DocumentMeta(
        id=doc_id, folder=folder, path=path, doc_type=f.string("type", required=True) or "tulossopimus",
        title=title, subtitle=f.local_text("subtitle"), parties=parties, period=period,
        binding_year=binding, register_number=f.string("register_number"),
        status=f.choice("status", STATUSES, "draft", required=True) or "draft",
        signing=f.choice("signing", SIGNING, "electronic") or "electronic", date=f.date("date"),
        place=f.local_text("place"), signatories=signatories,
        annex_numbering_start=1 if annex_start is None else annex_start, sources=sources,
        version=version, history=history)


def _show(path: Path) -> str:
    """A path as the user knows it: relative to the working directory if inside it."""
    if not path.is_absolute() and ".." not in path.parts:
        return str(path)   # already as the user wrote it, relative to here
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        try:
            return str(path.resolve().relative_to(Path.cwd().resolve()))
        except ValueError:
            return str(path)


show_path: Callable[[Path], str] = _show
