"""A counting gate for one event loop: at most ``limit`` holders, the others wait in order.

``asyncio.Semaphore`` does the same, but its ``acquire`` first asks ``locked()``, which
scans every waiter, and each use goes through an async context manager; the connection
pools take and give back a slot twice per exchange. A cancelled waiter (its exchange
timed out) gives up its place, or passes on a slot that reached it as it was cancelled.
"""

from __future__ import annotations

import asyncio
import collections

__all__ = ["Slots"]


class Slots:
    """``await take()`` then ``give()``, exactly once each; use from one event loop."""

    def __init__(self, limit: int) -> None:
        if limit < 1:
            raise ValueError("a gate needs at least one slot")
        self.limit = limit
        self.taken = 0
        self._waiting: collections.deque[asyncio.Future[None]] = collections.deque()

    async def take(self) -> None:
        """Return once a slot is this caller's."""
        if self.taken < self.limit and not self._waiting:
            self.taken += 1
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append(waiter)
        try:
            await waiter
        except BaseException:
            if waiter.done() and not waiter.cancelled():
                self.give()  # the slot arrived as we were cancelled: pass it on
            else:
                waiter.cancel()  # give() skips it
            raise

    def give(self) -> None:
        """Hand the slot to the longest waiting caller, or free it."""
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_result(None)  # the slot passes on: ``taken`` stays
                return
        self.taken -= 1
