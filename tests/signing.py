"""A signing service for tests: a CA and signer certificates made with
``cryptography``, PAdES signatures made field by field with pyHanko.

Each signer signs its own empty field of the PDF sopimus built, as DVV's
service or Adobe would: one incremental update per signature, the first
revision left as it was. RSA keys, as on DVV's cards: pyHanko marks a file
signed with an ISO 32002 curve as PDF 2.0, which PDF/A-2 does not allow.
"""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

NOW = dt.datetime(2026, 1, 12, 10, 0, tzinfo=dt.timezone.utc)


@dataclass
class Identity:
    name: str
    key: rsa.RSAPrivateKey
    cert: x509.Certificate

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "FI"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Testivarmenne Oy"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def make_ca(common_name: str = "Testivarmenne CA") -> Identity:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (x509.CertificateBuilder().subject_name(_name(common_name)).issuer_name(_name(common_name))
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(NOW - dt.timedelta(days=365)).not_valid_after(NOW + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    return Identity(common_name, key, cert)


def make_signer(ca: Identity, common_name: str) -> Identity:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (x509.CertificateBuilder().subject_name(_name(common_name)).issuer_name(ca.cert.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(NOW - dt.timedelta(days=30)).not_valid_after(NOW + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False)
            .sign(ca.key, hashes.SHA256()))
    return Identity(common_name, key, cert)


def _pyhanko_signer(who: Identity, ca: Identity):
    from pyhanko.sign import signers
    from asn1crypto import keys as asn1_keys, x509 as asn1_x509

    key_der = who.key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
    return signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(who.cert.public_bytes(serialization.Encoding.DER)),
        signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
        cert_registry=__import__("pyhanko_certvalidator.registry", fromlist=["SimpleCertificateStore"])
        .SimpleCertificateStore.from_certs([asn1_x509.Certificate.load(ca.cert.public_bytes(serialization.Encoding.DER))]))


def sign_field(data: bytes, field: str, who: Identity, ca: Identity) -> bytes:
    """``data`` with the empty signature field ``field`` signed by ``who`` (one incremental update)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.stamp import TextStampStyle

    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    style = TextStampStyle(stamp_text="%(signer)s\n%(ts)s", border_width=0)
    meta = signers.PdfSignatureMetadata(field_name=field, subfilter=fields.SigSeedSubFilter.PADES,
                                        md_algorithm="sha256")
    pdf_signer = signers.PdfSigner(meta, signer=_pyhanko_signer(who, ca), stamp_style=style)
    out = io.BytesIO()
    pdf_signer.sign_pdf(writer, existing_fields_only=True, output=out)
    return out.getvalue()


def signature_fields(data: bytes) -> list[str]:
    """The names of the signature fields of a PDF, in the order of its form."""
    import pikepdf
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return [str(f.T) for f in pdf.Root.AcroForm.Fields if f.get("/FT") == "/Sig"]


def sign_all(data: bytes, signers_by_field: dict[str, Identity], ca: Identity) -> bytes:
    for field, who in signers_by_field.items():
        data = sign_field(data, field, who, ca)
    return data


def add_text_to_first_page(data: bytes) -> bytes:
    """``data`` with a line of text drawn on its first page in a new incremental update (tampering)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    added = writer.add_object(generic.StreamObject(stream_data=b"BT /F1 12 Tf 100 100 Td (Lisatty) Tj ET"))
    contents = page["/Contents"]
    parts = list(contents) if isinstance(contents, generic.ArrayObject) else [contents]
    page["/Contents"] = generic.ArrayObject([*parts, added])
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
