"""The ASiC-E container: its fixed form, and the bounds on reading one from outside."""

from __future__ import annotations

import io
import zipfile

import pytest

from tunduk.gateway._asice import (
    MANIFEST,
    MIMETYPE,
    ContainerError,
    ContainerLimits,
    read_asice,
    render_manifest,
    write_asice,
)

FILES = [
    ("request/body", "application/octet-stream", b'{"pin": "22001199000123"}'),
    ("request/leaf.json", "application/json", b'{"kind":"request"}'),
]


def zip_of(entries: list[tuple[str, bytes]], *, first_compressed: bool = False) -> bytes:
    """A ZIP with exactly these entries in this order (the first stored unless told)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for number, (name, data) in enumerate(entries):
            stored = number == 0 and not first_compressed
            method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return buffer.getvalue()


def valid_entries(files=FILES) -> list[tuple[str, bytes]]:
    manifest = render_manifest({name: media for name, media, _ in files})
    return [("mimetype", MIMETYPE.encode()), (MANIFEST, manifest)] + [
        (name, data) for name, _, data in files
    ]


def refusal(data: bytes, limits: ContainerLimits | None = None) -> str:
    with pytest.raises(ContainerError) as raised:
        read_asice(data, limits)
    return str(raised.value)


def test_written_container_has_stored_mimetype_first():
    """ASiC-E (EN 319 162-1 §A.1): mimetype is the first entry, stored, no extra field."""
    data = write_asice(FILES)

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype"
        assert first.compress_type == zipfile.ZIP_STORED
        assert first.extra == b""
        assert archive.read(first) == b"application/vnd.etsi.asic-e+zip"
    # An ASiC reader finds the media type at offset 38 without unzipping.
    assert data[30:38] == b"mimetype" and data[38:69] == MIMETYPE.encode()


def test_written_container_reads_back_with_manifest_types():
    """Every file comes back with the media type the manifest lists for it."""
    files, types = read_asice(write_asice(FILES))

    assert files == {name: data for name, _, data in FILES}
    assert types == {name: media for name, media, _ in FILES}


def test_manifest_lists_every_file_with_its_media_type():
    """EN 319 162-1 §A.7: META-INF/manifest.xml names each file and its media type."""
    with zipfile.ZipFile(io.BytesIO(write_asice(FILES))) as archive:
        manifest = archive.read(MANIFEST).decode()
    assert 'manifest:full-path="/" manifest:media-type="application/vnd.etsi.asic-e+zip"' in (
        manifest
    )
    assert 'full-path="request/body" manifest:media-type="application/octet-stream"' in manifest


def test_the_same_files_give_the_same_bytes():
    """Export is reproducible: no time or order from the machine enters the container."""
    assert write_asice(FILES) == write_asice(list(reversed(FILES)))


@pytest.mark.parametrize(
    "name",
    ["../etc/passwd", "/etc/passwd", "request/../../x", "request\\body", "a//b", "request/", ".x"],
)
def test_path_traversal_names_are_refused(name):
    """Hostile input: an entry name that could escape a directory is refused."""
    entries = [*valid_entries(), (name, b"x")]

    assert "plain relative path" in refusal(zip_of(entries))


@pytest.mark.filterwarnings("ignore:Duplicate name")  # the attacker's ZIP is built on purpose
def test_duplicate_names_are_refused():
    """Hostile input: two entries of one name (which one would a reader take?) are refused."""
    entries = [*valid_entries(), ("request/body", b"other")]

    assert "occurs twice" in refusal(zip_of(entries))


def test_too_many_entries_are_refused():
    """Hostile input: more entries than any evidence has are refused before reading them."""
    entries = valid_entries() + [(f"request/x{n}", b"") for n in range(70)]

    assert "more than 64 entries" in refusal(zip_of(entries))


def test_zip_bomb_is_refused_while_unpacking():
    """Hostile input: an entry that inflates past the bound is cut off, not unpacked."""
    entries = [*valid_entries(), ("request/salt", b"\x00" * (2 * 1024 * 1024))]
    data = zip_of(entries)
    assert len(data) < 10_000

    message = refusal(data, ContainerLimits(max_entry_bytes=1024 * 1024))
    assert "unpacks to more than 1048576 bytes" in message


def test_mimetype_must_come_first():
    """EN 319 162-1: a container whose first entry is not mimetype is not ASiC-E."""
    entries = valid_entries()
    entries[0], entries[1] = entries[1], entries[0]

    assert "first entry" in refusal(zip_of(entries, first_compressed=True))


def test_compressed_mimetype_is_refused():
    """EN 319 162-1: the mimetype entry must be stored, not compressed."""
    assert "stored uncompressed" in refusal(zip_of(valid_entries(), first_compressed=True))


def test_wrong_mimetype_is_refused():
    """A container that says it is another kind of ZIP is refused."""
    entries = valid_entries()
    entries[0] = ("mimetype", b"application/vnd.etsi.asic-s+zip")

    assert "does not read" in refusal(zip_of(entries))


def test_file_missing_from_manifest_is_refused():
    """Every file must be in the manifest: an unlisted file cannot be slipped in."""
    entries = [*valid_entries(), ("request/salt", b"salt")]

    assert "not listed: ['request/salt']" in refusal(zip_of(entries))


def test_changed_manifest_byte_is_refused():
    """The manifest must be the canonical one, so even a changed space is noticed."""
    entries = valid_entries()
    manifest = entries[1][1].replace(b"1.2", b"1.3")
    entries[1] = (MANIFEST, manifest)

    assert "canonical form" in refusal(zip_of(entries))


def test_not_a_zip_is_refused():
    """Hostile input: arbitrary bytes are refused with a message, not an exception trace."""
    assert "not a ZIP file" in refusal(b"PK\x03\x04 definitely not a zip")


def test_oversized_container_is_refused_before_parsing():
    """Hostile input: a file over the container bound is refused unread."""
    assert "larger than" in refusal(b"x" * 2048, ContainerLimits(max_container_bytes=1024))
