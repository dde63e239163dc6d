"""Files of practices, requests and framework documents: their text found by the search, only
by those who see the record; unreadable files refused with nothing half-stored; pages and API
through the policy."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accord.core.models import Deletion
from accord.core.services import restore_deletion
from accord.core.tests import sample_files
from accord.knowledge import services
from accord.knowledge.models import RecordAttachment
from accord.knowledge.services_attachments import record_attachment_create as attach
from accord.knowledge.services_attachments import record_attachment_delete
from accord.search import index
from accord.search.models import SearchEntry
from accord.search.selectors import Filters, search

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(autouse=True)
def fresh_storage(settings):
    """An empty in-memory storage for each test (the storage outlives the rolled-back rows)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


def found(user, text, **filters):
    return [(hit.kind, hit.id) for hit in search(user, text, filters=Filters(**filters)).hits]


def pdf(name, *pages):
    return ContentFile(sample_files.pdf_bytes(*pages), name=name)


def stored_files() -> list[str]:
    """Every file in the storage, under knowledge/."""
    names, folders = [], ["knowledge"]
    while folders:
        folder = folders.pop()
        try:
            subfolders, files = default_storage.listdir(folder)
        except FileNotFoundError:
            continue
        folders += [f"{folder}/{sub}" for sub in subfolders]
        names += [f"{folder}/{name}" for name in files]
    return names


def index_state():
    return sorted(SearchEntry.objects.values_list("kind", "object_id", "title", "body"))


# ---------------------------------------------------------------- the search


def test_a_practice_is_found_by_a_word_only_in_its_pdf_until_the_file_is_deleted(world, kw):
    editor = world.users.editor
    assert found(editor, "zanzibarite") == []
    attachment = attach(
        actor=editor, record=kw.public, file=pdf("Field report.pdf", "Zanzibarite mediation")
    )
    assert attachment.text == "Zanzibarite mediation"
    assert attachment.content_type == "application/pdf"
    assert found(world.users.viewer, "zanzibarite") == [("practice", kw.public.pk)]
    # By the file's name too, and the snippet shows where.
    [hit] = search(world.users.viewer, "zanzibarite").hits
    assert "Field report.pdf" in hit.snippet
    record_attachment_delete(actor=editor, attachment=attachment)
    assert found(world.users.viewer, "zanzibarite") == []
    # Undoing the deletion brings the file, and the practice's hit, back.
    restore_deletion(Deletion.objects.latest("pk"), actor=editor)
    assert found(world.users.viewer, "zanzibarite") == [("practice", kw.public.pk)]


def test_a_restricted_practices_file_is_never_found_or_counted(world, kw, mw):
    attach(actor=None, record=kw.restricted, file=pdf("Secret.pdf", "Quokkaword inside"))
    for user in (world.users.viewer, world.users.partner, mw.sco_partner):
        result = search(user, "quokkaword")
        assert result.count == 0, user
        assert result.hits == []
        assert all(values == [] for values in result.facets.values()), user
    admin = search(world.users.admin, "quokkaword")
    assert [(hit.kind, hit.id) for hit in admin.hits] == [("practice", kw.restricted.pk)]
    assert {v.value: v.count for v in admin.facets["kind"]} == {"practice": 1}


def test_requests_and_documents_are_found_by_their_files(world, kw):
    editor = world.users.editor
    attach(
        actor=editor,
        record=kw.un_request,
        file=ContentFile(
            sample_files.docx_bytes("Terms of reference", table=[["Trainer", "Ombudsvogel"]]),
            name="Terms.docx",
        ),
    )
    attach(
        actor=editor,
        record=world.doc,
        file=ContentFile(b"Annex: the Lindwurm procedure\n", name="Annex.txt"),
    )
    assert found(editor, "ombudsvogel") == [("request", kw.un_request.pk)]
    # The UN's focal point sees the UN's request, so finds it by its file too.
    assert found(world.users.partner, "ombudsvogel") == [("request", kw.un_request.pk)]
    assert found(editor, "lindwurm") == [("document", world.doc.pk)]
    # The document's own text is still its entry's.
    assert ("document", world.doc.pk) in found(editor, "helsinki")


def test_a_restricted_documents_file_is_not_found_by_a_viewer(world, kw):
    attach(actor=None, record=world.secret_doc, file=pdf("Annex.pdf", "Wolpertinger annex"))
    assert found(world.users.viewer, "wolpertinger") == []
    assert found(world.users.admin, "wolpertinger") == [("document", world.secret_doc.pk)]


