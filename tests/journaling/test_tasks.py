"""Issue 7 (2): checkpoints are signed every minute while the log grows, and only then."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django_q.models import Schedule

from tests.factories import make_element
from tunduk.journaling.tasks import publish_checkpoint_task
from tunduk.settings.env import ConfigurationError, Environment

pytestmark = pytest.mark.django_db


def test_checkpoint_task_is_scheduled_every_minute():
    """Issue 7 (2): `schedule_tasks` runs the checkpoint task every minute (interval 60 s)."""
    call_command("schedule_tasks", stdout=StringIO())
    schedule = Schedule.objects.get(name="journal-checkpoint")
    assert schedule.func == "tunduk.journaling.tasks.publish_checkpoint_task"
    assert (schedule.schedule_type, schedule.minutes) == (Schedule.MINUTES, 1)


def test_checkpoint_task_signs_only_when_there_are_new_entries(employee):
    """Issue 7 (2): the task signs when the log has grown and does nothing otherwise."""
    make_element(employee)
    size = publish_checkpoint_task()
    assert size is not None and size > 0
    assert publish_checkpoint_task() is None
    make_element(employee, full_name="Another")
    assert (publish_checkpoint_task() or 0) > size


def test_checkpoint_interval_is_read_and_checked(monkeypatch, tmp_path: Path):
    """Issue 7 (2): TUNDUK_JOURNAL_CHECKPOINT_INTERVAL is seconds, default 60, positive."""
    monkeypatch.delenv("TUNDUK_JOURNAL_CHECKPOINT_INTERVAL", raising=False)
    assert Environment.read(tmp_path).journal_checkpoint_interval == 60
    monkeypatch.setenv("TUNDUK_JOURNAL_CHECKPOINT_INTERVAL", "120")
    assert Environment.read(tmp_path).journal_checkpoint_interval == 120
    for bad in ("0", "soon"):
        monkeypatch.setenv("TUNDUK_JOURNAL_CHECKPOINT_INTERVAL", bad)
        with pytest.raises(ConfigurationError, match="TUNDUK_JOURNAL_CHECKPOINT_INTERVAL"):
            Environment.read(tmp_path)
