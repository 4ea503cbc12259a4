"""Verify one signed PDF with pyHanko: the only module that imports it (``sopimus[sign]``).

What a signed copy must be, each a finding with its code when it is not:

- a readable PDF with at least one signature (``signed-unreadable``);
- every signature cryptographically intact and covering the whole revision it
  signed (``signed-broken``); after each signature only what may follow it:
  further signatures and form filling after the earlier ones, and after the
  last only what PAdES allows (DSS/VRI, document timestamps) — ``signed-modified``;
- its first revision byte for byte the PDF sopimus builds from the sources,
  rendered with the build date that revision records (``signed-mismatch``,
  saying which page differs first and, with pdftotext, what it says);
- every signature field of that build signed exactly once, and nothing signed
  elsewhere (``signed-missing-signature``, ``signed-extra-field``);
- the signer's certificate subject beside its signatory; a name that does not
  match is a warning (``signed-signer-name``);
- trust: against the roots given (sopimus.yaml ``signing.trust`` or
  ``--trust``) a chain that does not validate is an error (``signed-untrusted``);
  with none given the result is "integrity only", never "valid".
"""
from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import io
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from ..diagnostics import Diagnostic

INTEGRITY_ONLY = "integrity only"
TRUSTED = "trusted"
UNTRUSTED = "untrusted"
INSTALL_HINT = "install the signing extra: pip install 'sopimus[sign]' (pyHanko)"


@dataclass
class Expected:
    """The PDF the sources build, and who is to sign which of its fields."""

    data: bytes
    fields: dict[str, tuple[str, str | None]]  # field name -> (the signatory as shown, their name or None)
    date_origin: str                            # where the build date came from


@dataclass
class Signer:
    field: str
    subject: str                   # the certificate's subject, as people read it
    common_name: str
    signed_at: _dt.datetime | None  # the time the signer's software reported (or a timestamp's)
    signatory: str | None          # the signatory the field stands for
    trusted: bool | None           # None: no trust roots were given

    def as_json(self) -> dict:
        return {"field": self.field, "subject": self.subject, "signatory": self.signatory,
                "signed_at": self.signed_at.astimezone(_dt.timezone.utc).isoformat() if self.signed_at else None}


@dataclass
class Verification:
    path: str
    findings: list[Diagnostic] = field(default_factory=list)
    signers: list[Signer] = field(default_factory=list)
    built_at: _dt.datetime | None = None  # the build date the first revision records
    unsigned_sha256: str | None = None    # the hash of the build it was verified against
    trust: str = INTEGRITY_ONLY
    chain: list[str] = field(default_factory=list)
    data: bytes | None = field(default=None, repr=False)  # the signed file, as verified

    @property
    def ok(self) -> bool:
        return not any(d.is_error for d in self.findings)

    @property
    def signed_on(self) -> _dt.date | None:
        """The day of the last signature: the day the agreement was signed."""
        times = [s.signed_at for s in self.signers if s.signed_at]
        return max(times).date() if times else None

    def error(self, code: str, message: str, hint: str | None = None) -> None:
        self.findings.append(Diagnostic(self.path, 1, 1, "error", code, message, hint))

    def warning(self, code: str, message: str, hint: str | None = None) -> None:
        self.findings.append(Diagnostic(self.path, 1, 1, "warning", code, message, hint))


def validator_available() -> bool:
    try:
        import pyhanko.sign.validation  # noqa: F401
    except ImportError:
        return False
    return True


