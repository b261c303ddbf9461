"""The form of an RFC 3161 token in evidence: nothing unsigned in it may vary.

The TSA's signature covers the TSTInfo and the signed attributes, not the CMS frame
around them: the SignedData and SignerInfo versions, the algorithm identifiers, unsigned
attributes. A verifier that ignores those would let a byte of the file change unnoticed,
so evidence requires them to be exactly what RFC 5652 and RFC 3161 prescribe for the
token's own algorithms, and the file to be DER as its parser re-encodes it.
"""

from __future__ import annotations

from typing import Any

from asn1crypto import cms, tsp

from ._evidence_errors import Check, EvidenceError
from ._evidence_index import Layout

__all__ = ["check_token_form"]

_SIGNATURE_FAMILIES = {"ec": ("ecdsa",), "rsa": ("rsassa_pkcs1v15", "rsassa_pss")}


def _fail(detail: str) -> EvidenceError:
    return EvidenceError(Check.TIMESTAMP, f"{Layout.TIMESTAMP}: {detail}")


def _signed_data(token: bytes) -> Any:
    """The SignedData of a DER TimeStampResp (as the gateway stores it), re-encoded equal."""
    try:
        response = tsp.TimeStampResp.load(token, strict=True)
        if response.dump(force=True) != token:
            raise _fail("is not in DER form")
        if response["status"]["status"].native != "granted":
            raise _fail("the TSA did not grant it")
        content = response["time_stamp_token"]
        if content["content_type"].native != "signed_data":
            raise _fail("does not hold CMS SignedData")
        return content["content"]
    except (ValueError, TypeError, KeyError) as error:
        raise _fail(f"is not a DER TimeStampResp ({error})") from None


def check_token_form(token: bytes) -> None:
    """Raise :class:`EvidenceError` unless the token's unsigned frame is the canonical one."""
    signed = _signed_data(token)
    try:
        if signed["version"].native != "v3":
            raise _fail("SignedData version must be 3 (RFC 5652 §5.1, RFC 3161 §2.4.2)")
        if signed["encap_content_info"]["content_type"].native != "tst_info":
            raise _fail("does not encapsulate a TSTInfo")
        if signed["crls"].native is not None:
            raise _fail("carries revocation lists, which nothing checks")
        infos = list(signed["signer_infos"])
        if len(infos) != 1:
            raise _fail("must have exactly one SignerInfo")
        _check_signer_info(infos[0], signed)
    except (ValueError, TypeError, KeyError) as error:
        raise _fail(f"is malformed ({error})") from None


def _check_signer_info(info: cms.SignerInfo, signed: Any) -> None:
    if info["version"].native != "v1" or info["sid"].name != "issuer_and_serial_number":
        raise _fail("the SignerInfo must be version 1, naming issuer and serial")
    digest = info["digest_algorithm"]["algorithm"].native
    listed = [item["algorithm"].native for item in signed["digest_algorithms"]]
    if listed != [digest]:
        raise _fail("the SignedData digest algorithms are not the signer's one")
    algorithm = info["signature_algorithm"]
    family = _key_family(info, signed)
    if algorithm.signature_algo not in _SIGNATURE_FAMILIES.get(family, ()):
        raise _fail(f"the signature algorithm does not fit the TSA's {family} key")
    if algorithm.signature_algo != "rsassa_pss" and algorithm.hash_algo != digest:
        raise _fail("the signature algorithm's hash is not the signer's digest algorithm")
    if info["signed_attrs"].native is None:
        raise _fail("the SignerInfo has no signed attributes")
    if info["unsigned_attrs"].native is not None:
        raise _fail("the SignerInfo carries unsigned attributes, which nothing checks")


def _key_family(info: cms.SignerInfo, signed: Any) -> str:
    sid = info["sid"].chosen
    for choice in signed["certificates"]:
        certificate = choice.chosen
        if (
            certificate.issuer == sid["issuer"]
            and certificate.serial_number == sid["serial_number"].native
        ):
            return str(certificate.public_key.algorithm)
    raise _fail("the token does not carry the TSA's certificate")
