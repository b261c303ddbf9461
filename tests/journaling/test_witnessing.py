"""Central's cosignature endpoint, from the attacker's side: only configured witnesses'
valid cosignatures on checkpoints the journal signed are kept and published (issue 7 (2))."""

from __future__ import annotations

import base64

import pytest
from django.test import Client

from tests.factories import make_element
from tunduk.core.audit import Event
from tunduk.core.models import AuditEvent
from tunduk.journal import (
    Checkpoint,
    NoteSignature,
    Signer,
    add_signatures,
    generate_cosigner,
    open_checkpoint,
    open_note,
    sign_checkpoint,
)
from tunduk.journaling.checkpoints import publish_checkpoint
from tunduk.journaling.keys import signer, verifier
from tunduk.journaling.models import Cosignature
from tunduk.journaling.witness_views import MAX_COSIGNATURE_BYTES

pytestmark = pytest.mark.django_db

URL = "/journal/cosignatures"
WITNESS = generate_cosigner("witness.example.kg")
STRANGER = generate_cosigner("stranger.example.kg")


@pytest.fixture
def note(employee, settings) -> str:
    """A checkpoint the journal signed, with WITNESS configured as a trusted witness."""
    settings.TUNDUK_JOURNAL_WITNESSES = [WITNESS.verifier().to_key()]
    make_element(employee)
    stored = publish_checkpoint()
    assert stored is not None
    return stored.note


def _post(client: Client, body: str | bytes):
    data = body.encode() if isinstance(body, str) else body
    return client.post(URL, data=data, content_type="text/plain; charset=utf-8")


def test_configured_witness_cosignature_is_published(client, note):
    """Issue 7 (2): a configured witness's cosignature is kept and the cosigned checkpoint published."""
    answer = _post(Client(enforce_csrf_checks=True), add_signatures(note, WITNESS))
    assert answer.status_code == 201, answer.content
    assert answer.json()["witnesses"] == ["witness.example.kg"]
    published = client.get("/journal/checkpoint/cosigned").content.decode()
    assert open_note(published, [WITNESS.verifier()]).verified_by == (WITNESS.verifier(),)
    assert open_checkpoint(published, [verifier()]).note.text == open_note(note, [verifier()]).text
    assert AuditEvent.objects.filter(name=Event.CHECKPOINT_COSIGNED).count() == 1


def test_same_cosignature_twice_is_kept_once(client, note):
    """Issue 7 (2): a witness retrying its submission does not duplicate its cosignature."""
    cosigned = add_signatures(note, WITNESS)
    assert _post(client, cosigned).status_code == 201
    assert _post(client, cosigned).status_code == 201
    assert Cosignature.objects.count() == 1


def test_unknown_witness_key_is_refused(client, note):
    """Issue 7 (2): a cosignature by a key not in TUNDUK_JOURNAL_WITNESSES is refused (403)."""
    answer = _post(client, add_signatures(note, STRANGER))
    assert answer.status_code == 403
    assert answer.json()["code"] == "permission_denied"
    assert answer.json()["field"] == "signature"
    assert not Cosignature.objects.exists()
    assert AuditEvent.objects.filter(name=Event.ACCESS_DENIED).exists()
    assert client.get("/journal/checkpoint/cosigned").status_code == 404


def test_stranger_reusing_witness_name_is_refused(client, note):
    """Issue 7 (2): a key that merely takes the configured witness's name is not trusted."""
    impostor = generate_cosigner(WITNESS.name)
    assert _post(client, add_signatures(note, impostor)).status_code == 403
    assert not Cosignature.objects.exists()


def _forge_signature(note: str, key: Signer) -> str:
    """The note with a cosignature line under ``key``'s name and ID but broken signature bytes."""
    good = add_signatures(note, key).splitlines(keepends=True)[-1]
    raw = bytearray(base64.b64decode(good.split(" ")[-1]))
    raw[-1] ^= 0x01
    return note + NoteSignature(key.name, key.key_id, bytes(raw[4:])).line()


def test_bad_cosignature_is_refused(client, note):
    """Issue 7 (2): a configured witness's line whose signature does not verify is refused."""
    answer = _post(client, _forge_signature(note, WITNESS))
    assert answer.status_code == 400
    assert answer.json()["field"] == "signature"
    assert "does not verify" in answer.json()["message"]
    assert not Cosignature.objects.exists()


def test_bad_line_next_to_good_one_refuses_all(client, note):
    """Issue 7 (2): one forged cosignature spoils the submission; nothing is kept."""
    stranger_note = add_signatures(note, WITNESS)
    answer = _post(client, _forge_signature(stranger_note, WITNESS))
    assert answer.status_code == 400
    assert not Cosignature.objects.exists()


def test_checkpoint_the_journal_never_signed_is_refused(client, note):
    """Issue 7 (2): a cosigned checkpoint with another root hash, or an unknown size, is refused."""
    body = Checkpoint.parse(open_note(note, [verifier()]).text)
    forged_root = Checkpoint(body.origin, body.size, b"\x07" * 32)
    for forged in (forged_root, Checkpoint(body.origin, body.size + 5, body.root_hash)):
        # Even signed with the journal's own key (a stolen key, or a note never stored).
        note_forged = sign_checkpoint(forged, signer(), WITNESS)
        answer = _post(client, note_forged)
        assert answer.status_code == 400
        assert answer.json()["field"] == "note"
        assert "never signed" in answer.json()["message"]
    assert not Cosignature.objects.exists()


def test_malformed_and_oversized_bodies_are_refused(client, note):
    """Issue 7 (2): the endpoint refuses non-notes, non-UTF-8 and bodies over its size limit."""
    assert _post(client, "hello").status_code == 400
    assert _post(client, b"\xff\xfe").status_code == 400
    huge = add_signatures(note, WITNESS) + "x" * MAX_COSIGNATURE_BYTES
    answer = _post(client, huge)
    assert answer.status_code == 413
    assert answer.json()["code"] == "too_large"
    assert client.get(URL).status_code == 405
    assert not Cosignature.objects.exists()


def test_witness_removed_from_settings_is_no_longer_published(client, note, settings):
    """Issue 7 (2): dropping a witness from the settings withdraws its published cosignatures."""
    assert _post(client, add_signatures(note, WITNESS)).status_code == 201
    settings.TUNDUK_JOURNAL_WITNESSES = []
    assert client.get("/journal/checkpoint/cosigned").status_code == 404
