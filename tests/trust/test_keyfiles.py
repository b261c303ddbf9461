"""Private key files: owner-only from the first byte, never written into a file that already exists."""

from __future__ import annotations

import pytest

from tests.trust.opens import assert_born_private, recorded_opens
from tunduk.trust import CertificateAuthority, TimeStampAuthority
from tunduk.trust.keyfiles import write_private


def test_private_file_is_owner_only_from_creation(tmp_path):
    """Issue 7 (3): a key file is created 0600 in one exclusive open, even under umask 0."""
    path = tmp_path / "signer-key.pem"
    with recorded_opens() as opened:
        write_private(path, b"secret")
    assert_born_private(opened, path)
    assert path.read_bytes() == b"secret"


def test_planted_world_readable_file_is_not_filled_with_a_key(tmp_path):
    """Issue 7 (3): a file planted at the key's path (readable by others) is refused, not reused."""
    path = tmp_path / "ca-key.pem"
    path.write_bytes(b"")
    path.chmod(0o644)
    with pytest.raises(FileExistsError):
        write_private(path, b"secret")
    assert path.read_bytes() == b""


def test_planted_symlink_is_not_followed(tmp_path):
    """Issue 7 (3): a symlink planted at the key's path does not redirect the key elsewhere."""
    target = tmp_path / "attacker-readable"
    (tmp_path / "tsa-key.pem").symlink_to(target)
    with pytest.raises(FileExistsError):
        write_private(tmp_path / "tsa-key.pem", b"secret")
    assert not target.exists()


def test_saved_ca_and_tsa_keys_are_born_private(tmp_path):
    """Issue 7 (3): the development CA and TSA write their keys owner-only from the first byte."""
    with recorded_opens() as opened:
        CertificateAuthority.create("Test CA").save(tmp_path / "ca")
        TimeStampAuthority.load_or_create(tmp_path / "tsa")
    assert_born_private(opened, tmp_path / "ca" / "ca-key.pem")
    assert_born_private(opened, tmp_path / "tsa" / "tsa-key.pem")
    assert_born_private(opened, tmp_path / "tsa" / "ca-key.pem")
