"""The wrapper every app's write services share: one transaction, refusals audited.

A service raises ``NotPermitted`` inside its transaction; the audit row of the refusal is
written after the rollback, so it survives (the change itself leaves no trace). Services
record what they changed with ``tunduk.journaling.changes.commit_event`` (audit event and
journal leaf in the same transaction) or, for an element, the Registry's ``commit_change``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.db import transaction

from tunduk.core.errors import NotPermitted
from tunduk.core.permissions import record_denial

P = ParamSpec("P")
R = TypeVar("R")


def service(func: Callable[P, R]) -> Callable[P, R]:
    """Run a write in one transaction; a refused attempt is audited after the rollback."""
    atomic = transaction.atomic(func)

    @functools.wraps(func)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return atomic(*args, **kwargs)
        except NotPermitted as denied:
            record_denial(denied)
            raise

    return run
