"""The files of practices, requests and framework documents: upload, download, delete."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from accord.core.views import ObjectDeleteView, PolicyMixin, apply_errors
from accord.meetings import files
from accord.meetings.services import max_attachment_bytes

from . import selectors_attachments as selectors
from . import services_attachments as services
from .forms_attachments import AttachmentForm

MB = 1_048_576


def back_to(request, record) -> str:
    """The posted `next` when it is an address on this site, else the record's files."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return record.get_absolute_url() + "#attachments"


class RecordAttachmentUploadView(PolicyMixin, View):
    """Attach a file to a practice, a request or a document (checked by the service)."""

    edit = True
    template_name = "knowledge/attachment_form.html"

    def page(self, request, record, form, status=200):
        context = {
            "record": record,
            "object": record,
            "form": form,
            "allowed": files.allowed_extensions(),
            "max_mb": round(max_attachment_bytes() / MB, 1),
            "next": request.POST.get("next", "") if request.method == "POST" else "",
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, kind, pk):
        record = selectors.record_get(request.user, kind, pk)
        return self.page(request, record, AttachmentForm())

    def post(self, request, kind, pk):
        record = selectors.record_get(request.user, kind, pk)
        form = AttachmentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                attachment = services.record_attachment_create(
                    actor=request.user, record=record, file=form.cleaned_data["file"]
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Attached %(name)s.") % {"name": attachment})
                return HttpResponseRedirect(back_to(request, record))
        return self.page(request, record, form, status=400)


class RecordAttachmentDownloadView(PolicyMixin, View):
    """A record's file, for those who may see the record; always as a download."""

    http_method_names = ["get", "head"]

    def get(self, request, pk):
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


class RecordAttachmentDeleteView(ObjectDeleteView):
    instance_name = "attachment"
    success_url_name = "knowledge:practice_list"  # replaced by the record's page below
    delete_service = staticmethod(services.record_attachment_delete)

    def get_object(self, request, pk=None):
        return selectors.record_attachment_get(request.user, pk)

    def post(self, request, *args, **kwargs):
        back = self.get_object(request, **kwargs).get_absolute_url()
        response = super().post(request, *args, **kwargs)
        if response.status_code == 302:
            response["Location"] = back
        return response
