"""Start-up checks: outside development the CA and the configuration signer must exist,
and the signer must not be issued by the CA that certifies participants."""

from __future__ import annotations

from typing import Any

from cryptography import x509
from django.conf import settings
from django.core.checks import CheckMessage, Error, register

from tunduk.catalog.trust import ca_files, signer_files, signer_shares_ca
from tunduk.trust.keyfiles import CHECK_TAG, INIT_COMMAND, missing_key_message


@register(CHECK_TAG)
def trust_keys_exist(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """An error for each missing key or certificate file, naming it and the command."""
    if settings.TUNDUK_DEVELOPMENT_TRUST:
        return []
    errors: list[CheckMessage] = []
    for files in (ca_files(), signer_files()):
        alternative = f"point {files.setting} at the operator's existing keys"
        errors += [
            Error(missing_key_message(path, alternative), id="catalog.E001")
            for path in files.missing()
        ]
    if errors:
        return errors
    signer = signer_files()
    if signer_shares_ca(x509.load_pem_x509_certificate(signer.certificate.read_bytes())):
        return [
            Error(
                f"The configuration signer {signer.certificate} was issued by the CA that"
                " issues participants' certificates, so any participant certificate could"
                f" pass for it. Move {signer.certificate.parent} aside, run `{INIT_COMMAND}`"
                " and give gateways the new configuration anchor.",
                id="catalog.E002",
            )
        ]
    return []
