"""The Registry in the journal: every change is a leaf, and tampering is detected (issue #3)."""

from __future__ import annotations

import base64

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command

from tests.factories import make_element, make_registered
from tunduk.journal import leaf_hash, verify_inclusion
from tunduk.journaling.checkpoints import latest_checkpoint, publish_checkpoint
from tunduk.journaling.entries import decode_entry
from tunduk.journaling.log import registry_log
from tunduk.journaling.verification import verify_registry
from tunduk.registry import services
from tunduk.registry.models import Element, ElementVersion, Submission
from tunduk.registry.visibility import readable_versions

pytestmark = pytest.mark.django_db


def _verify_fails_naming(fragment: str) -> str:
    with pytest.raises(CommandError) as error:
        call_command("journal", "verify", "--no-progress")
    assert fragment in str(error.value)
    return str(error.value)


def test_each_change_appends_leaves_in_its_transaction(employee, operator):
    """000 §21, §24: creating, submitting and registering each leave a leaf naming the stored row."""
    element = make_registered(employee, operator)
    log = registry_log()
    entries = [decode_entry(log.entry(i)) for i in range(log.size())]
    types = {entry["object"]["type"] for entry in entries}
    assert {
        "registry.elementversion",
        "registry.submission",
        "registry.reviewdecision",
        "registry.document",
    } <= types
    for version in element.versions.all():
        entry = decode_entry(log.entry(version.journal_index))
        assert entry["object"] == {"type": "registry.elementversion", "id": str(version.pk)}
        assert entry["actor"] == version.actor_id


def test_change_is_not_stored_when_its_leaf_cannot_be_written(employee, db_owner):
    """A change whose journal leaf cannot be written is not stored either."""
    db_owner("ALTER TABLE journal_leaf RENAME TO journal_leaf_gone")
    with pytest.raises(Exception):  # noqa: B017 - whatever the engine raises, nothing may be stored
        services.create_element(employee, employee.subject, {"full_name": "Ghost system"})
    assert not Element.objects.filter(full_name="Ghost system").exists()


def test_untouched_journal_verifies_with_signed_timestamped_checkpoints(employee, operator):
    """An untouched log verifies: hashes, signatures, time-stamps and every covered row."""
    make_registered(employee, operator)
    first = publish_checkpoint()
    make_element(employee, full_name="Second")
    second = publish_checkpoint()
    assert first is not None and second is not None and second.tree_size > first.tree_size
    assert second.timestamp_token, "checkpoints are time-stamped"
    assert verify_registry().ok
    call_command("journal", "verify", "--no-progress")


def test_history_version_is_proven_in_published_checkpoint(employee, operator):
    """000 §24: a version's leaf is proven included in the published checkpoint."""
    element = make_registered(employee, operator)
    publish_checkpoint()
    signed = latest_checkpoint()
    version = element.versions.last()
    log = registry_log()
    proof = log.inclusion_proof(version.journal_index, signed.checkpoint.size)
    verify_inclusion(
        leaf_hash(log.entry(version.journal_index)),
        version.journal_index,
        signed.checkpoint.size,
        proof,
        signed.checkpoint.root_hash,
    )


def test_edited_version_row_is_named(employee, operator):
    """Editing a stored element version is detected and its entry named."""
    element = make_registered(employee, operator)
    publish_checkpoint()
    version = element.versions.first()
    ElementVersion.objects.filter(pk=version.pk).update(snapshot={"full_name": "Rewritten"})
    _verify_fails_naming(f"entry {version.journal_index}")


def test_edited_element_row_is_detected(employee, operator):
    """Editing an element's record outside the services is detected."""
    element = make_registered(employee, operator)
    publish_checkpoint()
    Element.objects.filter(pk=element.pk).update(purpose="Quietly changed")
    _verify_fails_naming(f"element {element.pk} differs")


def test_edited_submission_row_is_detected(employee, operator):
    """Changing a submission's due date behind the journal's back is detected."""
    element = make_registered(employee, operator)
    publish_checkpoint()
    submission = Submission.objects.get(element=element)
    Submission.objects.filter(pk=submission.pk).update(due_date="2000-01-01")
    _verify_fails_naming(f"registry.submission {submission.pk} differs")


def test_changed_leaf_byte_is_named(employee, operator, db_owner):
    """Changing one byte of a stored leaf is detected and the entry named."""
    make_registered(employee, operator)
    publish_checkpoint()
    entry = registry_log().entry(3)
    forged = entry.replace(b'"v":2', b'"v":1')
    db_owner("UPDATE journal_leaf SET entry = %s WHERE idx = 3", forged)
    _verify_fails_naming("entry 3")