def test_deleting_a_practice_takes_its_files_and_undo_brings_them_back(world, kw):
    editor = world.users.editor
    attach(actor=editor, record=kw.public, file=pdf("Notes.pdf", "Gruffalo notes"))
    services.practice_delete(actor=editor, practice=kw.public)
    assert not RecordAttachment.objects.exists()
    assert found(editor, "gruffalo") == []
    restore_deletion(Deletion.objects.latest("pk"), actor=editor)
    assert RecordAttachment.objects.get().original_name == "Notes.pdf"
    assert found(editor, "gruffalo") == [("practice", kw.public.pk)]


def test_a_rebuild_reads_the_files_in_a_constant_number_of_queries(world, kw):
    def rebuild_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            index.rebuild(kinds=["practice", "request", "document"])
        return len(queries)

    attach(actor=None, record=kw.public, file=pdf("One.pdf", "one"))
    few = rebuild_queries()
    for record in (kw.shared, kw.internal, kw.un_request, kw.sco_request, world.doc):
        for number in range(3):
            attach(actor=None, record=record, file=pdf(f"File {number}.pdf", "more text"))
    assert rebuild_queries() == few
    assert found(world.users.admin, "more text", kind="document") == [("document", world.doc.pk)]


def test_a_huge_text_still_indexes(world, kw):
    # Unique words fill PostgreSQL's tsvector long before 1,000,000 characters: the entry
    # takes what it can hold, and the record stays found by the file's first words.
    words = " ".join(f"w{n:07x}" for n in range(110_000))
    attach(
        actor=None,
        record=kw.public,
        file=ContentFile(("Kakapo " + words).encode(), name="codes.txt"),
    )
    assert found(world.users.admin, "kakapo") == [("practice", kw.public.pk)]


# ---------------------------------------------------------------- refused files


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", sample_files.encrypted_pdf_bytes(), "“report.pdf” is encrypted"),
        ("report.pdf", sample_files.broken_pdf_bytes(), "could not be read as a PDF file"),
        ("brief.docx", sample_files.broken_docx_bytes(), "could not be read as a Word document"),
        ("empty.txt", b"", "The file is empty."),
        ("photo.png", sample_files.pdf_bytes("x"), "is not a PNG file"),
        ("tool.exe", b"MZ\x90\x00", "Files of this type cannot be attached"),
        ("old.doc", b"\xd0\xcf\x11\xe0", "Files of this type cannot be attached"),
    ],
)
def test_an_unreadable_file_is_refused_and_nothing_is_stored(world, kw, name, content, message):
    before = index_state()
    with pytest.raises(ValidationError) as caught:
        attach(actor=world.users.editor, record=kw.public, file=ContentFile(content, name=name))
    assert message in caught.value.message_dict["file"][0]
    assert not RecordAttachment.objects.exists()
    assert not RecordAttachment.history.exists()
    assert stored_files() == []
    assert index_state() == before


def test_a_file_over_the_limit_is_refused(world, kw, settings):
    settings.ACCORD_ATTACHMENT_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as caught:
        attach(actor=None, record=kw.public, file=ContentFile(b"x" * 2000, name="big.txt"))
    assert "at most 0.0 MB" in caught.value.message_dict["file"][0]
    assert stored_files() == []


