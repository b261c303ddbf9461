"""verify_offline: the receiver's checks from a list of approved CAs, for evidence."""

from __future__ import annotations

import pytest

from tunduk.gateway._errors import Code, GatewayError
from tunduk.gateway.signing import verify_offline
from tunduk.trust.profiles import CertificateProfile

from ._signing_helpers import (
    POPULATION,
    SOCIAL_FUND,
    Holder,
    TrustWorld,
    issue,
    moment,
    sample_digest,
)

MINUTE = 1 / 1440


@pytest.fixture(scope="module")
def trust() -> TrustWorld:
    """The approved CA and an unapproved one."""
    return TrustWorld()


@pytest.fixture(scope="module")
def population(trust: TrustWorld) -> Holder:
    """The population registry's signing key and certificate."""
    return issue(trust.ca, POPULATION)


def offline(trust: TrustWorld, holder: Holder, digest: bytes, **changes: object) -> None:
    """Sign ``digest`` with ``holder`` and verify it offline against the approved CAs now."""
    [signature] = holder.signer().sign_batch([sample_digest()])
    arguments: dict[str, object] = {
        "approved_cas": trust.approved(moment()),
        "member": POPULATION,
        "at": moment(),
    }
    arguments.update(changes)
    verify_offline(digest, signature, holder.certificate, **arguments)  # type: ignore[arg-type]


def test_a_valid_signature_verifies_offline(trust: TrustWorld, population: Holder) -> None:
    """Issue 9 §5: evidence verifies a signature with the configuration's CAs, no client."""
    offline(trust, population, sample_digest())


def test_offline_refuses_a_tampered_message(trust: TrustWorld, population: Holder) -> None:
    """Attacker: a changed byte of the exchanged message fails the offline check."""
    with pytest.raises(GatewayError, match="batch path"):
        offline(trust, population, sample_digest(path="/22001199000124"))


def test_offline_refuses_a_ca_not_in_the_list(trust: TrustWorld) -> None:
    """Only the CAs given count: a certificate of any other CA fails offline."""
    rogue = issue(trust.rogue_ca, POPULATION)
    with pytest.raises(GatewayError, match="no approved CA issued"):
        offline(trust, rogue, sample_digest())


def test_offline_refuses_a_revoked_certificate(trust: TrustWorld) -> None:
    """003 §3.1: a serial the CA revoked before the message's moment fails offline."""
    holder = issue(trust.ca, POPULATION)
    trust.revoke(holder.certificate, moment(-MINUTE))
    with pytest.raises(GatewayError, match="revoked") as caught:
        offline(trust, holder, sample_digest())
    assert caught.value.code == Code.INVALID_SIGNATURE_SERVER
    offline(trust, holder, sample_digest(), at=moment(-3 * MINUTE))


def test_offline_refuses_another_member_and_another_profile(trust: TrustWorld) -> None:
    """The signer must be the expected member and hold a signing certificate."""
    fund = issue(trust.ca, SOCIAL_FUND)
    with pytest.raises(GatewayError, match="belongs to KG/GOV/70000004"):
        offline(trust, fund, sample_digest())
    tls = issue(trust.ca, POPULATION, profile=CertificateProfile.AUTHENTICATION)
    with pytest.raises(GatewayError, match="nonRepudiation"):
        offline(trust, tls, sample_digest())
