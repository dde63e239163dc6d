"""Requests pages: the office's list, page, forms and history, and the partner's own form.

Thin views over selectors and services. Everyone reads through selectors.request_list /
request_get, which apply the policy: a partner's focal point sees their own organization's
requests only, and a hidden request is a 404 like a missing one.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accord.core import policy
from accord.core.exceptions import ConflictError
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
from accord.registry.models import Person
from accord.taxonomy.choices import Phase

from . import selectors, services
from .choices import OPEN_REQUEST_STATUSES
from .filtersets_requests import RequestFilterSet, overdue_condition
from .forms_requests import RequestAnswerForm, RequestForm, RequestSubmitForm
from .models import Commitment
from .tables_requests import RequestTable

PHASES = dict(Phase.choices)


def request_counts(user) -> dict:
    """How many requests the user may see are open, and how many of them overdue: one query."""
    return selectors.request_list(user).aggregate(
        open=Count("pk", filter=Q(status__in=OPEN_REQUEST_STATUSES)),
        overdue=Count("pk", filter=overdue_condition()),
    )


def own_person(user):
    """The person a partner's account speaks as: the one of their organization with the
    account's email address, if exactly one. Never a choice of the form."""
    organization = policy.partner_organization_id(user)
    email = (getattr(user, "email", "") or "").strip()
    if organization is None or not email:
        return None
    found = list(
        Person.objects.visible_to(user).filter(organization_id=organization, email__iexact=email)[
            :2
        ]
    )
    return found[0] if len(found) == 1 else None


# ---------------------------------------------------------------- list


class RequestListView(ObjectListView):
    template_name = "knowledge/request_list.html"
    filterset_class = RequestFilterSet
    table_class = RequestTable
    title = gettext_lazy("Requests")
    add_url_name = "knowledge:request_add"
    export_url_name = "knowledge:request_export"
    export_filename = "requests"

    def get_queryset(self, request):
        return selectors.request_list(request.user)

    def extra_context(self, request) -> dict:
        counts = request_counts(request.user)
        open_view = request.GET.get("open") == "yes"
        overdue_view = request.GET.get("overdue") == "yes"
        filtered = any(v for k, v in request.GET.items() if k not in ("page", "per_page", "sort"))
        tabs = [
            (_("All"), "", not filtered, None),
            (_("Open"), "?open=yes", open_view and not overdue_view, counts["open"]),
            (_("Overdue"), "?overdue=yes", overdue_view and not open_view, counts["overdue"]),
        ]
        partner = policy.partner_organization_id(request.user) is not None
        return {
            "section": "requests",
            "tabs": tabs,
            "counts": counts,
            "submit_url": reverse("knowledge:request_submit") if partner else None,
        }


# ---------------------------------------------------------------- detail


def commitments_of(user, request_obj):
    """The commitments the request implements, that the user may see."""
    return (
        Commitment.objects.visible_to(user)
        .filter(requests=request_obj)
        .select_related("document")
        .order_by("document__year", "order", "pk")
    )


def detail_context(request, request_obj) -> dict:
    user = request.user
    editable = policy.can_edit(user)
    _page, changes = history_page(request_obj, user=user, per_page=5, count=False)
    answer_form = None
    if editable:
        answer_form = RequestAnswerForm(instance=request_obj, user=user, auto_id="id_answer_%s")
    return {
        "object": request_obj,
        "request_obj": request_obj,
        "section": "requests",
        "phases": [PHASES[p] for p in request_obj.phases if p in PHASES],
        "answer_html": request_obj.answer_html() if request_obj.answer else "",
        "commitments": list(commitments_of(user, request_obj)),
        "shared_with": list(request_obj.shared_with.all()) if editable else [],
        # Who submitted it online is the office's to know (the API does not say it either).
        "submitted_by": request_obj.submitted_by if editable else None,
        "answer_form": answer_form,
        "open": request_obj.status in OPEN_REQUEST_STATUSES,
        "today": timezone.localdate(),
        "changes": changes,
    }


class RequestDetailView(PolicyMixin, KeptPageMixin, View):
    def get(self, request, pk):
        request_obj = selectors.request_get(request.user, pk)
        return render(
            request, "knowledge/request_detail.html", detail_context(request, request_obj)
        )


# ---------------------------------------------------------------- office forms


class RequestObject:
    """How the request edit, answer, delete and history pages find their record."""

    instance_name = "request"

    def get_object(self, request, pk=None):
        return selectors.request_get(request.user, pk) if pk else None