def test_a_failure_after_the_file_is_stored_removes_it(world, kw, monkeypatch):
    from accord.core import services as core

    def fail(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(core, "create", fail)
    with pytest.raises(RuntimeError):
        attach(actor=None, record=kw.public, file=pdf("Notes.pdf", "text"))
    assert stored_files() == []


def test_names_are_cleaned_and_only_editors_attach(world, kw):
    attachment = attach(
        actor=None, record=kw.public, file=pdf("x.pdf", "a"), name="../../etc/Min\x07utes.PDF"
    )
    assert attachment.original_name == "Minutes.pdf"
    assert attachment.file.name.startswith(f"knowledge/practice/{kw.public.pk}/")
    with pytest.raises(ValidationError, match="no name"):
        attach(actor=None, record=kw.public, file=pdf("x.pdf", "a"), name="../..")
    with pytest.raises(PermissionDenied):
        attach(actor=world.users.viewer, record=kw.public, file=pdf("x.pdf", "a"))
    with pytest.raises(ValidationError):
        attach(actor=None, record=kw.commitment, file=pdf("x.pdf", "a"))


# ---------------------------------------------------------------- pages


def upload(client, kind, pk, name, content, next_url=""):
    data = {"file": SimpleUploadedFile(name, content)}
    if next_url:
        data["next"] = next_url
    return client.post(f"/knowledge/{kind}/{pk}/attachments/add/", data)


def test_an_editor_attaches_from_the_practice_page_and_readers_download(world, kw, client_for):
    editor = client_for(world.users.editor)
    page = f"/knowledge/practices/{kw.public.pk}/"
    response = upload(editor, "practices", kw.public.pk, "Report.pdf", sample_files.pdf_bytes("x"))
    assert response.status_code == 302
    assert response["Location"] == page + "#attachments"
    attachment = RecordAttachment.objects.get()
    html = editor.get(page).content.decode()
    assert "Report.pdf" in html and f"/knowledge/attachments/{attachment.pk}/delete/" in html
    assert f'action="/knowledge/practices/{kw.public.pk}/attachments/add/"' in html

    viewer = client_for(world.users.viewer)
    html = viewer.get(page).content.decode()
    assert "Report.pdf" in html
    assert "/attachments/add/" not in html and "/delete/" not in html
    response = viewer.get(f"/knowledge/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == sample_files.pdf_bytes("x")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert upload(viewer, "practices", kw.public.pk, "a.txt", b"a").status_code == 403


def test_a_refused_upload_shows_why_on_the_form(world, kw, client_for):
    editor = client_for(world.users.editor)
    response = upload(
        editor,
        "requests",
        kw.un_request.pk,
        "report.pdf",
        sample_files.encrypted_pdf_bytes(),
        next_url=f"/knowledge/requests/{kw.un_request.pk}/",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "is encrypted: remove its password" in html
    assert f'value="/knowledge/requests/{kw.un_request.pk}/"' in html
    assert not RecordAttachment.objects.exists()


def test_a_hidden_records_files_are_not_found(world, kw, mw, client_for):
    restricted = attach(actor=None, record=kw.restricted, file=pdf("Secret.pdf", "x"))
    internal = attach(actor=None, record=kw.internal, file=pdf("Internal.pdf", "x"))
    shared = attach(actor=None, record=kw.shared, file=pdf("Shared.pdf", "x"))
    viewer = client_for(world.users.viewer)
    assert viewer.get(f"/knowledge/attachments/{restricted.pk}/").status_code == 404
    assert viewer.get(f"/knowledge/attachments/{internal.pk}/").status_code == 200
    partner = client_for(world.users.partner)  # the UN's focal point
    assert partner.get(f"/knowledge/attachments/{restricted.pk}/").status_code == 404
    assert partner.get(f"/knowledge/attachments/{internal.pk}/").status_code == 404
    assert partner.get(f"/knowledge/attachments/{shared.pk}/").status_code == 200
    sco = client_for(mw.sco_partner)
    assert sco.get(f"/knowledge/attachments/{shared.pk}/").status_code == 404
    editor = client_for(world.users.editor)
    assert editor.get(f"/knowledge/attachments/{restricted.pk}/").status_code == 200


def test_an_editor_deletes_a_file_from_its_record(world, kw, client_for):
    attachment = attach(actor=None, record=world.doc, file=pdf("Annex.pdf", "x"))
    editor = client_for(world.users.editor)
    html = editor.get(world.doc.get_absolute_url()).content.decode()
    assert 'id="attachments"' in html and "Annex.pdf" in html
    url = f"/knowledge/attachments/{attachment.pk}/delete/"
    assert "Annex.pdf" in editor.get(url).content.decode()
    response = editor.post(url, {"version": attachment.version})
    assert response.status_code == 302
    assert response["Location"] == world.doc.get_absolute_url() + "#attachments"
    assert not RecordAttachment.objects.exists()
    viewer = client_for(world.users.viewer)
    assert viewer.post(url, {"version": 1}).status_code == 403


def test_the_practice_page_reads_its_files_in_constant_queries(world, kw, client_for):
    client = client_for(world.users.viewer)
    page = f"/knowledge/practices/{kw.public.pk}/"
    attach(actor=world.users.editor, record=kw.public, file=pdf("One.pdf", "x"))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page).status_code == 200
        return len(captured)

    client.get(page)
    few = queries()
    for number in range(5):
        attach(actor=world.users.admin, record=kw.public, file=pdf(f"File {number}.pdf", "x"))
    many = queries()
    assert many == few
    assert "File 4.pdf" in client.get(page).content.decode()


# ---------------------------------------------------------------- API


def api_upload(client, path, name, content):
    return client.post(path, {"file": SimpleUploadedFile(name, content)})


def test_the_api_lists_uploads_downloads_and_deletes(world, kw, client_for):
    editor = client_for(world.users.editor)
    base = f"/api/v1/practices/{kw.public.pk}/attachments"
    response = api_upload(editor, base, "Report.pdf", sample_files.pdf_bytes("API text"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "Report.pdf" and body["content_type"] == "application/pdf"
    assert body["uploaded_by"] == "editor" and body["version"] == 1
    assert editor.get(base).json()[0]["id"] == body["id"]
    download = editor.get(body["download_url"])
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert found(world.users.editor, '"API text"') == [("practice", kw.public.pk)]
    for path in (
        f"/api/v1/requests/{kw.un_request.pk}/attachments",
        f"/api/v1/documents/{world.doc.pk}/attachments",
    ):
        assert api_upload(editor, path, "a.txt", b"text").status_code == 201
        assert len(editor.get(path).json()) == 1
    one = f"/api/v1/record-attachments/{body['id']}"
    assert editor.delete(one + "?version=9").status_code == 409
    assert editor.delete(one + "?version=1").status_code == 204
    assert editor.get(one).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "msg"),
    [
        ("report.pdf", sample_files.encrypted_pdf_bytes(), "is encrypted"),
        ("report.pdf", b"%PDF-1.4 broken", "could not be read as a PDF file"),
        ("empty.txt", b"", "The file is empty."),
        ("tool.exe", b"MZ", "Files of this type cannot be attached"),
        ("....", b"text", "The file has no name."),
    ],
)
def test_the_api_refuses_a_bad_file_naming_the_field(world, kw, client_for, name, content, msg):
    path = f"/api/v1/practices/{kw.public.pk}/attachments"
    response = api_upload(client_for(world.users.editor), path, name, content)
    assert response.status_code == 422, response.content
    [error] = response.json()["detail"]
    assert error["loc"][-1] == "file"
    assert msg in error["msg"]
    assert not RecordAttachment.objects.exists()


def test_the_api_takes_odd_names_and_refuses_none(world, kw, client_for):
    client = client_for(world.users.editor)
    path = f"/api/v1/practices/{kw.public.pk}/attachments"
    response = api_upload(client, path, "Rapport «été» (1) — 東京.TXT", b"text")
    assert response.status_code == 201
    assert response.json()["name"] == "Rapport «été» (1) — 東京.txt"
    download = client.get(response.json()["download_url"])
    assert "filename*=utf-8''" in download["Content-Disposition"]
    # Only control characters: no name left, whoever drops it (Django's parser or the service).
    response = api_upload(client, path, "\x07\x08", b"text")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "file"


def test_the_api_refuses_a_missing_or_huge_file(world, kw, client_for, settings):
    client = client_for(world.users.editor)
    path = f"/api/v1/practices/{kw.public.pk}/attachments"
    response = client.post(path, {"other": "x"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "file"
    # A file part without a file name is no file to Django: the same answer.
    boundary = "XyZ"
    raw = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename=""\r\n'
        f"Content-Type: application/pdf\r\n\r\n%PDF-1.4\r\n--{boundary}--\r\n"
    )
    response = client.post(path, raw, content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 422
    settings.ACCORD_ATTACHMENT_MAX_BYTES = 100
    response = api_upload(client, path, "big.txt", b"x" * 5000)
    assert response.status_code == 422
    assert re.search(r"at most 0\.0 MB", response.json()["detail"][0]["msg"])
    assert stored_files() == []


def test_the_api_follows_the_policy(world, kw, client_for):
    restricted = attach(actor=None, record=kw.restricted, file=pdf("Secret.pdf", "x"))
    viewer = client_for(world.users.viewer)
    assert viewer.get(f"/api/v1/practices/{kw.restricted.pk}/attachments").status_code == 404
    assert viewer.get(f"/api/v1/record-attachments/{restricted.pk}").status_code == 404
    assert viewer.get(f"/api/v1/record-attachments/{restricted.pk}/download").status_code == 404
    response = api_upload(viewer, f"/api/v1/practices/{kw.public.pk}/attachments", "a.txt", b"a")
    assert response.status_code == 403
    partner = client_for(world.users.partner)
    assert partner.get(f"/api/v1/documents/{world.secret_doc.pk}/attachments").status_code == 404
