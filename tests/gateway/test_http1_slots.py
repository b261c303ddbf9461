"""The connection pools' gate: at most ``limit`` exchanges at once, the rest in order."""

from __future__ import annotations

import asyncio

import pytest

from tunduk.gateway._slots import Slots


def test_at_most_limit_holders_and_waiters_served_in_order() -> None:
    async def scenario() -> list[int]:
        slots, active, peak, order = Slots(2), 0, 0, []

        async def worker(number: int) -> None:
            nonlocal active, peak
            await slots.take()
            try:
                active += 1
                peak = max(peak, active)
                order.append(number)
                await asyncio.sleep(0.01)
                active -= 1
            finally:
                slots.give()

        await asyncio.gather(*(worker(n) for n in range(6)))
        assert peak == 2
        assert slots.taken == 0
        return order

    assert asyncio.run(scenario()) == [0, 1, 2, 3, 4, 5]


def test_a_cancelled_waiter_gives_up_its_place_and_loses_no_slot() -> None:
    """An exchange that timed out while waiting must not keep a slot nobody gives back."""

    async def scenario() -> None:
        slots = Slots(1)
        await slots.take()
        waiting = asyncio.ensure_future(slots.take())
        await asyncio.sleep(0)
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
        slots.give()
        assert slots.taken == 0
        await asyncio.wait_for(slots.take(), 1)  # the slot is free again
        assert slots.taken == 1

    asyncio.run(scenario())


def test_a_slot_handed_to_a_waiter_as_it_is_cancelled_passes_on() -> None:
    async def scenario() -> None:
        slots = Slots(1)
        await slots.take()
        first = asyncio.ensure_future(slots.take())
        second = asyncio.ensure_future(slots.take())
        await asyncio.sleep(0)
        slots.give()  # the slot goes to ``first``...
        first.cancel()  # ...which is cancelled before it resumes
        with pytest.raises(asyncio.CancelledError):
            await first
        await asyncio.wait_for(second, 1)  # so ``second`` gets it
        assert slots.taken == 1

    asyncio.run(scenario())


def test_a_gate_without_slots_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one slot"):
        Slots(0)
