"""Verifying evidence offline: a round trip, and what the verifier establishes."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest

from tunduk.gateway.evidence import Check, cli, verify_evidence

from ._evidence_helpers import Case, World, make_case, make_world


@pytest.fixture(scope="module")
def world() -> World:
    return make_world()


@pytest.fixture
def case(world: World) -> Case:
    return make_case(world)


def test_round_trip_verifies_and_tells_who_what_whom(case: Case):
    """Issue 9 §5: evidence built from a journaled exchange verifies against the anchor alone."""
    report = verify_evidence(case.container(), case.world.anchor)

    assert report.message_id == case.gathered.message_id
    assert report.client.identifier == "KG/GOV/70000004/pension-accounts"
    assert report.client.member_name == "Social fund"
    assert report.service.identifier == "KG/GOV/70000001/population/person-by-pin"
    assert report.service.member_name == "Population registry"
    assert (report.method, report.path, report.query, report.status) == (
        "GET",
        "/22001199000123",
        "full=1",
        200,
    )
    assert report.signers["request"].member == "KG/GOV/70000004"
    assert report.signers["response"].member == "KG/GOV/70000001"
    assert report.checkpoint_size == case.log.size()
    assert report.leaf_indexes == case.indexes
    assert [member for member, _ in report.cosigned_by] == ["KG/GOV/70000001"]
    assert report.tsa_name == "Tunduk Test TSA"
    assert report.checks == list(Check)


def test_cli_prints_plain_words_and_exits_zero(case: Case, tmp_path):
    """Issue 9 §5: verify prints who asked what of whom, when, who signed, which checkpoint."""
    evidence = tmp_path / "message.asice"
    evidence.write_bytes(case.container())
    anchor = tmp_path / "anchor.json"
    anchor.write_bytes(case.world.anchor.to_bytes())
    out, err = io.StringIO(), io.StringIO()

    status = cli(["verify", str(evidence), "--anchor", str(anchor)], out=out, err=err)

    assert status == 0, err.getvalue()
    text = out.getvalue()
    assert f"Evidence for message {case.gathered.message_id}" in text
    assert "Who asked:  KG/GOV/70000004/pension-accounts (Social fund" in text
    assert "Of whom:    KG/GOV/70000001/population/person-by-pin (Population registry" in text
    assert "Cosigned:   by KG/GOV/70000001's gateway" in text
    assert "Time-stamp: " in text and "by Tunduk Test TSA" in text


def test_cli_names_the_failed_check_and_exits_one(case: Case, tmp_path):
    """Issue 9 §5: a failure exits non-zero naming the check."""
    evidence = tmp_path / "message.asice"
    evidence.write_bytes(case.container()[:-10])
    anchor = tmp_path / "anchor.json"
    anchor.write_bytes(case.world.anchor.to_bytes())
    err = io.StringIO()

    status = cli(["verify", str(evidence), "--anchor", str(anchor)], out=io.StringIO(), err=err)

    assert status == 1
    assert err.getvalue().startswith("evidence does not hold: container check failed:")


def test_tunduk_evidence_verify_runs_without_central_settings(case: Case, tmp_path):
    """Issue 9 §5: `tunduk evidence verify` runs on an auditor's machine: no database, no secrets."""
    evidence = tmp_path / "message.asice"
    evidence.write_bytes(case.container())
    anchor = tmp_path / "anchor.json"
    anchor.write_bytes(case.world.anchor.to_bytes())
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TUNDUK_", "DJANGO_", "DATABASE_"))
    }

    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tunduk",
            "evidence",
            "verify",
            str(evidence),
            "--anchor",
            str(anchor),
        ],
        capture_output=True,
        text=True,
        env=environment,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert f"Evidence for message {case.gathered.message_id} (request" in done.stdout
    assert set(tmp_path.iterdir()) == {evidence, anchor}  # nothing written beside them
