"""Journal pages: the global list, one entry, and the generic journal of a record."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accord.core import policy
from accord.core.history import history_page
from accord.core.pagecache import KeptPageMixin
from accord.core.views import (
    ObjectDeleteView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    PolicyMixin,
    apply_errors,
)

from . import selectors, services
from .filtersets import JournalEntryFilterSet
from .forms import JournalEntryForm
from .tables import JournalEntryTable


class JournalListView(ObjectListView):
    filterset_class = JournalEntryFilterSet
    table_class = JournalEntryTable
    title = gettext_lazy("Journal")

    def get_queryset(self, request):
        return selectors.journal_list(user=request.user)


class EntryObject:
    """How the entry pages find their record."""

    instance_name = "entry"

    def get_object(self, request, pk=None):
        return selectors.journal_entry_get(user=request.user, pk=pk)


class JournalEntryDetailView(EntryObject, PolicyMixin, KeptPageMixin, View):
    def get(self, request, pk):
        entry = self.get_object(request, pk)
        _page, changes = history_page(entry, user=request.user, per_page=5, count=False)
        shared = entry.shared_with.all() if policy.can_edit(request.user) else []
        return render(
            request,
            "journal/entry_detail.html",
            {
                "object": entry,
                "record": entry.assigned_object,
                "record_kind": entry.assigned_object_type.model_class()._meta.verbose_name,
                "shared_with": shared,
                "changes": changes,
            },
        )


class JournalEntryEditView(EntryObject, ObjectEditView):
    """Editing an entry (entries are added on their record's page)."""

    form_class = JournalEntryForm
    update_service = staticmethod(services.journal_entry_update)


class JournalEntryDeleteView(EntryObject, ObjectDeleteView):
    success_url_name = "journal:entry_list"
    delete_service = staticmethod(services.journal_entry_delete)


class JournalEntryHistoryView(EntryObject, ObjectHistoryView):
    update_service = staticmethod(services.journal_entry_update)


def panel_context(request, obj, *, form=None) -> dict:
    """What the "Journal" panel of a record's page shows: latest entries, the add form."""
    context = selectors.journal_panel(user=request.user, obj=obj)
    context["record"] = obj
    context["url"] = obj.get_absolute_url() + "journal/"
    if policy.can_edit(request.user):
        context["form"] = form or JournalEntryForm(user=request.user, auto_id="id_journal_%s")
    return context


class RecordJournalView(PolicyMixin, View):
    """A record's whole journal (GET) and the form that adds an entry to it (POST).

    Subclasses give `get_object(request, **kwargs)`, which finds the record through the
    policy (a hidden record is a 404). An htmx POST answers with the record's panel.
    """

    template_name = "journal/record_journal.html"

    def get_object(self, request, **kwargs):
        raise NotImplementedError

    def get(self, request, **kwargs):
        obj = self.get_object(request, **kwargs)
        entries = selectors.journal_of(user=request.user, obj=obj)
        page = Paginator(entries, 25).get_page(request.GET.get("page"))
        context = {
            "object": obj,
            "page_obj": page,
            "journal": panel_context(request, obj),
        }
        return render(request, self.template_name, context)

    def post(self, request, **kwargs):
        if not policy.can_edit(request.user):
            raise PermissionDenied(_("You may look at records but not change them."))
        obj = self.get_object(request, **kwargs)
        form = JournalEntryForm(request.POST, user=request.user, auto_id="id_journal_%s")
        if form.is_valid():
            fields = form.service_fields()
            try:
                services.journal_entry_create(actor=request.user, assigned_object=obj, **fields)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                if not request.htmx:
                    messages.success(request, _("Added a journal entry."))
                    return HttpResponseRedirect(obj.get_absolute_url() + "journal/")
                form = None
        context = {"journal": panel_context(request, obj, form=form), "added": form is None}
        if request.htmx:
            # htmx swaps only 2xx answers: the form with its errors comes back as a 200.
            return render(request, "journal/includes/panel.html", context)
        context.update({"object": obj, "page_obj": None})
        return render(request, self.template_name, context, status=400)
