"""What an uploaded attachment really is, read from its bytes, not from its name.

Allowed: PDF, Word (.docx), Excel (.xlsx), plain text, Markdown, CSV, PNG and JPEG. The name's
extension must agree with the content: a PDF renamed .png, a program renamed .pdf, or an old
binary .doc are refused. Office files are ZIP archives; they are told apart by the part that
holds the document (word/document.xml, xl/workbook.xml). Text must be UTF-8 without NUL bytes.
"""

from __future__ import annotations

import codecs
import os
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from accord.core.models import CONTROL_IN_LINE


@dataclass(frozen=True)
class Kind:
    label: str
    content_type: str
    extensions: tuple[str, ...]


PDF = Kind("PDF", "application/pdf", (".pdf",))
DOCX = Kind(
    "Word",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
)
XLSX = Kind(
    "Excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    (".xlsx",),
)
PNG = Kind("PNG", "image/png", (".png",))
JPEG = Kind("JPEG", "image/jpeg", (".jpg", ".jpeg"))
TEXT = Kind("text", "text/plain", (".txt",))
MARKDOWN = Kind("Markdown", "text/markdown", (".md", ".markdown"))
CSV = Kind("CSV", "text/csv", (".csv",))
KINDS = (PDF, DOCX, XLSX, PNG, JPEG, TEXT, MARKDOWN, CSV)
TEXT_KINDS = (TEXT, MARKDOWN, CSV)
EXTENSIONS = {ext: kind for kind in KINDS for ext in kind.extensions}
NAME_MAX = 200
CHUNK = 64 * 1024


def allowed_extensions() -> str:
    return ", ".join(sorted(EXTENSIONS))


def clean_name(name: str) -> str:
    """The file's own name, without folders or control characters, at most 200 characters."""
    base = os.path.basename(str(name or "").replace("\\", "/")).strip()
    base = CONTROL_IN_LINE.sub("", base).strip(". ")
    if not base:
        raise ValidationError({"file": _("The file has no name.")})
    stem, ext = os.path.splitext(base)
    return stem[: NAME_MAX - len(ext)] + ext.lower()


def _head(file, size: int = 8) -> bytes:
    file.seek(0)
    head = file.read(size)
    file.seek(0)
    return head


def _zip_kind(file) -> Kind | None:
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    finally:
        file.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def _is_utf8_text(file) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    file.seek(0)
    try:
        while chunk := file.read(CHUNK):
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        file.seek(0)
    return True


def sniff(file, name: str) -> Kind:
    """The kind of `file` from its content, checked against its name; a ValidationError if
    it is not allowed or they disagree."""
    ext = os.path.splitext(name)[1].lower()
    claimed = EXTENSIONS.get(ext)
    if claimed is None:
        raise ValidationError(
            {
                "file": _("Files of this type cannot be attached; allowed: %(types)s.")
                % {"types": allowed_extensions()}
            }
        )
    head = _head(file)
    if head.startswith(b"%PDF-"):
        found = PDF
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        found = PNG
    elif head.startswith(b"\xff\xd8\xff"):
        found = JPEG
    elif head.startswith(b"PK\x03\x04"):
        found = _zip_kind(file)
    elif claimed in TEXT_KINDS and _is_utf8_text(file):
        found = claimed  # text is text: its name says which kind
    else:
        found = None
    if found is None or found is not claimed:
        raise ValidationError(
            {
                "file": _("The content of “%(name)s” is not a %(kind)s file.")
                % {"name": name, "kind": claimed.label}
            }
        )
    return found


MB = 1_048_576


def max_bytes() -> int:
    """The largest file that may be attached (ACCORD_ATTACHMENT_MAX_BYTES, 20 MB by default)."""
    return int(getattr(settings, "ACCORD_ATTACHMENT_MAX_BYTES", 20 * MB))


def checked_size(file) -> int:
    """The file's size in bytes; a ValidationError if it is empty or over the limit."""
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
        file.seek(0)
    size, limit = int(size), max_bytes()
    if size > limit:
        raise ValidationError(
            {
                "file": _("The file is %(size)s MB; at most %(limit)s MB may be attached.")
                % {"size": round(size / MB, 1), "limit": round(limit / MB, 1)}
            }
        )
    if size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    return size


def store(file, path: str, *, max_length: int, create):
    """Save `file` under `path`, then `create(stored_name)`; if that fails, the stored file is
    deleted again, so that nothing is left half-stored."""
    file.seek(0)
    stored = default_storage.save(path, file, max_length=max_length)
    try:
        return create(stored)
    except BaseException:
        default_storage.delete(stored)
        raise
