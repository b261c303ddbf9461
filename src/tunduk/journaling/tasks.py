"""Scheduled journal work."""

from __future__ import annotations

from tunduk.journaling.checkpoints import publish_checkpoint


def publish_checkpoint_task() -> int | None:
    """Sign and time-stamp a checkpoint if the log has grown; returns its size."""
    stored = publish_checkpoint()
    return stored.tree_size if stored is not None else None