class RequestEditView(RequestObject, ObjectEditView):
    form_class = RequestForm
    template_name = "knowledge/request_form.html"
    create_service = staticmethod(services.request_create)
    update_service = staticmethod(services.request_update)

    def get_initial(self, request):
        if self.kwargs.get("pk"):
            return {}  # an edit shows the request as it is
        return {"classification": "internal"}

    def context(self, request, form, obj):
        context = super().context(request, form, obj)
        context["section"] = "requests"
        if obj is None:
            context["title"] = _("Record a request")
            context["cancel_url"] = reverse("knowledge:request_list")
        return context


class RequestAnswerView(RequestObject, ObjectEditView):
    """Answer a request (services.request_answer); a stale answer is compared like an edit."""

    form_class = RequestAnswerForm
    template_name = "knowledge/request_answer.html"
    update_service = staticmethod(services.request_answer)

    def get_object(self, request, pk=None):
        return selectors.request_get(request.user, pk)

    def context(self, request, form, obj):
        context = super().context(request, form, obj)
        context["section"] = "requests"
        context["title"] = _("Answer “%(subject)s”") % {"subject": obj.subject}
        context["request_obj"] = obj
        return context

    def save(self, form, obj):
        try:
            return super().save(form, obj)
        except ValidationError as exc:
            # A practice that cannot be shared (restricted) is the error of the practices field.
            if hasattr(exc, "error_dict") and "practice" in exc.error_dict:
                exc.error_dict["shared_practices"] = exc.error_dict.pop("practice")
            raise

    def get_success_url(self, obj):
        return obj.get_absolute_url() + "#answer"


class RequestDeleteView(RequestObject, ObjectDeleteView):
    template_name = "knowledge/request_confirm_delete.html"
    success_url_name = "knowledge:request_list"
    delete_service = staticmethod(services.request_delete)

    def post(self, request, *args, **kwargs):
        obj = self.get_object(request, **kwargs)
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = None
        try:
            deletion = self.delete(obj, version)
        except (ConflictError, ValidationError) as exc:
            message = exc.message if isinstance(exc, ConflictError) else " ".join(exc.messages)
            return render(request, self.template_name, self.context(obj, error=message), status=409)
        # The message links to the deletion's page, whose button brings it all back.
        messages.success(
            request,
            format_html(
                '{} <a class="alert-link" href="{}">{}</a>',
                _("Deleted %(object)s.") % {"object": obj},
                reverse("deleted_detail", args=[deletion.pk]),
                _("Undo"),
            ),
        )
        return HttpResponseRedirect(reverse(self.success_url_name))


class RequestHistoryView(RequestObject, ObjectHistoryView):
    template_name = "knowledge/request_history.html"
    update_service = staticmethod(services.request_update)


# ---------------------------------------------------------------- the partner's form


class RequestSubmitView(PolicyMixin, View):
    """A partner's focal point asks to learn, for their own organization (request_submit).

    The office records requests on its own form (request_add), where it names the
    organization; a viewer submits nothing.
    """

    template_name = "knowledge/request_submit.html"

    def dispatch(self, request, *args, **kwargs):
        if request.method.lower() not in ("get", "post", "head", "options"):
            return self.http_method_not_allowed(request, *args, **kwargs)
        if policy.can_view(request.user) and policy.partner_organization_id(request.user) is None:
            if policy.can_edit(request.user):
                return HttpResponseRedirect(reverse("knowledge:request_add"))
            raise PermissionDenied(
                _("Only a partner organization's focal point submits a request here.")
            )
        return super().dispatch(request, *args, **kwargs)

    def page(self, request, form, status=200):
        user = request.user
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "section": "requests",
                "organization": user.accord_profile.organization,
                "person": own_person(user),
            },
            status=status,
        )

    def get(self, request):
        return self.page(request, RequestSubmitForm(user=request.user))

    def post(self, request):
        user = request.user
        form = RequestSubmitForm(request.POST, user=user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = services.request_submit(
                    actor=user,
                    kind=data["kind"],
                    subject=data["subject"],
                    description=data.get("description", ""),
                    due=data.get("due"),
                    themes=list(data.get("themes") or []),
                    person=own_person(user),
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Your request “%(subject)s” was sent to the office.")
                    % {"subject": created.subject},
                )
                return HttpResponseRedirect(created.get_absolute_url())
        return self.page(request, form, status=400)
