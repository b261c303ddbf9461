"""The Catalog's keys: a configuration signer apart from the participants' CA, no key made
on the fly outside development, and key files owner-only from their first byte."""

from __future__ import annotations

import pytest
from cryptography import x509
from django.core.exceptions import ImproperlyConfigured

from tests.trust.opens import assert_born_private, recorded_opens
from tunduk.catalog import checks, trust
from tunduk.journaling import keys
from tunduk.trust.ca import certificate_to_pem, common_name, issued_by, key_to_pem
from tunduk.trust.keyfiles import write_private


@pytest.fixture
def key_dirs(settings, tmp_path):
    """Empty key directories for this test, and no key remembered from another test."""
    settings.TUNDUK_CA_STATE_DIR = tmp_path / "ca"
    settings.TUNDUK_GLOBALCONF_KEY_DIR = tmp_path / "globalconf"
    settings.TUNDUK_JOURNAL_KEY_FILE = tmp_path / "journal-signer.key"
    caches = (trust.central_ca, trust.configuration_signer, keys.signer)
    for cached in caches:
        cached.cache_clear()
    yield tmp_path
    for cached in caches:
        cached.cache_clear()


def test_configuration_signer_is_not_issued_by_the_participant_ca(key_dirs):
    """Issue 7 (3): the configuration signer's certificate does not come from the participants' CA."""
    ca = trust.central_ca()
    _, certificate = trust.configuration_signer()
    assert certificate.issuer != ca.certificate.subject
    assert not issued_by(certificate, ca.certificate)
    assert certificate.issuer == certificate.subject  # anchored by the anchor alone


def test_development_keys_are_owner_only_from_their_first_byte(key_dirs):
    """Issue 7 (3): the CA, configuration and journal keys made in development are born 0600."""
    with recorded_opens() as opened:
        trust.central_ca()
        trust.configuration_signer()
        keys.signer()
    assert_born_private(opened, key_dirs / "ca" / "ca-key.pem")
    assert_born_private(opened, key_dirs / "globalconf" / "signer-key.pem")
    assert_born_private(opened, key_dirs / "journal-signer.key")


@pytest.mark.parametrize(
    ("make_key", "missing"),
    [
        (trust.central_ca, "ca/ca-key.pem"),
        (trust.configuration_signer, "globalconf/signer-key.pem"),
        (keys.signer, "journal-signer.key"),
    ],
)
def test_outside_development_missing_keys_are_not_made_on_the_fly(
    key_dirs, settings, make_key, missing
):
    """Issue 7 (3): outside development a missing key is an error naming the file and the command."""
    settings.TUNDUK_DEVELOPMENT_TRUST = False
    with pytest.raises(ImproperlyConfigured) as raised:
        make_key()
    assert str(key_dirs / missing) in str(raised.value)
    assert "tunduk trust init" in str(raised.value)
    assert not list(key_dirs.iterdir())


def _signer_issued_by_the_ca(directory):
    """Write a signer the way the code before Issue 7 (3) did: issued by the participants' CA."""
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    certificate = trust.central_ca().issue(common_name("Old signer"), key.public_key())
    directory.mkdir()
    write_private(directory / "signer-key.pem", key_to_pem(key))
    (directory / "signer.pem").write_bytes(certificate_to_pem(certificate))
    return certificate


def test_production_refuses_a_signer_issued_by_the_participant_ca(key_dirs, settings):
    """Issue 7 (3): a deployment whose configuration signer the participants' CA issued does not start."""
    _signer_issued_by_the_ca(key_dirs / "globalconf")
    settings.TUNDUK_DEVELOPMENT_TRUST = False
    errors = checks.trust_keys_exist(None)
    assert [error.id for error in errors] == ["catalog.E002"]
    assert str(key_dirs / "globalconf" / "signer.pem") in errors[0].msg


def test_development_replaces_a_signer_issued_by_the_participant_ca(key_dirs):
    """Issue 7 (3): an old development signer issued by the CA is replaced by a self-signed one."""
    old = _signer_issued_by_the_ca(key_dirs / "globalconf")
    _, certificate = trust.configuration_signer()
    assert certificate != old
    assert not issued_by(certificate, trust.central_ca().certificate)
    stored = (key_dirs / "globalconf" / "signer.pem").read_bytes()
    assert x509.load_pem_x509_certificate(stored) == certificate