def test_deleted_leaf_is_detected(employee, operator, db_owner):
    """Deleting a leaf row is detected."""
    make_registered(employee, operator)
    publish_checkpoint()
    db_owner("DELETE FROM journal_leaf WHERE idx = 2")
    _verify_fails_naming("2")


def test_reordered_leaves_are_detected(employee, operator, db_owner):
    """Swapping two stored leaves is detected."""
    make_registered(employee, operator)
    publish_checkpoint()
    log = registry_log()
    first, second = log.entry(1), log.entry(2)
    db_owner("UPDATE journal_leaf SET entry = %s WHERE idx = 1", second)
    db_owner("UPDATE journal_leaf SET entry = %s WHERE idx = 2", first)
    _verify_fails_naming("entry 1")


def test_replaced_checkpoint_is_detected(employee, operator, db_owner):
    """Replacing a stored checkpoint's note is detected and the checkpoint named."""
    make_registered(employee, operator)
    stored = publish_checkpoint()
    forged = stored.note.replace(
        base64.b64encode(stored.root_hash).decode(), base64.b64encode(b"\0" * 32).decode()
    )
    db_owner(
        "UPDATE journal_checkpoint SET note = %s WHERE tree_size = %s", forged, stored.tree_size
    )
    message = _verify_fails_naming("checkpoint")
    assert str(stored.tree_size) in message


def test_exported_proof_checks_offline_with_only_the_verifier_key(
    employee, operator, tmp_path, capsys
):
    """An auditor checks one entry with the published key, the entry bytes and its tlog-proof."""
    make_registered(employee, operator)
    publish_checkpoint()
    call_command("journal", "key")
    key = capsys.readouterr().out.strip()
    entry_file = tmp_path / "entry.json"
    call_command("journal", "proof", "2", "--entry-out", str(entry_file))
    proof_file = tmp_path / "proof.txt"
    proof_file.write_text(capsys.readouterr().out)
    call_command(
        "journal",
        "check-proof",
        "--key",
        key,
        "--entry",
        str(entry_file),
        "--proof",
        str(proof_file),
    )
    assert "included" in capsys.readouterr().out
    entry_file.write_bytes(entry_file.read_bytes().replace(b"registry", b"registrx"))
    with pytest.raises(CommandError, match="does not hold"):
        call_command(
            "journal",
            "check-proof",
            "--key",
            key,
            "--entry",
            str(entry_file),
            "--proof",
            str(proof_file),
        )


def test_http_endpoints_serve_checkpoint_and_proofs(client, employee, operator):
    """The Registry publishes its checkpoint, verifier key and proofs over HTTP."""
    make_registered(employee, operator)
    stored = publish_checkpoint()
    assert client.get("/journal/checkpoint").content.decode() == stored.note
    assert client.get("/journal/verifier-key").status_code == 200
    proof = client.get(f"/journal/proofs/inclusion?index=0&size={stored.tree_size}").json()
    assert proof["tree_size"] == stored.tree_size
    assert client.get("/journal/proofs/consistency?from=1&to=2").status_code == 200
    bad = client.get("/journal/proofs/inclusion?index=x&size=2")
    assert bad.status_code == 400 and b"index" in bad.content
    assert client.get(f"/journal/entries/{stored.tree_size}/proof").status_code == 404


def test_history_page_shows_proof_state_of_each_version(client, employee, operator, db_owner):
    """000 §24: each version on the public history page shows whether it is proven in the journal."""
    element = make_registered(employee, operator)
    url = f"/elements/{element.pk}/history/"
    assert b'data-proof="pending"' in client.get(url).content
    publish_checkpoint()
    page = client.get(url).content
    public = readable_versions(AnonymousUser(), element).order_by("number")
    assert page.count(b'data-proof="proven"') == public.count() > 0
    version = public.last()
    db_owner("UPDATE journal_leaf SET entry = %s WHERE idx = %s", b"forged", version.journal_index)
    assert b'data-proof="failed"' in client.get(url).content


def test_demo_registry_and_catalog_verify(capsys):
    """Everything the demo stores through the services, Registry and Catalog, verifies in the journal."""
    call_command("load_demo", verbosity=0)
    publish_checkpoint()
    call_command("journal", "verify", "--no-progress")
    assert "journal verified" in capsys.readouterr().out