def verify(data: bytes, shown: str, expected: Callable[[_dt.datetime | None], Expected] | None,
           trust_roots: list[Path] | None = None) -> Verification:
    """Verify the signed PDF ``data`` (named ``shown`` in findings) against ``expected(build date)``."""
    v = Verification(shown)
    try:
        from pyhanko.pdf_utils.reader import PdfFileReader
    except ImportError:
        v.error("signed-no-validator", "cannot verify signed copies: pyHanko is not installed", INSTALL_HINT)
        return v
    if not data.lstrip()[:5] == b"%PDF-":
        v.error("signed-unreadable", "this is not a PDF file",
                "put the signed PDF the signing service returned here, unchanged")
        return v
    roots = _load_roots(trust_roots or [], v)
    with _quiet():
        try:
            reader = PdfFileReader(io.BytesIO(data), strict=False)
            signatures = list(reader.embedded_signatures)
        except Exception as exc:  # noqa: BLE001 - any damage is a finding, never a traceback
            v.error("signed-unreadable", f"the file cannot be read as a PDF ({_short(exc)})",
                    "is it truncated or damaged? put the file the signing service returned here, unchanged")
            return v
        v.built_at = _recorded_date(reader)
        reference = None
        if expected is not None:
            try:
                reference = expected(v.built_at)
            except Exception as exc:  # noqa: BLE001 - the sources do not build: the check reports why
                v.error("signed-mismatch", f"the PDF to compare with cannot be built from the sources ({_short(exc)})")
        if not signatures:
            v.error("signed-missing-signature", "the file has no signatures",
                    "have every signatory sign the PDF built from these sources, then put the signed file here")
        else:
            _check_signatures(reader, signatures, roots, v, reference)
        if reference is not None:
            _check_first_revision(data, reader, signatures, reference, v)
    return v


# --- the signatures ------------------------------------------------------------------

def _check_signatures(reader, signatures, roots, v: Verification, reference: Expected | None) -> None:
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
    last = max(s.signed_revision for s in signatures)
    fields = reference.fields if reference is not None else {}
    seen: dict[str, int] = {}
    trusted_all = True
    for sig in signatures:
        name = sig.field_name or "?"
        seen[name] = seen.get(name, 0) + 1
        try:
            status = validate_pdf_signature(sig, context)
        except Exception as exc:  # noqa: BLE001
            v.error("signed-broken", f"the signature in field {name!r} cannot be validated ({_short(exc)})")
            trusted_all = False
            continue
        if not status.intact:
            v.error("signed-broken", f"the signature in field {name!r} does not match the bytes it signs: "
                                     "the file was changed after it was signed",
                    "get the signed file again from the signing service")
        elif not status.valid:
            v.error("signed-broken", f"the signature in field {name!r} does not verify with its signer's "
                                     "certificate (its key usage or algorithms do not allow signing)")
        elif status.coverage < SignatureCoverageLevel.ENTIRE_REVISION:
            v.error("signed-broken", f"the signature in field {name!r} does not cover the whole revision it signs")
        allowed = ModificationLevel.LTA_UPDATES if sig.signed_revision == last else ModificationLevel.FORM_FILLING
        level = status.modification_level
        if status.coverage != SignatureCoverageLevel.ENTIRE_FILE and (
                level is None or level > allowed or not status.docmdp_ok):
            what = ("only document timestamps and validation data (DSS) may follow the last signature"
                    if allowed == ModificationLevel.LTA_UPDATES
                    else "only further signatures may follow a signature")
            v.error("signed-modified", f"the file was changed after the signature in field {name!r}: {what}")
        cert = status.signing_cert
        subject = cert.subject.human_friendly if cert is not None else "?"
        common_name = (cert.subject.native.get("common_name") or "") if cert is not None else ""
        if isinstance(common_name, list):
            common_name = ", ".join(common_name)
        when = None
        if status.timestamp_validity is not None:
            when = status.timestamp_validity.timestamp
        when = when or status.signer_reported_dt
        label, expected_name = fields.get(name, (None, None))
        trusted = bool(status.trusted) if roots else None
        trusted_all = trusted_all and bool(trusted)
        v.signers.append(Signer(name, subject, common_name, when, label, trusted))
        if roots and not status.trusted:
            v.error("signed-untrusted", f"the certificate of {subject} (field {name!r}) does not lead to a "
                                        "trusted root", "check signing.trust in sopimus.yaml or --trust")
        if expected_name and _normal(expected_name) not in _normal(common_name or subject):
            v.warning("signed-signer-name", f"field {name!r} is for {expected_name} ({label}) but was signed "
                                            f"by {common_name or subject}")
        if not v.chain:
            v.chain = _chain(sig)
    for name, count in seen.items():
        if count > 1:
            v.error("signed-extra-field", f"field {name!r} is signed {count} times; each field is signed once")
    if reference is not None:
        for name, (label, _n) in reference.fields.items():
            if name not in seen:
                v.error("signed-missing-signature", f"field {name!r} ({label}) is not signed",
                        "every signatory signs their own field; have the missing one sign this file")
        for name in seen:
            if name not in reference.fields:
                v.error("signed-extra-field", f"a signature in field {name!r}, which the PDF built from "
                                              "the sources does not have")
    v.trust = INTEGRITY_ONLY if not roots else (TRUSTED if trusted_all and v.signers else UNTRUSTED)


