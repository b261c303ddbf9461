"""ASiC-E containers (ETSI EN 319 162-1): writing them, and reading hostile ones with bounds.

A container is a ZIP file whose first entry is ``mimetype``, stored uncompressed with no
extra field, holding exactly ``application/vnd.etsi.asic-e+zip``; ``META-INF/manifest.xml``
(the OpenDocument manifest ASiC-E uses) lists every other file with its media type.

Reading trusts nothing: the whole file, the number of entries and each entry's size are
bounded (sizes are checked while decompressing, not taken from the headers), names must
be plain relative paths (no ``..``, no absolute or backslash paths, no directories, no
duplicates), only stored and deflated entries are accepted, and the manifest must be
byte for byte the one :func:`render_manifest` writes for the files present, so no XML
from the container is ever parsed.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

__all__ = [
    "MANIFEST",
    "MIMETYPE",
    "MIMETYPE_NAME",
    "ContainerError",
    "ContainerLimits",
    "ManifestError",
    "read_asice",
    "render_manifest",
    "write_asice",
]

MIMETYPE = "application/vnd.etsi.asic-e+zip"
MIMETYPE_NAME = "mimetype"
MANIFEST = "META-INF/manifest.xml"
_MANIFEST_NS = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
# A name is one or more plain segments of these characters; nothing else is ever written.
_SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._=+-]{0,99}")
_MEDIA_TYPE = re.compile(r"[a-z]+/[a-z0-9.+-]+")
# Fixed DOS time so that the same evidence always yields the same bytes.
_DATE_TIME = (1980, 1, 1, 0, 0, 0)


class ContainerError(Exception):
    """The container is not a well-formed, bounded ASiC-E file; the message says why."""


class ManifestError(ContainerError):
    """The manifest is missing, does not list the container's files, or is not canonical."""


@dataclass(frozen=True)
class ContainerLimits:
    """Bounds on a container read from outside (defaults fit any one message's evidence)."""

    max_container_bytes: int = 64 * 1024 * 1024
    max_entries: int = 64
    max_entry_bytes: int = 24 * 1024 * 1024
    max_total_bytes: int = 64 * 1024 * 1024


def check_name(name: str) -> None:
    """Raise :class:`ContainerError` unless ``name`` is a plain relative file path."""
    segments = name.split("/")
    if len(segments) > 4 or not all(_SEGMENT.fullmatch(segment) for segment in segments):
        raise ContainerError(
            f"entry name {name!r} is not a plain relative path (no '..', no leading '/',"
            " no backslash, no directories, only letters, digits and . _ = + -)"
        )


