"""The serving gateway settles its heap once started (in a child: it changes the process)."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import gc
from tunduk.gateway.runtime import GC_YOUNG_THRESHOLD, settle_the_heap
before = gc.get_freeze_count()
settle_the_heap()
assert gc.get_freeze_count() > before + 1000, (before, gc.get_freeze_count())
assert gc.get_threshold()[0] == GC_YOUNG_THRESHOLD
print("settled", gc.get_freeze_count())
"""


def test_start_up_objects_leave_the_collectors_sight_and_collection_is_rarer() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("settled ")
