"""Issue 7 (2): journal entries commit to personal fields with a salt kept beside the row, so
a public entry cannot confirm a guessed name or e-mail, and one salt can be erased."""

from __future__ import annotations

import hashlib

import pytest
from django.core.management import CommandError, call_command

from tests.factories import make_registered
from tunduk.journal import leaf_hash, verify_inclusion
from tunduk.journaling.checkpoints import latest_checkpoint, publish_checkpoint
from tunduk.journaling.entries import canonical_json, decode_entry, row_state
from tunduk.journaling.log import registry_log
from tunduk.journaling.models import FieldSalt
from tunduk.journaling.personal import commitment, erase_salt
from tunduk.registry import services
from tunduk.registry.models import AccessApplication

pytestmark = pytest.mark.django_db

APPLICATION = {
    "subject_address": "Bishkek, Chui avenue 1",
    "element_full_name": "Portal of state services",
    "element_short_name": "Portal",
    "element_type": "information_system",
    "employee_full_name": "Emil Satybaldiev",
    "employee_position": "IT specialist",
    "employee_email": "emil@gov.kg",
    "appointment_decision": "Order No. 12 of 1 March 2026",
}
PERSONAL = ("employee_full_name", "employee_position", "employee_email")


def _last_entry_of(obj) -> tuple[int, dict]:
    log = registry_log()
    wanted = {"type": obj._meta.label_lower, "id": str(obj.pk)}
    index = max(i for i in range(log.size()) if decode_entry(log.entry(i))["object"] == wanted)
    return index, decode_entry(log.entry(index))


def _verify_fails(fragment: str) -> None:
    with pytest.raises(CommandError, match=fragment):
        call_command("journal", "verify", "--no-progress")


def test_public_entry_cannot_confirm_a_guessed_name_or_email(subject):
    """Issue 7 (2): knowing every other column, a guessed name and e-mail do not give the digest."""
    application = services.submit_application(subject, APPLICATION)
    _, entry = _last_entry_of(application)
    raw = registry_log().entry(_last_entry_of(application)[0])
    assert b"emil@gov.kg" not in raw and b"Satybaldiev" not in raw
    # The attacker's best guess is the row itself, hashed the way a plain digest would be.
    guess = hashlib.sha256(canonical_json(row_state(application))).hexdigest()
    assert entry["v"] == 2 and entry["state_sha256"] != guess


def test_salts_are_kept_beside_the_row_and_open_the_commitment(subject):
    """Issue 7 (2): each personal field has its own random salt; salt and value give the commitment."""
    application = services.submit_application(subject, APPLICATION)
    salts = {s.field: s for s in FieldSalt.objects.filter(object_id=str(application.pk))}
    assert set(salts) == set(PERSONAL)
    assert len({bytes(s.salt) for s in salts.values()}) == 3
    for name in PERSONAL:
        stored = salts[name]
        assert stored.commitment == commitment(stored.salt, APPLICATION[name], canonical_json)
    call_command("journal", "checkpoint")
    call_command("journal", "verify", "--no-progress")


def test_changed_personal_field_is_detected(subject):
    """Issue 7 (2): an e-mail changed behind the journal's back still fails verify."""
    application = services.submit_application(subject, APPLICATION)
    publish_checkpoint()
    AccessApplication.objects.filter(pk=application.pk).update(employee_email="eve@evil.kg")
    _verify_fails(f"registry.accessapplication {application.pk} differs")


def test_erasing_one_salt_keeps_the_tree_and_proofs(subject):
    """Issue 7 (2): a salt erased with its value (retention) breaks neither verify nor proofs."""
    application = services.submit_application(subject, APPLICATION)
    index, _ = _last_entry_of(application)
    publish_checkpoint()
    assert erase_salt(application, "employee_email")
    AccessApplication.objects.filter(pk=application.pk).update(employee_email="")
    call_command("journal", "verify", "--no-progress")
    signed = latest_checkpoint()
    log = registry_log()
    verify_inclusion(
        leaf_hash(log.entry(index)),
        index,
        signed.checkpoint.size,
        log.inclusion_proof(index, signed.checkpoint.size),
        signed.checkpoint.root_hash,
    )


def test_erased_salt_with_the_value_left_in_place_fails(subject):
    """Issue 7 (2): erasing a salt does not let a value change unnoticed: it must be erased too."""
    application = services.submit_application(subject, APPLICATION)
    publish_checkpoint()
    erase_salt(application, "employee_full_name")
    AccessApplication.objects.filter(pk=application.pk).update(employee_full_name="Someone Else")
    _verify_fails("salt of employee_full_name was erased but its value was not")
    FieldSalt.objects.filter(object_id=str(application.pk)).delete()
    _verify_fails("salt of employee_full_name is missing")


def test_names_in_an_element_record_are_committed_with_salts(employee, operator):
    """Issue 7 (2): responsible officials in a version's snapshot enter the digest salted."""
    element = make_registered(employee, operator)
    version = element.versions.last()
    fields = set(
        FieldSalt.objects.filter(
            object_type="registry.elementversion", object_id=str(version.pk)
        ).values_list("field", flat=True)
    )
    assert {"snapshot.responsible_officials", "snapshot.location_responsible"} <= fields
    publish_checkpoint()
    call_command("journal", "verify", "--no-progress")


def test_entries_written_before_salting_still_verify(subject):
    """Issue 7 (2): a version-1 entry (plain digest, written before the change) still verifies."""
    application = services.submit_application(subject, APPLICATION)
    plain = hashlib.sha256(canonical_json(row_state(application))).hexdigest()
    legacy = {"v": 1, "time": "2026-01-01T00:00:00Z", "event": "registry:application:submitted"}
    legacy |= {"object": {"type": "registry.accessapplication", "id": str(application.pk)}}
    legacy |= {"state_sha256": plain, "actor": None, "detail": {}}
    FieldSalt.objects.filter(object_id=str(application.pk)).delete()
    registry_log().append(canonical_json(legacy))
    publish_checkpoint()
    call_command("journal", "verify", "--no-progress")
