"""Signals the Registry sends to the apps built on it (which it must not import)."""

from __future__ import annotations

from django.dispatch import Signal

__all__ = ["element_decommissioned"]

element_decommissioned = Signal()
"""Sent inside the transaction that records an element's decommissioning (000 §29), with
``element``: the Catalog takes the information system out of the exchange."""
