"""An attacker's evidence is refused: each forgery fails at the check that covers it."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from tunduk.gateway._asice import MANIFEST, write_asice
from tunduk.gateway._evidence_index import INDEX, encode_index, media_type_of
from tunduk.gateway.evidence import Check, EvidenceError, verify_evidence
from tunduk.gateway.leaf import bind_note_key
from tunduk.globalconf import ConfigurationAnchor, RevokedSerial
from tunduk.journal import add_signatures, generate_cosigner
from tunduk.trust.ca import CertificateAuthority
from tunduk.trust.tsa import TimeStampAuthority

from ._evidence_helpers import (
    PROVIDER,
    Case,
    World,
    make_case,
    make_world,
    signing_certificate,
)


@pytest.fixture(scope="module")
def world() -> World:
    return make_world()


@pytest.fixture
def case(world: World) -> Case:
    return make_case(world)


def refused(container: bytes, anchor: ConfigurationAnchor) -> EvidenceError:
    with pytest.raises(EvidenceError) as raised:
        verify_evidence(container, anchor)
    return raised.value


def with_direction(case: Case, kind: str, **changes: object) -> bytes:
    direction = dataclasses.replace(getattr(case.gathered, kind), **changes)
    return case.with_(**{kind: direction}).container()


def test_another_messages_proof_is_refused(case: Case):
    """003 §3.2: the request's leaf with the response's inclusion proof does not verify."""
    container = with_direction(case, "request", proof=case.gathered.response.proof)

    error = refused(container, case.world.anchor)
    assert error.check is Check.INCLUSION
    assert "the request leaf is not in the checkpoint" in error.detail


def test_leaf_from_another_journal_is_refused(case: Case, world: World):
    """004: the same message id journaled elsewhere cannot be passed off as this one's."""
    other = make_case(world, message_id=case.gathered.message_id)
    container = case.with_(request=other.gathered.request).container()

    error = refused(container, case.world.anchor)
    assert error.check is Check.LEAVES
    assert "differ in their request_id" in error.detail


def test_whole_direction_from_another_journal_leads_to_another_checkpoint(case: Case, world: World):
    """A consistent pair from two journals is refused: both proofs must reach one checkpoint."""
    other = make_case(world, message_id=case.gathered.message_id)
    response = other.gathered.response
    forged_leaf = case.gathered.response
    container = case.with_(
        response=dataclasses.replace(forged_leaf, proof=response.proof)
    ).container()

    error = refused(container, case.world.anchor)
    assert error.check is Check.INCLUSION
    assert "different checkpoints" in error.detail


def test_checkpoint_without_the_peers_cosignature_is_refused(case: Case):
    """Issue 9 §4: a checkpoint only the exporting gateway signed is not enough."""
    note = case.log.sign_checkpoint(case.world.client.journal_signer, store=False)
    container = case.with_(
        request=dataclasses.replace(
            case.gathered.request, proof=case.log.tlog_proof(case.indexes["request"], note)
        ),
        response=dataclasses.replace(
            case.gathered.response, proof=case.log.tlog_proof(case.indexes["response"], note)
        ),
    ).container()

    error = refused(container, case.world.anchor)
    assert error.check is Check.COSIGNATURES
    assert "carries no cosignature" in error.detail


def test_forged_cosignature_under_the_exporters_own_binding_is_refused(case: Case):
    """Issue 9 §4: the exporter cannot cosign for the peer with a key it binds itself."""
    forger = generate_cosigner(case.world.provider.origin)
    note = case.log.sign_checkpoint(case.world.client.journal_signer, store=False)
    note = add_signatures(note, forger)
    # The exporter binds the forged key with its own signing key: it has no other.
    forged_binding = bind_note_key(
        case.world.client.key, forger.verifier().to_key(), case.world.provider.origin
    )
    gathered = case.with_(
        request=dataclasses.replace(
            case.gathered.request, proof=case.log.tlog_proof(case.indexes["request"], note)
        ),
        response=dataclasses.replace(
            case.gathered.response, proof=case.log.tlog_proof(case.indexes["response"], note)
        ),
        cosigner_bindings=[forged_binding],
    )

    error = refused(gathered.container(), case.world.anchor)
    assert error.check is Check.COSIGNATURES
    assert "binding" in error.detail and "does not verify" in error.detail


def test_cosignature_by_a_key_nobody_bound_is_refused(case: Case):
    """No signature rides on the checkpoint unchecked: an unbound extra cosigner is named."""
    stranger = generate_cosigner("stranger.example")
    note = add_signatures(case.note, stranger)
    container = case.with_(
        request=dataclasses.replace(
            case.gathered.request, proof=case.log.tlog_proof(case.indexes["request"], note)
        ),
        response=dataclasses.replace(
            case.gathered.response, proof=case.log.tlog_proof(case.indexes["response"], note)
        ),
    ).container()

    error = refused(container, case.world.anchor)
    assert error.check is Check.COSIGNATURES
    assert "stranger.example" in error.detail


