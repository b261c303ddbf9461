"""Issue 7 (2): the Registry's history cannot be rewritten without `journal verify` noticing.

The attacker is the database owner with the signing key: it drops the append-only
triggers, rewrites, and re-signs. What it cannot forge is a checkpoint somebody kept
before the rewrite, nor a witness's cosignature.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from tests.factories import make_element, make_registered
from tunduk.journal import Witness, WitnessError, generate_cosigner
from tunduk.journaling.checkpoint_checks import checkpoint_time
from tunduk.journaling.checkpoints import publish_checkpoint
from tunduk.journaling.entries import canonical_json, decode_entry, state_digest
from tunduk.journaling.keys import signer, verifier
from tunduk.journaling.log import registry_log, storage
from tunduk.journaling.verification import verify_registry
from tunduk.registry.choices import DocumentKind
from tunduk.registry.models import Document, ElementVersion

pytestmark = pytest.mark.django_db
WITNESS = generate_cosigner("witness.test")


def _verify(*args: str) -> str:
    with pytest.raises(CommandError) as error:
        call_command("journal", "verify", "--no-progress", *args)
    return str(error.value)


def _witness() -> Witness:
    """A witness of the Registry's log, run by another organisation."""
    return Witness(WITNESS, {settings.TUNDUK_JOURNAL_ORIGIN: [verifier()]})


def _keep_checkpoint(tmp_path: Path, witness: Witness) -> Path:
    """What an auditor does: save the published checkpoint with a witness's cosignature."""
    stored = publish_checkpoint()
    assert stored is not None
    kept = tmp_path / f"checkpoint-{stored.tree_size}.txt"
    kept.write_text(stored.note + witness.add_checkpoint(stored.note))
    return kept


def _cut_back(size: int, db_owner) -> None:
    """Remove every checkpoint, and every leaf and subtree from ``size`` on."""
    db_owner("DELETE FROM journal_checkpoint")
    db_owner("DELETE FROM journal_leaf WHERE idx >= %s", size)
    db_owner(
        "DELETE FROM journal_node WHERE (idx + 1) * (CAST(1 AS BIGINT) << CAST(level AS INTEGER)) > %s",
        size,
    )
    db_owner("UPDATE journal_head SET tree_size = %s", size)


def _redigest_from(index: int, db_owner) -> None:
    """Rebuild the log from ``index`` with every entry re-digested from today's rows."""
    log = registry_log()
    entries = [decode_entry(log.entry(i)) for i in range(index, log.size())]
    _cut_back(index, db_owner)
    for data in entries:
        kind = data["object"]
        row = apps.get_model(kind["type"])._default_manager.get(pk=kind["id"])
        log.append(canonical_json({**data, "state_sha256": state_digest(row)}))


def _replace_document(document: Document) -> None:
    """Swap a stored document's content, and the element versions that name it."""
    forged = "f" * 64
    Document.objects.filter(pk=document.pk).update(sha256=forged, size=1)
    for version in ElementVersion.objects.filter(element=document.element_id):
        for item in version.snapshot.get("documents", []):
            if item["id"] == document.pk:
                item["sha256"] = forged
        ElementVersion.objects.filter(pk=version.pk).update(snapshot=version.snapshot)


