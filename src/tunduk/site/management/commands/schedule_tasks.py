"""``tunduk schedule_tasks``: create the django-q2 schedules of every app, idempotently.

Run it after every deployment; existing schedules keep their next run time, so
re-running never makes a job run twice. To add a job, append a ``ScheduledJob`` to
``SCHEDULES``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django_q.models import Schedule


@dataclass(frozen=True)
class ScheduledJob:
    """One recurring job: its stable name, the function django-q2 calls, and how often."""

    name: str
    func: str
    schedule_type: str
    at: time
    minutes: int | None = None  # the interval of a Schedule.MINUTES job


SCHEDULES: tuple[ScheduledJob, ...] = (
    ScheduledJob(
        name="registry-overdue-reminders",
        func="tunduk.registry.tasks.send_overdue_reminders",
        schedule_type=Schedule.DAILY,
        at=time(8, 0),  # the start of the working day in Bishkek
    ),
    ScheduledJob(
        name="journal-checkpoint",
        func="tunduk.journaling.tasks.publish_checkpoint_task",
        schedule_type=Schedule.MINUTES,
        at=time(0, 0),
        # A signed, time-stamped checkpoint within the interval of any change: entries not
        # yet under a checkpoint are the only ones an operator could rewrite unnoticed.
        minutes=max(1, settings.TUNDUK_JOURNAL_CHECKPOINT_INTERVAL // 60),
    ),
    ScheduledJob(
        name="global-configuration",
        func="tunduk.catalog.configuration.publish_configuration_task",
        schedule_type=Schedule.MINUTES,
        at=time(0, 0),
        minutes=1,  # regenerated well before its 10-minute validity ends
    ),
    ScheduledJob(
        name="participant-status-changes",
        func="tunduk.catalog.services.participants.apply_due_changes",
        schedule_type=Schedule.MINUTES,
        at=time(0, 0),
        minutes=1,  # suspensions and departures take effect when their notice period ends
    ),
)


def first_run(at: time, now: datetime | None = None) -> datetime:
    """The next moment at local time ``at``: later today, or tomorrow."""
    zone = ZoneInfo(settings.TIME_ZONE)
    now = (now or timezone.now()).astimezone(zone)
    candidate = datetime.combine(now.date(), at, tzinfo=zone)
    return candidate if candidate > now else candidate + timedelta(days=1)


def ensure_schedule(job: ScheduledJob) -> tuple[Schedule, bool]:
    """Create the schedule named ``job.name`` or bring its function and type up to date."""
    schedule = Schedule.objects.filter(name=job.name).order_by("pk").first()
    if schedule is None:
        schedule = Schedule.objects.create(
            name=job.name,
            func=job.func,
            schedule_type=job.schedule_type,
            repeats=-1,
            minutes=job.minutes,
            next_run=timezone.now() if job.minutes else first_run(job.at),
        )
        return schedule, True
    changed = (
        schedule.func != job.func
        or schedule.schedule_type != job.schedule_type
        or schedule.minutes != job.minutes
    )
    if changed:
        schedule.func = job.func
        schedule.schedule_type = job.schedule_type
        schedule.minutes = job.minutes
        schedule.repeats = -1
        schedule.save(update_fields=["func", "schedule_type", "minutes", "repeats"])
    return schedule, False


class Command(BaseCommand):
    help = "Create or update the Registry's recurring background jobs (django-q2 schedules)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--list", action="store_true", help="Only show the schedules, change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for job in SCHEDULES:
            if options["list"]:
                schedule = Schedule.objects.filter(name=job.name).first()
                state = f"next run {schedule.next_run:%Y-%m-%d %H:%M %Z}" if schedule else "absent"
                self.stdout.write(f"{job.name}: {job.func} ({state})")
                continue
            schedule, created = ensure_schedule(job)
            verb = "created" if created else "present"
            self.stdout.write(
                self.style.SUCCESS(
                    f"{job.name}: {verb}, {schedule.get_schedule_type_display()}, "
                    f"next run {schedule.next_run:%Y-%m-%d %H:%M %Z}"
                )
            )
