"""Attachments: allowed types by content, the size limit, and nothing half-stored."""

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from accord.core.models import Deletion
from accord.core.services import restore_deletion
from accord.core.tests import sample_files
from accord.meetings import selectors, services
from accord.meetings.models import Attachment


def docx_bytes() -> bytes:
    return sample_files.docx_bytes("Brief")


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    workbook = Workbook()
    workbook.active["A1"] = "Action"
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.exe", "MZ")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def fresh_storage(settings):
    """An empty in-memory storage for each test (the storage outlives the rolled-back rows)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


PDF = sample_files.pdf_bytes("Minutes")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def stored_files(meeting) -> list[str]:
    folder = f"meetings/{meeting.pk}"
    try:
        return default_storage.listdir(folder)[1]
    except FileNotFoundError:
        return []


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("Minutes.pdf", PDF, "application/pdf"),
        (
            "Brief.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "Actions.xlsx",
            xlsx_bytes(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("Notes.txt", "Notes in Kyiv — Київ".encode(), "text/plain"),
        ("Notes.MD", b"# Minutes\n\n- one\n", "text/markdown"),
        ("List.csv", b"name,organization\nUna,UN\n", "text/csv"),
        ("Photo.png", PNG, "image/png"),
        ("Photo.jpeg", JPEG, "image/jpeg"),
    ],
)
def test_allowed_files_are_stored_with_their_real_type(world, mw, name, content, content_type):
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    attachment = services.attachment_create(
        actor=world.users.editor, meeting=mw.public, file=upload
    )
    assert attachment.content_type == content_type
    assert attachment.size == len(content)
    assert attachment.original_name == name[: name.rindex(".")] + name[name.rindex(".") :].lower()
    assert attachment.uploaded_by == world.users.editor
    assert attachment.file.name.startswith(f"meetings/{mw.public.pk}/")
    with default_storage.open(attachment.file.name) as stored:
        assert stored.read() == content
    assert attachment.history.get().history_user == world.users.editor


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("Minutes.pdf", PNG, "is not a PDF file"),  # a picture renamed .pdf
        ("Photo.png", PDF, "is not a PNG file"),
        ("Brief.docx", xlsx_bytes(), "is not a Word file"),
        ("Brief.docx", zip_bytes(), "is not a Word file"),
        ("Notes.txt", b"MZ\x90\x00\x03\x00\x00\x00", "is not a text file"),  # a program
        ("Notes.txt", b"\xff\xfe\x00a", "is not a text file"),  # not UTF-8
        ("Tool.exe", b"MZ\x90\x00", "cannot be attached"),
        ("Old.doc", b"\xd0\xcf\x11\xe0", "cannot be attached"),
        ("page.html", b"<script>alert(1)</script>", "cannot be attached"),
        ("no-extension", b"text", "cannot be attached"),
        ("Empty.txt", b"", "is empty"),
    ],
)
def test_other_files_are_refused_and_nothing_is_stored(world, mw, name, content, reason):
    upload = SimpleUploadedFile(name, content)
    with pytest.raises(ValidationError) as caught:
        services.attachment_create(actor=world.users.editor, meeting=mw.public, file=upload)
    assert reason in " ".join(caught.value.message_dict["file"])
    assert not Attachment.objects.exists()
    assert stored_files(mw.public) == []


def test_the_size_limit_is_a_setting(world, mw, settings):
    settings.ACCORD_ATTACHMENT_MAX_BYTES = 1000
    services.attachment_create(
        actor=None, meeting=mw.public, file=ContentFile(b"a" * 1000, name="fits.txt")
    )
    with pytest.raises(ValidationError, match="at most"):
        services.attachment_create(
            actor=None, meeting=mw.public, file=ContentFile(b"a" * 1001, name="big.txt")
        )
    assert list(Attachment.objects.values_list("original_name", flat=True)) == ["fits.txt"]
    assert stored_files(mw.public) == ["fits.txt"]


def test_a_failed_save_leaves_no_file_behind(world, mw, monkeypatch):
    from accord.core import services as core

    def refuse(*args, **kwargs):
        raise ValidationError({"meeting": "The database refused it."})

    monkeypatch.setattr(core, "create", refuse)
    with pytest.raises(ValidationError):
        services.attachment_create(
            actor=None, meeting=mw.public, file=ContentFile(PDF, name="Minutes.pdf")
        )
    assert stored_files(mw.public) == []
    assert not Attachment.objects.exists()


def test_a_name_loses_its_folders_and_control_characters(world, mw):
    attachment = services.attachment_create(
        actor=None,
        meeting=mw.public,
        file=ContentFile(PDF),
        name="../../etc/Min\x07utes.PDF",
    )
    assert attachment.original_name == "Minutes.pdf"
    assert attachment.file.name == f"meetings/{mw.public.pk}/Minutes.pdf"
    again = services.attachment_create(
        actor=None, meeting=mw.public, file=ContentFile(PDF), name="Minutes.pdf"
    )
    assert again.file.name != attachment.file.name  # the storage keeps both


def test_only_editors_attach(world, mw):
    for role in ("viewer", "partner"):
        with pytest.raises(PermissionDenied):
            services.attachment_create(
                actor=getattr(world.users, role),
                meeting=mw.public,
                file=ContentFile(PDF, name="x.pdf"),
            )
    assert stored_files(mw.public) == []


def test_attachments_follow_their_meeting(world, mw, client_for):
    public = services.attachment_create(
        actor=None, meeting=mw.public, file=ContentFile(PDF, name="Public.pdf")
    )
    hidden = services.attachment_create(
        actor=None, meeting=mw.restricted, file=ContentFile(PDF, name="RESTRICTED-FILE.pdf")
    )
    viewer = world.users.viewer
    assert selectors.attachment_get(viewer, public.pk) == public
    with pytest.raises(Exception) as caught:
        selectors.attachment_get(viewer, hidden.pk)
    assert caught.type.__name__ == "Http404"
    body = client_for(viewer).get(f"/api/v1/meetings/{mw.public.pk}").json()
    assert [a["name"] for a in body["attachments"]] == ["Public.pdf"]


def test_a_deleted_attachment_comes_back_with_its_file(world, mw):
    attachment = services.attachment_create(
        actor=None, meeting=mw.public, file=ContentFile(PDF, name="Keep.pdf")
    )
    deletion = services.attachment_delete(actor=world.users.editor, attachment=attachment)
    assert not Attachment.objects.exists()
    restore_deletion(Deletion.objects.get(pk=deletion.pk), actor=world.users.editor)
    restored = Attachment.objects.get()
    with default_storage.open(restored.file.name) as stored:
        assert stored.read() == PDF
