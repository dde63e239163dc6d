"""REST endpoints of the files of practices, requests and framework documents.

A record's files are listed and uploaded (multipart, field "file") under the record:
/practices/{id}/attachments, /requests/{id}/attachments, /documents/{id}/attachments. One
file is /record-attachments/{id} (its details, DELETE with its version) and its content
/record-attachments/{id}/download. A file is seen by whoever sees its record.
"""

from __future__ import annotations

import datetime

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.urls import reverse
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from accord.core.api import invalid, require_edit, require_view
from accord.meetings import files

from .. import selectors_attachments as selectors
from .. import services_attachments as services
from .schemas import Version

router = Router(tags=["attachments"])


class RecordAttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    created: datetime.datetime
    version: int
    uploaded_by: str | None = None
    download_url: str

    @staticmethod
    def resolve_name(obj):
        return obj.original_name

    @staticmethod
    def resolve_uploaded_by(obj):
        return obj.uploaded_by.get_username() if obj.uploaded_by_id else None

    @staticmethod
    def resolve_download_url(obj):
        return reverse("api:record_attachment_download", args=[obj.pk])


def _list(request, kind: str, pk: int):
    require_view(request)
    record = selectors.record_get(request.user, kind, pk)
    return list(selectors.record_attachments(request.user, record))


def _upload(request, kind: str, pk: int, file: UploadedFile | None):
    require_edit(request)
    record = selectors.record_get(request.user, kind, pk)
    if file is None:
        raise invalid("file", "Send the file as multipart/form-data, in the field “file”.")
    attachment = services.record_attachment_create(actor=request.user, record=record, file=file)
    return Status(201, selectors.record_attachment_get(request.user, attachment.pk))


@router.get("/practices/{practice_id}/attachments", response=list[RecordAttachmentOut])
def practice_attachments(request, practice_id: int):
    """The practice's files."""
    return _list(request, "practices", practice_id)


@router.post("/practices/{practice_id}/attachments", response={201: RecordAttachmentOut})
def practice_attach(request, practice_id: int, file: File[UploadedFile] = None):
    """Attach a file (PDF, Word, Excel, text, Markdown, CSV, PNG, JPEG) to the practice."""
    return _upload(request, "practices", practice_id, file)


@router.get("/requests/{request_id}/attachments", response=list[RecordAttachmentOut])
def request_attachments(request, request_id: int):
    """The request's files."""
    return _list(request, "requests", request_id)


@router.post("/requests/{request_id}/attachments", response={201: RecordAttachmentOut})
def request_attach(request, request_id: int, file: File[UploadedFile] = None):
    """Attach a file to the request."""
    return _upload(request, "requests", request_id, file)


@router.get("/documents/{pk}/attachments", response=list[RecordAttachmentOut])
def document_attachments(request, pk: int):
    """The framework document's files."""
    return _list(request, "documents", pk)


@router.post("/documents/{pk}/attachments", response={201: RecordAttachmentOut})
def document_attach(request, pk: int, file: File[UploadedFile] = None):
    """Attach a file to the framework document."""
    return _upload(request, "documents", pk, file)


@router.get("/record-attachments/{pk}", response=RecordAttachmentOut)
def record_attachment_detail(request, pk: int):
    require_view(request)
    return selectors.record_attachment_get(request.user, pk)


# The download's content is the file, of one of the kinds that may be attached.
DOWNLOAD_RESPONSES = {
    "responses": {
        200: {
            "description": "The file, as an attachment (Content-Disposition).",
            "content": {
                kind.content_type: {"schema": {"type": "string", "format": "binary"}}
                for kind in files.KINDS
            },
        }
    }
}


@router.get(
    "/record-attachments/{pk}/download", response={200: None}, openapi_extra=DOWNLOAD_RESPONSES
)
def record_attachment_download(request, pk: int):
    """The file itself, as a download."""
    require_view(request)
    attachment = selectors.record_attachment_get(request.user, pk)
    try:
        handle = default_storage.open(attachment.file.name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@router.delete("/record-attachments/{pk}", response={204: None})
def record_attachment_delete(request, pk: int, params: Query[Version]):
    """Delete the file (an editor can bring it back from "Recently deleted")."""
    require_edit(request)
    services.record_attachment_delete(
        actor=request.user,
        attachment=selectors.record_attachment_get(request.user, pk),
        expected_version=params.version,
    )
    return Status(204, None)
