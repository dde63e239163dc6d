"""Routes of the files of practices, requests and framework documents (included by urls.py
under the "knowledge" namespace)."""

from django.urls import path

from . import views_attachments as views

upload = views.RecordAttachmentUploadView.as_view()

urlpatterns = [
    path(
        "knowledge/practices/<int:pk>/attachments/add/",
        upload,
        {"kind": "practices"},
        name="practice_attachment_add",
    ),
    path(
        "knowledge/requests/<int:pk>/attachments/add/",
        upload,
        {"kind": "requests"},
        name="request_attachment_add",
    ),
    path(
        "knowledge/documents/<int:pk>/attachments/add/",
        upload,
        {"kind": "documents"},
        name="document_attachment_add",
    ),
    path(
        "knowledge/attachments/<int:pk>/",
        views.RecordAttachmentDownloadView.as_view(),
        name="record_attachment_download",
    ),
    path(
        "knowledge/attachments/<int:pk>/delete/",
        views.RecordAttachmentDeleteView.as_view(),
        name="record_attachment_delete",
    ),
]