def test_signer_certificate_from_an_unapproved_ca_is_refused(world: World):
    """003 §3.1: a response signed under a CA the configuration does not approve is refused."""
    rogue_ca = CertificateAuthority.create("Rogue CA")
    key = ec.generate_private_key(ec.SECP256R1())
    forged = make_case(
        world, provider_key=key, provider_certificate=signing_certificate(rogue_ca, PROVIDER, key)
    )
    container = forged.with_(
        ca_certificates=[world.ca.certificate, rogue_ca.certificate]
    ).container()

    error = refused(container, world.anchor)
    assert error.check is Check.CERTIFICATES
    assert "not issued by a CA that configuration version 1 approves" in error.detail


def test_certificate_revoked_before_the_message_is_refused(case: Case, world: World):
    """003 §3.1: a signer certificate its CA revoked before the message does not count."""
    serial = f"{world.provider.certificate.serial_number:x}"
    moment = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1)
    revoked = [RevokedSerial(serial, moment)]
    container = case.with_(configuration=world.configuration(revoked=revoked)).container()

    error = refused(container, world.anchor)
    assert error.check is Check.CERTIFICATES
    assert "was revoked by Tunduk Test CA" in error.detail


def test_configuration_not_in_force_at_the_message_time_is_refused(case: Case, world: World):
    """Issue 9 §3: evidence is judged by the configuration in force when the message travelled."""
    stale = world.configuration(now=datetime.now(UTC) - timedelta(days=2))
    container = case.with_(configuration=stale).container()

    error = refused(container, world.anchor)
    assert error.check is Check.CONFIGURATION
    assert "expired" in error.detail


def test_another_operators_anchor_refuses_the_configuration(case: Case):
    """The anchor is the root of trust: another operator's anchor refuses the configuration."""
    other = make_world()

    error = refused(case.container(), other.anchor)
    assert error.check is Check.CONFIGURATION
    assert "not in the configuration anchor" in error.detail


def test_time_stamp_by_an_unapproved_tsa_is_refused(world: World):
    """Issue 9 §4: the checkpoint's time-stamp must come from a TSA the configuration approves."""
    forged = make_case(world, tsa=TimeStampAuthority.create(name="Rogue TSA"))

    error = refused(forged.container(), world.anchor)
    assert error.check is Check.TIMESTAMP
    assert "no TSA the configuration approves" in error.detail


def test_configuration_without_an_approved_tsa_trusts_no_time_stamp(case: Case, world: World):
    """Without an approved TSA in the configuration no time-stamp can hold."""
    container = case.with_(configuration=world.configuration(tsas=False)).container()

    error = refused(container, world.anchor)
    assert error.check is Check.TIMESTAMP
    assert "approves no time-stamping authority" in error.detail


def test_zip_with_traversal_names_is_refused(case: Case):
    """Hostile input: an entry named ../ is refused at the container check."""
    buffer = io.BytesIO(case.container())
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("../../etc/cron.d/evil", b"* * * * * root sh")

    error = refused(buffer.getvalue(), case.world.anchor)
    assert error.check is Check.CONTAINER
    assert "plain relative path" in error.detail


def test_erased_bodies_still_verify_and_say_so(case: Case):
    """003 §3.2.5: after erasure the leaves, signatures and proofs still hold; the report says so."""
    erased = {"headers": None, "body": None, "salt": None}
    container = case.with_(
        request=dataclasses.replace(case.gathered.request, **erased),
        response=dataclasses.replace(case.gathered.response, **erased),
    ).container()

    report = verify_evidence(container, case.world.anchor)
    assert report.erased == ["request", "response"]
    assert "Erased:     the response body" in "\n".join(report.lines())


def test_body_without_its_salt_is_refused(case: Case):
    """A body kept without its salt cannot be checked against the commitment: refused."""
    with zipfile.ZipFile(io.BytesIO(case.container())) as archive:
        files = {info.filename: archive.read(info) for info in archive.infolist()}
    for name in ("mimetype", MANIFEST, INDEX, "response/salt"):
        files.pop(name)
    files[INDEX] = encode_index(case.gathered.message_id, files)
    container = write_asice(
        [(name, media_type_of(name) or "", data) for name, data in files.items()]
    )

    error = refused(container, case.world.anchor)
    assert error.check is Check.COMMITMENTS
    assert "must be kept or erased together" in error.detail
