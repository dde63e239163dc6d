"""The practice pages: thin views over selectors and services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accord.core import policy
from accord.core.choices import Classification
from accord.core.forms import BIGINT_MAX
from accord.core.history import history_page
from accord.core.pagecache import KeptPageMixin
from accord.core.views import (
    ObjectDeleteView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    PolicyMixin,
)

from . import selectors, services
from .filtersets_practices import PracticeFilterSet
from .forms_practices import PracticeForm, PracticeShareForm
from .tables_practices import PracticeTable, phase_labels

SHARES_ANCHOR = "#shares"


class PracticeListView(ObjectListView):
    template_name = "knowledge/practice_list.html"
    filterset_class = PracticeFilterSet
    table_class = PracticeTable
    title = gettext_lazy("Practices")
    add_url_name = "knowledge:practice_add"
    export_url_name = "knowledge:practice_export"
    export_filename = "practices"

    def get_queryset(self, request):
        return selectors.practice_list(request.user)

    def extra_context(self, request) -> dict:
        return {"section": "practices"}

    def page_ready(self, request, table):
        # The page's rows, read once here; the table draws these same records.
        for row in table.page.object_list:
            row.record.phase_labels = phase_labels(row.record)


def detail_context(request, practice, *, share_form=None) -> dict:
    """What a practice's page shows; `share_form` is a posted share form with its errors."""
    user = request.user
    editable = policy.can_edit(user)
    _page, changes = history_page(practice, user=user, per_page=5, count=False)
    # The commitments it implements, as the user may see them (their themes are not shown).
    commitments = selectors.commitment_list(user).filter(practices=practice).prefetch_related(None)
    shareable = practice.classification != Classification.RESTRICTED
    if editable and shareable and share_form is None:
        share_form = PracticeShareForm(auto_id="id_share_%s")
    return {
        "object": practice,
        "practice": practice,
        "body": practice.body_html(),
        "phases": phase_labels(practice),
        "shares": list(selectors.practice_shares(user, practice)),
        "share_form": share_form if editable and shareable else None,
        "shareable": shareable,
        "commitments": list(commitments),
        "shared_with": practice.shared_with.all() if editable else [],
        "changes": changes,
        "section": "practices",
    }


class PracticeDetailView(PolicyMixin, KeptPageMixin, View):
    def get(self, request, pk):
        practice = selectors.practice_get(request.user, pk)
        return render(request, "knowledge/practice_detail.html", detail_context(request, practice))


class PracticeObject:
    """How the practice edit, delete and history pages find their record."""

    instance_name = "practice"

    def get_object(self, request, pk=None):
        return selectors.practice_get(request.user, pk) if pk else None


class PracticeEditView(PracticeObject, ObjectEditView):
    form_class = PracticeForm
    template_name = "knowledge/practice_form.html"
    create_service = staticmethod(services.practice_create)
    update_service = staticmethod(services.practice_update)


class PracticeDeleteView(PracticeObject, ObjectDeleteView):
    template_name = "knowledge/practice_confirm_delete.html"
    success_url_name = "knowledge:practice_list"
    delete_service = staticmethod(services.practice_delete)


class PracticeHistoryView(PracticeObject, ObjectHistoryView):
    template_name = "knowledge/practice_history.html"
    update_service = staticmethod(services.practice_update)


# ---------------------------------------------------------------- the share log


class PracticeShareView(PolicyMixin, View):
    """Log that the practice was shared with an organization (the form on its page)."""

    edit = True

    def get(self, request, pk):
        # The practice's page, its share form ready (the form posts here).
        practice = selectors.practice_get(request.user, pk)
        context = {**detail_context(request, practice), "share_open": True}
        return render(request, "knowledge/practice_detail.html", context)

    def post(self, request, pk):
        practice = selectors.practice_get(request.user, pk)
        form = PracticeShareForm(request.POST, auto_id="id_share_%s")
        if form.is_valid():
            data = form.cleaned_data
            try:
                share = services.practice_share(
                    actor=request.user,
                    practice=practice,
                    organization=data["organization"],
                    shared_on=data.get("shared_on"),
                    note=data.get("note", ""),
                )
            except ValidationError as exc:
                form.add_error(None, " ".join(exc.messages))
            else:
                messages.success(
                    request,
                    _("Logged that “%(practice)s” was shared with %(organization)s.")
                    % {"practice": practice, "organization": share.organization.acronym},
                )
                return HttpResponseRedirect(practice.get_absolute_url() + SHARES_ANCHOR)
        # Read again: the form shows the page as it is now, with the errors.
        practice = selectors.practice_get(request.user, pk)
        context = detail_context(request, practice, share_form=form)
        return render(request, "knowledge/practice_detail.html", context, status=400)


class PracticeShareDeleteView(ObjectDeleteView):
    """Remove an entry of the share log (the practice stays shared with the organization)."""

    template_name = "knowledge/practice_confirm_delete.html"
    instance_name = "share"
    success_url_name = "knowledge:practice_list"
    delete_service = staticmethod(services.practice_share_delete)

    def get_object(self, request, pk=None, share=None):
        self.practice = selectors.practice_get(request.user, pk)
        if not 1 <= share <= BIGINT_MAX:
            raise Http404
        found = selectors.practice_shares(request.user, self.practice).filter(pk=share).first()
        if found is None:
            raise Http404
        return found

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        if response.status_code == 302:
            response["Location"] = self.practice.get_absolute_url() + SHARES_ANCHOR
        return response
