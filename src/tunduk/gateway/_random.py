"""Random bytes for ids and salts, drawn from the kernel 4 KiB at a time.

Every exchange needs several fresh random values on each gateway: a request id, a salt
per journaled direction, often a message id. ``os.urandom`` per value is one
``getrandom`` system call each, and each call releases and re-takes the GIL, which the
journal's writer thread is waiting for. Taking 4 KiB from the kernel at once and handing
it out slice by slice gives the same bytes (the kernel's CSPRNG output, each byte used
once) for one system call per ~250 values.

A forked child would share the parent's unread bytes, so the pool is emptied in the child
(``os.register_at_fork``). Safe from any thread: the lock is held only to cut a slice.
"""

from __future__ import annotations

import os
import threading

__all__ = ["random_bytes", "uuid4_text"]

_POOL_BYTES = 4096

_lock = threading.Lock()
_pool = b""
_offset = 0


def random_bytes(count: int) -> bytes:
    """Return ``count`` (1 to 4096) bytes from the operating system's CSPRNG."""
    global _pool, _offset
    if not 0 < count <= _POOL_BYTES:
        raise ValueError(f"random_bytes takes 1 to {_POOL_BYTES} bytes, not {count}")
    with _lock:
        end = _offset + count
        if end > len(_pool):
            _pool, _offset, end = os.urandom(_POOL_BYTES), 0, count
        value = _pool[_offset:end]
        _offset = end
    return value


def uuid4_text() -> str:
    """A fresh random UUID, version 4, as text: ``str(uuid.uuid4())`` without a ``UUID``."""
    raw = bytearray(random_bytes(16))
    raw[6] = (raw[6] & 0x0F) | 0x40  # version 4
    raw[8] = (raw[8] & 0x3F) | 0x80  # RFC 4122 variant
    text = raw.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def _forget_in_child() -> None:
    """After ``fork()``: never hand out bytes the parent may also hand out."""
    global _pool, _offset, _lock
    _lock = threading.Lock()
    _pool, _offset = b"", 0


os.register_at_fork(after_in_child=_forget_in_child)
