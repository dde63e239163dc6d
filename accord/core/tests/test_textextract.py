"""The text of uploaded files: PDF, Word and text read; damaged and encrypted files refused
with a message that names the file and says what to do."""

import io

import pytest
from django.core.exceptions import ValidationError

from accord.core import textextract
from accord.core.tests import sample_files
from accord.core.textextract import extract_text

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def refusal(content: bytes, kind: str, name: str) -> str:
    with pytest.raises(ValidationError) as caught:
        extract_text(io.BytesIO(content), kind, name=name)
    [message] = caught.value.message_dict["file"]
    return message


def test_a_pdfs_text_is_read_page_by_page():
    content = sample_files.pdf_bytes("Early warning (Vienna)", "Second page: mediation")
    text = extract_text(io.BytesIO(content), "application/pdf", name="report.pdf")
    assert "Early warning (Vienna)" in text
    assert "Second page: mediation" in text
    assert text.index("Early warning") < text.index("Second page")


def test_a_kind_may_be_named_by_its_label():
    content = sample_files.pdf_bytes("By label")
    assert extract_text(io.BytesIO(content), "PDF", name="a.pdf") == "By label"


def test_a_word_documents_paragraphs_and_table_cells_are_read():
    content = sample_files.docx_bytes(
        "Lessons learned", "Second paragraph", table=[["Country", "Observers"], ["Moldova", "40"]]
    )
    text = extract_text(io.BytesIO(content), DOCX, name="lessons.docx")
    for words in ("Lessons learned", "Second paragraph", "Country", "Observers", "Moldova", "40"):
        assert words in text


@pytest.mark.parametrize("kind", ["text/plain", "text/markdown", "text/csv"])
def test_text_files_are_read_as_utf8_without_control_characters(kind):
    content = "\ufeffKyiv — Київ\x00 and\x07 a bell\r\nnext line".encode()
    text = extract_text(io.BytesIO(content), kind, name="notes.txt")
    assert text == "Kyiv — Київ  and  a bell\nnext line"


@pytest.mark.parametrize("kind", ["image/png", "image/jpeg", "application/zip"])
def test_kinds_without_text_give_none(kind):
    assert extract_text(io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\x00" * 16), kind) == ""


def test_an_encrypted_pdf_is_refused_with_what_to_do():
    message = refusal(sample_files.encrypted_pdf_bytes(), "application/pdf", "report.pdf")
    assert message == (
        "“report.pdf” is encrypted: remove its password (or its protection) and upload it again."
    )


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-256"])
def test_a_pdf_that_opens_without_a_password_is_read(algorithm):
    # Protected against editing only: any reader opens it, and so does the search.
    content = sample_files.encrypted_pdf_bytes(
        "Protected but open", user_password="", algorithm=algorithm
    )
    assert extract_text(io.BytesIO(content), "application/pdf", name="open.pdf") == (
        "Protected but open"
    )


def test_an_aes_encrypted_pdf_with_a_password_is_refused():
    content = sample_files.encrypted_pdf_bytes(algorithm="AES-256")
    assert refusal(content, "application/pdf", "report.pdf").startswith("“report.pdf” is encrypted")


@pytest.mark.parametrize(
    "content",
    [sample_files.broken_pdf_bytes(), b"%PDF-1.4 nothing else", b"%PDF-1.7\ntrailer\n%%EOF\n"],
)
def test_a_damaged_pdf_is_refused(content):
    message = refusal(content, "application/pdf", "report.pdf")
    assert message.startswith("“report.pdf” could not be read as a PDF file: it is damaged")


def test_a_damaged_word_document_is_refused():
    message = refusal(sample_files.broken_docx_bytes(), DOCX, "brief.docx")
    assert message == (
        "“brief.docx” could not be read as a Word document: it is damaged or not a .docx file."
    )


def test_the_kept_text_is_capped(monkeypatch):
    monkeypatch.setattr(textextract, "TEXT_MAX", 1000)
    text = extract_text(io.BytesIO(b"word " * 1000), "text/plain", name="long.txt")
    assert len(text) == 1000


def test_the_search_gets_names_and_texts_within_its_budget(monkeypatch):
    class File:
        def __init__(self, name, text):
            self.original_name, self.text = name, text

    assert textextract.for_search([File("a.pdf", "alpha"), File("b.txt", "beta")]) == [
        "a.pdf: alpha",
        "b.txt: beta",
    ]
    monkeypatch.setattr(textextract, "SEARCH_TEXT_MAX", 20)
    parts = textextract.for_search([File("a.pdf", "x" * 50), File("b.txt", "beta")])
    # The first file fills the budget; the next one is still found by its name.
    assert parts == ["a.pdf: " + "x" * 13, "b.txt"]
