"""The text of an uploaded file, for the search: PDF (pypdf), Word .docx (python-docx) and
UTF-8 text.

Other kinds (pictures, spreadsheets) have no text to find them by and give "". A file that
claims to be a PDF or a Word document but cannot be read raises a ValidationError on "file"
that names the file and says what to do, so that the upload is refused rather than stored
without its text. An encrypted PDF is read only if it opens without a password (a PDF
"protected" against editing or printing alone); one that needs a password to open is
refused. At most TEXT_MAX characters are kept; control characters (NUL among them) become
spaces, as the database and the search want them.
"""

from __future__ import annotations

import logging
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT = frozenset({"text/plain", "text/markdown", "text/csv"})
# Kinds are also named by the labels of accord/meetings/files.py.
LABELS = {"pdf": PDF, "word": DOCX, "docx": DOCX, "text": "text/plain"}
# One million characters: some 400 pages of dense text, far more than a search needs.
TEXT_MAX = 1_000_000
# What of a record's files goes into its search entry: PostgreSQL's tsvector holds at most
# 1 MB, which a text of unique words (codes, a list of hashes) passes long before 1,000,000
# characters.
SEARCH_TEXT_MAX = 300_000
# Control characters but tab and line breaks (as the models allow them in text).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
BLANK_LINES = re.compile(r"\n{3,}")


def clean(text: str) -> str:
    """`text` without control characters, runs of blank lines, and beyond TEXT_MAX."""
    text = CONTROL.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    return BLANK_LINES.sub("\n\n", text).strip()[:TEXT_MAX]


def _refuse(message: str) -> ValidationError:
    return ValidationError({"file": message})


def _pdf_text(file, name: str) -> str:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    unreadable = _(
        "“%(name)s” could not be read as a PDF file: it is damaged or incomplete. Save it again "
        "from the program that made it and upload it again."
    )
    try:
        reader = PdfReader(file, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise FileNotDecryptedError
        parts, size = [], 0
        for page in reader.pages:
            text = page.extract_text() or ""
            parts.append(text)
            size += len(text)
            if size >= TEXT_MAX:
                break
    except (FileNotDecryptedError, DependencyError):
        # DependencyError: an encryption (AES) pypdf reads only with `cryptography` installed.
        raise _refuse(
            _(
                "“%(name)s” is encrypted: remove its password (or its protection) and "
                "upload it again."
            )
            % {"name": name}
        ) from None
    except Exception as exc:
        # A damaged file can fail anywhere in the parser (KeyError, ValueError, …): the upload
        # is refused; the log keeps the detail, in the parser's words.
        logger.info("PDF %r not readable: %r", name, exc)
        raise _refuse(unreadable % {"name": name}) from None
    return "\n\n".join(parts)


def _docx_text(file, name: str) -> str:
    from docx import Document

    try:
        document = Document(file)
        parts, size = [], 0
        for paragraph in document.paragraphs:
            parts.append(paragraph.text)
            size += len(paragraph.text)
        for table in document.tables:
            for row in table.rows:
                cells = []
                for cell in row.cells:
                    # A merged cell is given once for every column it spans.
                    if not cells or cells[-1] != cell.text:
                        cells.append(cell.text)
                parts.append("\t".join(cells))
                size += len(parts[-1])
                if size >= TEXT_MAX:
                    break
    except Exception as exc:
        logger.info("Word file %r not readable: %r", name, exc)
        raise _refuse(
            _("“%(name)s” could not be read as a Word document: it is damaged or not a .docx file.")
            % {"name": name}
        ) from None
    return "\n".join(parts)


def _plain_text(file) -> str:
    # Read no more than the characters kept (UTF-8 takes at most 4 bytes a character).
    data = file.read(TEXT_MAX * 4)
    return data.decode("utf-8-sig", errors="replace")


def extract_text(file, kind: str, *, name: str = "") -> str:
    """The text of `file` (a Django File or any binary file object), by its kind: a content
    type ("application/pdf") or a label ("PDF", "Word", "text"). "" for kinds without text.

    Raises ValidationError({"file": ...}) when a PDF or Word file cannot be read."""
    kind = LABELS.get(str(kind).lower(), str(kind).lower())
    name = name or getattr(file, "name", "") or _("The file")
    file.seek(0)
    try:
        if kind == PDF:
            text = _pdf_text(file, name)
        elif kind == DOCX:
            text = _docx_text(file, name)
        elif kind in TEXT:
            text = _plain_text(file)
        else:
            text = ""
    finally:
        file.seek(0)
    return clean(text)


def for_search(files) -> list[str]:
    """ "name: text" of each file (objects with `original_name` and `text`), together at most
    SEARCH_TEXT_MAX characters: what a record's search entry says of its files."""
    parts, left = [], SEARCH_TEXT_MAX
    for file in files:
        part = f"{file.original_name}: {file.text}"[: max(left, len(file.original_name))]
        parts.append(part)
        left -= len(part)
    return parts