def test_the_database_refuses_to_change_or_delete_history(employee, operator):
    """Issue 7 (2): UPDATE and DELETE of leaf, node and checkpoint rows fail in the database."""
    make_registered(employee, operator)
    publish_checkpoint()
    for statement in (
        "UPDATE journal_leaf SET entry = entry WHERE idx = 0",
        "DELETE FROM journal_node",
        "DELETE FROM journal_checkpoint",
    ):
        with (
            pytest.raises(IntegrityError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    call_command("journal", "verify", "--no-progress")


def test_deleting_every_checkpoint_fails_verify(employee, operator, tmp_path, db_owner):
    """Issue 7 (2): with every checkpoint deleted, verify fails, with or without a kept one."""
    make_registered(employee, operator)
    kept = _keep_checkpoint(tmp_path, _witness())
    db_owner("DELETE FROM journal_checkpoint")
    assert "there is no signed checkpoint" in _verify()
    assert "there is no signed checkpoint" in _verify("--trusted-checkpoint", str(kept))


def test_rewritten_document_with_reappended_entries_is_caught(
    employee, operator, tmp_path, db_owner, capsys
):
    """Issue 7 (2): a document changed and later entries re-appended with new digests and a
    re-signed checkpoint pass a bare verify, but not one with a kept checkpoint, nor a witness."""
    element = make_registered(employee, operator)
    witness = _witness()
    kept = _keep_checkpoint(tmp_path, witness)
    call_command(
        "journal",
        "verify",
        "--no-progress",
        "--trusted-checkpoint",
        str(kept),
        "--witness-key",
        WITNESS.verifier().to_key(),
    )
    assert "checked against trusted checkpoint" in capsys.readouterr().out

    document = element.documents.get(kind=DocumentKind.COMMISSIONING_ACT)
    first = min(
        i
        for i in range(registry_log().size())
        if decode_entry(registry_log().entry(i))["object"]
        == {"type": "registry.document", "id": str(document.pk)}
    )
    _replace_document(document)
    _redigest_from(first, db_owner)
    assert "there is no signed checkpoint" in _verify()

    forged = publish_checkpoint()  # the operator holds the signing key
    assert forged is not None
    call_command("journal", "verify", "--no-progress")  # the database agrees with itself
    message = _verify("--trusted-checkpoint", str(kept))
    assert f"trusted checkpoint {kept}" in message and "rewritten" in message
    with pytest.raises(WitnessError, match="fork"):
        witness.add_checkpoint(forged.note)


def test_rewrite_cutting_back_the_log_is_caught(employee, operator, tmp_path, db_owner):
    """Issue 7 (2): removing the newest entries and re-signing fails against a kept checkpoint."""
    make_registered(employee, operator)
    witness = _witness()
    kept = _keep_checkpoint(tmp_path, witness)
    _cut_back(registry_log().size() - 2, db_owner)
    forged = publish_checkpoint()
    assert forged is not None
    assert "cut back" in _verify("--trusted-checkpoint", str(kept))
    with pytest.raises(WitnessError, match="backwards"):
        witness.add_checkpoint(forged.note)


def test_kept_checkpoint_without_the_witness_cosignature_fails(employee, operator, tmp_path):
    """Issue 7 (2): a --witness-key whose cosignature the kept checkpoint lacks is a failure."""
    make_registered(employee, operator)
    kept = _keep_checkpoint(tmp_path, _witness())
    other = generate_cosigner("other-witness.test").verifier().to_key()
    message = _verify("--trusted-checkpoint", str(kept), "--witness-key", other)
    assert "no cosignature by witness other-witness.test" in message
    assert "not a verifier key" in _verify("--witness-key", "nonsense")


def test_checkpoints_that_stopped_coming_fail_verify(employee, operator):
    """Issue 7 (2): the newest checkpoint older than the interval while later entries exist fails."""
    make_registered(employee, operator)
    stored = publish_checkpoint()
    assert stored is not None
    made_at, how = checkpoint_time(stored)
    assert made_at is not None and how == "time-stamped"
    late = made_at + timedelta(seconds=61)
    assert verify_registry(now=late).ok, "no later entries: an old checkpoint is fine"
    make_element(employee, full_name="Written after the checkpoint")
    assert verify_registry(now=made_at + timedelta(seconds=59)).ok
    result = verify_registry(now=late)
    assert any("checkpoints have stopped" in f for f in result.checkpoints.failures)
    assert verify_registry(now=late, max_checkpoint_age=timedelta(seconds=120)).ok
    strict = verify_registry(now=made_at + timedelta(seconds=1), max_checkpoint_age=timedelta(0))
    assert not strict.ok, "an age limit of zero is a limit, not the default"
    publish_checkpoint()
    assert verify_registry(now=late).ok


def test_empty_registry_verifies_once_its_first_checkpoint_is_signed():
    """Issue 7 (2): even an empty log needs a signed checkpoint, and gets one at size 0."""
    assert "there is no signed checkpoint" in _verify()
    stored = publish_checkpoint()
    assert stored is not None and stored.tree_size == 0
    call_command("journal", "verify", "--no-progress")
    assert publish_checkpoint() is None
    assert len(storage().checkpoints()) == 1


def test_unstamped_newest_checkpoint_fails_when_a_tsa_is_configured(employee, operator):
    """Issue 7 (2): a checkpoint signed without a time-stamp (its time only the operator's) fails."""
    make_registered(employee, operator)
    publish_checkpoint()
    make_element(employee, full_name="Written after the stamped checkpoint")
    with transaction.atomic():
        registry_log().sign_checkpoint(signer(), timestamper=lambda body: None)
    failures = verify_registry().checkpoints.failures
    assert any("carries no time-stamp" in failure for failure in failures), failures