def _chain(sig) -> list[str]:
    """The certificates the signature carries, signer first, as subjects."""
    try:
        certs = [c.chosen for c in sig.signed_data["certificates"]]
        signer = sig.signer_cert
    except Exception:  # noqa: BLE001
        return []
    ordered = [signer] + [c for c in certs if c.dump() != signer.dump()]
    return [c.subject.human_friendly for c in ordered]


# --- the first revision ------------------------------------------------------------------

def _check_first_revision(data: bytes, reader, signatures, reference: Expected, v: Verification) -> None:
    from .compare import describe_difference

    v.unsigned_sha256 = hashlib.sha256(reference.data).hexdigest()
    first = min((s.signed_revision for s in signatures), default=None)
    same_start = data.startswith(reference.data)
    if same_start and first == 1:
        # Revision 0 is the build; the signing revisions may only sign: their pages must be the build's.
        from .compare import first_differing_page
        try:
            page, _a, _b = first_differing_page(data, reference.data)
        except Exception:  # noqa: BLE001
            page = None
        if page is None:
            return
        v.error("signed-modified", f"a revision after the build changed the document: page {page} now "
                                   "differs from the PDF built from the sources")
        return
    if same_start:
        v.error("signed-modified", "the file was changed between the PDF built from the sources and its "
                                   "first signature")
        return
    v.error("signed-mismatch",
            f"the signed copy is not the PDF built from the current sources ({reference.date_origin}): "
            + describe_difference(data, reference.data),
            "the sources changed after signing, or another file was signed: build the final PDF "
            "(make pdf), have it signed, and put the signed file here")


def _recorded_date(reader) -> _dt.datetime | None:
    """The creation date in the first revision's document information (the build clock)."""
    try:
        info = reader.get_historical_resolver(0).trailer_view["/Info"].get_object()
        text = str(info["/CreationDate"])
    except Exception:  # noqa: BLE001
        return None
    m = re.match(r"D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z", text)
    if not m:
        return None
    try:
        return _dt.datetime(*map(int, m.groups()), tzinfo=_dt.timezone.utc)
    except ValueError:
        return None


# --- helpers ----------------------------------------------------------------------------

def _load_roots(paths: list[Path], v: Verification) -> list:
    from asn1crypto import pem, x509

    roots = []
    for path in paths:
        try:
            raw = path.read_bytes()
            blobs = [der for _t, _h, der in pem.unarmor(raw, multiple=True)] if pem.detect(raw) else [raw]
            roots.extend(x509.Certificate.load(der) for der in blobs)
            for cert in roots[-len(blobs):]:
                cert.native  # noqa: B018 - parse now: a bad file is a finding here
        except Exception as exc:  # noqa: BLE001
            v.error("signed-trust-root", f"trust root {path} is not a PEM or DER certificate ({_short(exc)})")
    return roots


def _normal(text: str) -> str:
    return " ".join(text.casefold().split())


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text if len(text) <= 160 else text[:159] + "…"


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """pyHanko logs its findings with tracebacks; ours are the findings, so keep its log out of the output."""
    loggers = [logging.getLogger(name) for name in ("pyhanko", "pyhanko_certvalidator")]
    quiet = logging.NullHandler()
    saved = [(lg, lg.propagate) for lg in loggers]
    for lg in loggers:
        lg.addHandler(quiet)
        lg.propagate = False
    try:
        yield
    finally:
        for lg, propagate in saved:
            lg.removeHandler(quiet)
            lg.propagate = propagate
