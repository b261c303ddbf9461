"""Any changed byte of any file in the container fails verification, naming the check."""

from __future__ import annotations

import io
import random
import zipfile

import pytest

from tunduk.gateway._asice import MANIFEST, write_asice
from tunduk.gateway._evidence_index import INDEX, encode_index, media_type_of
from tunduk.gateway.evidence import Check, EvidenceError, verify_evidence

from ._evidence_helpers import Case, World, make_case, make_world


@pytest.fixture(scope="module")
def world() -> World:
    return make_world()


@pytest.fixture(scope="module")
def case(world: World) -> Case:
    return make_case(world)


def entries(container: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(container)) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def rezip(items: list[tuple[str, bytes]]) -> bytes:
    """A ZIP of exactly these entries, ``mimetype`` stored as ASiC-E wants it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in items:
            method = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return buffer.getvalue()


def positions(data: bytes) -> list[int]:
    """First, middle, last and five more positions of ``data`` (fixed seed); none if empty."""
    if not data:
        return []
    chosen = {0, len(data) // 2, len(data) - 1}
    chosen |= set(random.Random(len(data)).sample(range(len(data)), min(5, len(data))))
    return sorted(chosen)


def flipped(data: bytes, position: int, mask: int = 0x01) -> bytes:
    return data[:position] + bytes([data[position] ^ mask]) + data[position + 1 :]


def failure(container: bytes, case: Case) -> EvidenceError:
    with pytest.raises(EvidenceError) as raised:
        verify_evidence(container, case.world.anchor)
    return raised.value


def test_every_byte_flip_in_every_file_fails(case: Case):
    """Issue 9 §5: flipping a byte of any file in the container (zip rebuilt) fails, named."""
    original = entries(case.container())
    tried = 0
    for number, (name, data) in enumerate(original):
        for position in positions(data):
            for mask in (0x01, 0x20):
                items = list(original)
                items[number] = (name, flipped(data, position, mask))
                error = failure(rezip(items), case)
                assert str(error).startswith(f"{error.check} check failed: "), (name, position)
                tried += 1
    assert tried > 250


def test_byte_flips_with_a_rebuilt_index_fail_at_the_check_that_covers_the_file(case: Case):
    """An attacker who also rebuilds the index and manifest is caught by the file's own check."""
    files = {name: data for name, data in entries(case.container())}
    for name in ("mimetype", MANIFEST, INDEX):
        files.pop(name)
    message_id = case.gathered.message_id
    seen: dict[str, set[Check]] = {}
    for name, data in sorted(files.items()):
        for position in positions(data):
            for mask in (0x01, 0x20):
                changed = dict(files, **{name: flipped(data, position, mask)})
                changed[INDEX] = encode_index(message_id, changed)
                listed = [(n, media_type_of(n) or "", d) for n, d in changed.items()]
                error = failure(write_asice(listed), case)
                assert error.check not in (Check.INDEX, Check.MANIFEST, Check.CONTAINER), (
                    name,
                    position,
                    str(error),
                )
                seen.setdefault(name, set()).add(error.check)
    assert seen["request/proof.tlog"] <= {Check.INCLUSION, Check.CHECKPOINT, Check.COSIGNATURES}
    assert seen["journal/checkpoint.tsr"] == {Check.TIMESTAMP}
    assert seen["configuration/configuration.json"] == {Check.CONFIGURATION}
    assert seen["response/body"] <= {Check.DIGESTS, Check.COMMITMENTS}