def render_manifest(media_types: Mapping[str, str]) -> bytes:
    """Return the ASiC-E manifest listing each file name with its media type, sorted by name."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
        f'<manifest:manifest xmlns:manifest="{_MANIFEST_NS}" manifest:version="1.2">',
        f' <manifest:file-entry manifest:full-path="/" manifest:media-type="{MIMETYPE}"/>',
    ]
    for name in sorted(media_types):
        check_name(name)
        media_type = media_types[name]
        if not _MEDIA_TYPE.fullmatch(media_type):
            raise ContainerError(f"media type {media_type!r} of {name} is not a plain type")
        lines.append(
            f" <manifest:file-entry manifest:full-path={quoteattr(name)}"
            f" manifest:media-type={quoteattr(media_type)}/>"
        )
    lines.append("</manifest:manifest>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_asice(files: Sequence[tuple[str, str, bytes]]) -> bytes:
    """Return an ASiC-E container of ``files`` (name, media type, bytes) with its manifest."""
    names = [name for name, _, _ in files]
    if len(set(names)) != len(names) or {MIMETYPE_NAME, MANIFEST} & set(names):
        raise ContainerError("file names must be unique and not the container's own files")
    manifest = render_manifest({name: media_type for name, media_type, _ in files})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(_info(MIMETYPE_NAME, zipfile.ZIP_STORED), MIMETYPE.encode("ascii"))
        archive.writestr(_info(MANIFEST, zipfile.ZIP_DEFLATED), manifest)
        for name, _, data in sorted(files):
            archive.writestr(_info(name, zipfile.ZIP_DEFLATED), data)
    return buffer.getvalue()


def _info(name: str, compression: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_DATE_TIME)
    info.compress_type = compression
    info.external_attr = 0o644 << 16
    return info


def read_asice(
    data: bytes, limits: ContainerLimits | None = None
) -> tuple[dict[str, bytes], dict[str, str]]:
    """Read a hostile ASiC-E container; return its files and their media types by name.

    The ``mimetype`` and manifest entries are checked and not returned. Raises
    :class:`ContainerError` naming the first rule the container breaks.
    """
    limits = limits or ContainerLimits()
    if len(data) > limits.max_container_bytes:
        raise ContainerError(f"the container is larger than {limits.max_container_bytes} bytes")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise ContainerError(f"not a ZIP file: {error}") from None
    with archive:
        infos = _check_entries(archive.infolist(), limits)
        files = _read_entries(archive, infos, limits)
    _check_mimetype(infos[0], files.pop(MIMETYPE_NAME))
    manifest = files.pop(MANIFEST, None)
    if manifest is None:
        raise ManifestError(f"the container has no {MANIFEST}")
    media_types = _manifest_types(manifest, set(files))
    return files, media_types


def _check_entries(infos: list[zipfile.ZipInfo], limits: ContainerLimits) -> list[zipfile.ZipInfo]:
    if not infos:
        raise ContainerError("the container is empty")
    if len(infos) > limits.max_entries:
        raise ContainerError(f"the container has more than {limits.max_entries} entries")
    seen: set[str] = set()
    for info in infos:
        if info.filename in seen:
            raise ContainerError(f"the entry name {info.filename!r} occurs twice")
        seen.add(info.filename)
        if info.filename not in (MIMETYPE_NAME, MANIFEST):
            check_name(info.filename)
        if info.flag_bits & 0x1:
            raise ContainerError(f"the entry {info.filename} is encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ContainerError(f"the entry {info.filename} uses an unsupported compression")
    if infos[0].filename != MIMETYPE_NAME:
        raise ContainerError(f"the first entry is {infos[0].filename!r}, not {MIMETYPE_NAME!r}")
    return infos


def _read_entries(
    archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], limits: ContainerLimits
) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    total = 0
    for info in infos:
        budget = min(limits.max_entry_bytes, limits.max_total_bytes - total)
        try:
            with archive.open(info) as entry:
                content = entry.read(budget + 1)
        except (zipfile.BadZipFile, ValueError, OSError, EOFError) as error:
            raise ContainerError(f"the entry {info.filename} cannot be read: {error}") from None
        if len(content) > budget:
            raise ContainerError(
                f"the entry {info.filename} unpacks to more than {budget} bytes"
                f" (each entry at most {limits.max_entry_bytes}, all together at most"
                f" {limits.max_total_bytes})"
            )
        total += len(content)
        files[info.filename] = content
    return files


def _check_mimetype(info: zipfile.ZipInfo, content: bytes) -> None:
    if info.compress_type != zipfile.ZIP_STORED or info.extra:
        raise ContainerError("the mimetype entry must be stored uncompressed, without extras")
    if content != MIMETYPE.encode("ascii"):
        raise ContainerError(f"the mimetype entry does not read {MIMETYPE!r}")


def _manifest_types(manifest: bytes, names: set[str]) -> dict[str, str]:
    """The media types of the manifest, which must be exactly the one written for ``names``."""
    types = _scan_manifest(manifest)
    if set(types) != names:
        missing = sorted(names - set(types))
        extra = sorted(set(types) - names)
        raise ManifestError(
            f"{MANIFEST} does not list the container's files"
            f" (not listed: {missing or 'none'}; listed but absent: {extra or 'none'})"
        )
    if render_manifest(types) != manifest:
        raise ManifestError(f"{MANIFEST} is not in the canonical form (a byte was changed)")
    return types


_ENTRY = re.compile(
    rb' <manifest:file-entry manifest:full-path="([^"<>&]{1,400})"'
    rb' manifest:media-type="([a-z0-9./+-]{1,100})"/>'
)


def _scan_manifest(manifest: bytes) -> dict[str, str]:
    """Pick the file entries out of a manifest by pattern, never by an XML parser."""
    types: dict[str, str] = {}
    for match in _ENTRY.finditer(manifest):
        name = match.group(1).decode("ascii", "replace")
        if name == "/":
            continue
        if name in types:
            raise ManifestError(f"{MANIFEST} lists {name!r} twice")
        types[name] = match.group(2).decode("ascii")
    return types
