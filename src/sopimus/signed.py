"""What outputs say about signing: "Allekirjoitettu sähköisesti 12.1.2026", or that
a final document is unsigned (the publication package, follow-up reports).

A ``status: final`` document's PDF is its verified signed copy
(``content/<id>/allekirjoitettu/<lang>.pdf``); publish ships it byte for byte,
and without one publishes only with ``--allow-unsigned``, marked so.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from .i18n import N_
from .i18n.formats import format_date

SIGNED_ON = N_("Electronically signed {date}")
NOT_SIGNED = N_("Not signed")
UNVERIFIED = N_("Signature could not be verified")


@dataclass(frozen=True)
class Signing:
    """The signing state of one published document in one language."""

    verification: object | None  # signing.verify.Verification of the shipped copy, None: unsigned
    failed: bool = False         # a signed copy exists but did not verify

    @classmethod
    def of(cls, verification) -> "Signing":
        """The state a verification gives: signed when it passed (None: no signed copy)."""
        if verification is None:
            return cls(None)
        return cls(verification) if verification.ok else cls(None, failed=True)

    @property
    def signed(self) -> bool:
        return self.verification is not None

    def note(self, _, lang: str) -> str:
        """"Allekirjoitettu sähköisesti 12.1.2026" / "Elektroniskt undertecknad 12.1.2026" / "Allekirjoittamaton"."""
        if not self.signed:
            return _(UNVERIFIED) if self.failed else _(NOT_SIGNED)
        day = local_day(self.verification)
        return _(SIGNED_ON, date=format_date(day, lang)) if day else _(SIGNED_ON, date="").strip()

    def as_json(self) -> dict:
        """``{"signed", "signed_on"}`` (the day of the last signature, Finnish time)."""
        day = local_day(self.verification) if self.signed else None
        return {"signed": self.signed, "signed_on": day.isoformat() if day else None}

    def manifest(self) -> dict:
        """The keys a PDF file's entry in manifest.json gains."""
        if not self.signed:
            return {"signed": False}
        v = self.verification
        return {"signed": True, "signatures": len(v.signers),
                "signers": [s.as_json() for s in v.signers],
                "unsigned_sha256": v.unsigned_sha256}


def local_day(verification) -> _dt.date | None:
    """The day of the last signature, in Finnish time."""
    times = [s.signed_at for s in verification.signers if s.signed_at]
    if not times:
        return None
    last = max(times)
    try:
        from zoneinfo import ZoneInfo
        return last.astimezone(ZoneInfo("Europe/Helsinki")).date()
    except Exception:  # noqa: BLE001 - no time zone data: the UTC day
        return last.astimezone(_dt.timezone.utc).date()
