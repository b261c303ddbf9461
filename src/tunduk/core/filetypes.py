"""The file types accepted as documents, told by their leading bytes, and how they are served.

An upload is accepted only when its extension is one of ``DOCUMENT_TYPES`` and its
content starts with that type's signature; the media type stored and sent back is the
one of the detected type, never what the uploader's browser claimed. Downloads detect
the type again from the stored bytes, so a row written before this rule existed cannot
make the site serve HTML, and always go out as attachments with ``nosniff``.
"""

from __future__ import annotations

from typing import IO, NamedTuple

from django.http import FileResponse

__all__ = ["DOCUMENT_TYPES", "OPAQUE", "FileType", "detect", "document_response"]

OPAQUE = "application/octet-stream"
# Longest signature of ``DOCUMENT_TYPES``, rounded up: the bytes read to detect a type.
HEAD_BYTES = 16


class FileType(NamedTuple):
    """An accepted document format: the bytes it starts with and its media type."""

    signatures: tuple[bytes, ...]
    media_type: str


_ZIP = (b"PK\x03\x04",)
DOCUMENT_TYPES: dict[str, FileType] = {
    ".pdf": FileType((b"%PDF-",), "application/pdf"),
    ".png": FileType((b"\x89PNG\r\n\x1a\n",), "image/png"),
    ".jpg": FileType((b"\xff\xd8\xff",), "image/jpeg"),
    ".jpeg": FileType((b"\xff\xd8\xff",), "image/jpeg"),
    ".docx": FileType(
        _ZIP, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    ".xlsx": FileType(_ZIP, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".odt": FileType(_ZIP, "application/vnd.oasis.opendocument.text"),
    ".ods": FileType(_ZIP, "application/vnd.oasis.opendocument.spreadsheet"),
}


def extension(name: str) -> str:
    """The lower-case extension of a file name with its dot, or ``""``."""
    name = name.lower()
    return name[name.rfind(".") :] if "." in name else ""


def detect(name: str, head: bytes) -> str | None:
    """The media type of a file called ``name`` starting with ``head``; None if not accepted."""
    file_type = DOCUMENT_TYPES.get(extension(name))
    if file_type is None or not head.startswith(file_type.signatures):
        return None
    return file_type.media_type


def document_response(file: IO[bytes], filename: str) -> FileResponse:
    """A download of a stored document as an attachment of its detected type, with nosniff."""
    head = file.read(HEAD_BYTES)
    file.seek(0)
    response = FileResponse(
        file,
        as_attachment=True,
        filename=filename,
        content_type=detect(filename, head) or OPAQUE,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
