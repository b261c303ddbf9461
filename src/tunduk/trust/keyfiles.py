"""Private key files: created owner-only from their first byte, never over an existing file.

Every key this project keeps on disk (the CA, the TSA, the configuration signer, the
journal signer) is written through :func:`write_private`. The file is created by one
``open(O_CREAT | O_EXCL)`` with mode 0600, so it is never readable by others, not even
for the instant between creating and ``chmod``-ing it, whatever the umask; and a file or
symlink someone planted at the path is refused instead of receiving the key.
"""

from __future__ import annotations

import os
from pathlib import Path

INIT_COMMAND = "tunduk trust init"
"""The management command that creates the central server's keys explicitly."""

CHECK_TAG = "trust"
"""The Django system-check tag of the start-up checks that the keys exist."""

_PRIVATE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)


def write_private(path: Path, data: bytes) -> None:
    """Create ``path`` readable and writable by the owner only and write ``data`` to it.

    Raises :class:`FileExistsError` when anything (a file, a symlink) is already at
    ``path``: an existing key is never overwritten. A partly written file is removed.
    """
    fd = os.open(path, _PRIVATE_FLAGS, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def missing_key_message(path: Path, alternative: str) -> str:
    """The start-up error for a key file absent outside development; ``alternative`` says
    how else to provide it (e.g. "point TUNDUK_CA_STATE_DIR at the operator's keys")."""
    return (
        f"The key file {path} is missing, and outside development keys are never created on"
        f" the fly. Run `{INIT_COMMAND}` to create the central server's keys, or {alternative}."
    )
