"""Meeting, series, action and calendar pages: thin views over selectors and services."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, get_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy
from django.views import View

from accord.core import extensions, policy
from accord.core.exceptions import ConflictError
from accord.core.history import history_page
from accord.core.markdown import render_markdown
from accord.core.pagecache import KeptPageMixin
from accord.core.views import (
    ObjectDeleteView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    PolicyMixin,
    apply_errors,
)
from accord.journal.views import RecordJournalView, panel_context
from accord.taxonomy.choices import Phase

from . import bulk, cadence, calendar, files, selectors, services
from .choices import ActionStatus
from .filtersets import OWNER_ME, ActionFilterSet, MeetingFilterSet, SeriesFilterSet
from .forms import (
    ActionForm,
    AgendaItemForm,
    AttachmentForm,
    BulkStatusForm,
    CalendarForm,
    MeetingForm,
    OutcomeForm,
    SeriesForm,
)
from .tables import ActionTable, MeetingTable, SeriesTable

PHASES = dict(Phase.choices)
# The calendar reads at most this many meetings for one view (a month of a large office).
CALENDAR_LIMIT = 2000


def posted_next(request, default: str) -> str:
    """The form's `next` when it is an address on this site, else `default`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def read_version(request) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def confirm_page(request, *, title, text, cancel_url, buttons=(), hidden=None, link=None):
    """The page of a one-button change opened by its address (GET): what it does, the button."""
    return render(
        request,
        "meetings/confirm.html",
        {
            "title": title,
            "text": text,
            "buttons": buttons,
            "hidden": hidden or {},
            "cancel_url": cancel_url,
            "link": link,
        },
    )


def naive(moment: datetime.datetime, tz) -> datetime.datetime:
    """`moment` as a wall-clock time in `tz`, without a zone: templates show it as it is."""
    return moment.astimezone(tz).replace(tzinfo=None)


def when(meeting, reader_tz) -> dict:
    """A meeting's times in its own time zone and in the reader's."""
    own = meeting.tz
    local = {"start": naive(meeting.start, own), "end": naive(meeting.end, own)}
    reader = {"start": naive(meeting.start, reader_tz), "end": naive(meeting.end, reader_tz)}
    return {
        "zone": meeting.time_zone,
        "local": local,
        "local_same_day": local["start"].date() == local["end"].date(),
        "reader_zone": str(reader_tz),
        "reader": reader,
        "reader_same_day": reader["start"].date() == reader["end"].date(),
        # The same wall-clock times: the reader's line says nothing new.
        "same": local == reader,
    }


# ---------------------------------------------------------------- meetings


class MeetingListView(ObjectListView):
    template_name = "meetings/object_list.html"
    filterset_class = MeetingFilterSet
    table_class = MeetingTable
    title = gettext_lazy("Meetings")
    add_url_name = "meetings:meeting_add"
    export_url_name = "meetings:meeting_export"
    export_filename = "meetings"

    def get_queryset(self, request):
        return selectors.meeting_list(request.user)

    def extra_context(self, request) -> dict:
        return {"section": "meetings"}


def agenda_context(request, meeting) -> dict:
    """The agenda as the meeting page shows it: items in order, each outcome with the actions
    raised from it, and the forms editors use."""
    user = request.user
    editable = policy.can_edit(user)
    raised = list(selectors.actions_for(user, meeting=meeting))
    by_outcome = defaultdict(list)
    for action in raised:
        if action.outcome_id is not None:
            by_outcome[action.outcome_id].append(action)
    items = list(meeting.agenda_items.all())
    for index, item in enumerate(items):
        item.outcome_rows = [(o, by_outcome.get(o.pk, [])) for o in item.outcomes.all()]
        item.first, item.last = index == 0, index == len(items) - 1
        if editable:
            item.outcome_form = OutcomeForm(user=user, auto_id=f"id_outcome_{item.pk}_%s")
    return {
        "items": items,
        "raised": raised,
        "item_form": AgendaItemForm(user=user, auto_id="id_item_%s") if editable else None,
    }


class MeetingDetailView(PolicyMixin, KeptPageMixin, View):
    def get(self, request, pk):
        user = request.user
        meeting = selectors.meeting_page(user, pk)
        _page, changes = history_page(meeting, user=user, per_page=5, count=False)
        editable = policy.can_edit(user)
        context = {
            "object": meeting,
            "meeting": meeting,
            "when": when(meeting, timezone.get_current_timezone()),
            "minutes": render_markdown(meeting.minutes),
            "phases": [PHASES[p] for p in meeting.phases if p in PHASES],
            "carried": list(selectors.carried_actions(user, meeting)),
            "participants": list(meeting.participants.all()),
            "attachments": list(meeting.attachments.all()),
            "attachment_form": AttachmentForm(auto_id="id_attachment_%s") if editable else None,
            "attachment_types": files.allowed_extensions(),
            "attachment_max_mb": round(services.max_attachment_bytes() / 1_048_576, 1),
            "shared_with": meeting.shared_with.all() if editable else [],
            "changes": changes,
            "journal": panel_context(request, meeting),
            # Blocks other apps add to the page (accord/core/extensions.py).
            "record_panels": extensions.record_panels_for("meeting", request, meeting),
            **agenda_context(request, meeting),
        }
        return render(request, "meetings/meeting_detail.html", context)


class MeetingObject:
    """How the meeting edit, delete, history and journal pages find their record."""

    instance_name = "meeting"

    def get_object(self, request, pk=None):
        return selectors.meeting_get(request.user, pk) if pk else None


class MeetingEditView(MeetingObject, ObjectEditView):
    form_class = MeetingForm
    template_name = "meetings/meeting_form.html"
    create_service = staticmethod(services.meeting_create)
    update_service = staticmethod(services.meeting_update)

    def get_initial(self, request):
        """A new meeting of a series (?series=) starts from the series' defaults."""
        if self.kwargs.get("pk"):
            return {}  # an edit shows the meeting as it is
        initial = {"time_zone": timezone.get_current_timezone_name()}
        key = request.GET.get("series", "")
        if not key.isdecimal() or len(key) > 18:
            return initial
        series = selectors.series_list(request.user).filter(pk=int(key)).first()
        if series is None:
            return initial
        initial.update(
            {
                "series": series.pk,
                "title": series.title,
                "format": series.format,
                "level": series.level,
                "time_zone": series.time_zone,
                "place": series.place,
                "online_link": series.online_link,
                "host_organization": series.host_organization_id,
                "organizations": [o.pk for o in series.organizations.all()],
                "themes": [t.pk for t in series.themes.all()],
                "classification": series.classification,
            }
        )
        if series.default_start_time is not None:
            start = series.default_start_time
            end = (
                datetime.datetime.combine(datetime.date(2001, 1, 1), start)
                + datetime.timedelta(minutes=series.default_duration_minutes)
            ).time()
            initial.update({"start_time": start, "end_time": end})
        return initial


class MeetingDeleteView(MeetingObject, ObjectDeleteView):
    success_url_name = "meetings:meeting_list"
    delete_service = staticmethod(services.meeting_delete)


class MeetingHistoryView(MeetingObject, ObjectHistoryView):
    update_service = staticmethod(services.meeting_update)


class MeetingJournalView(MeetingObject, RecordJournalView):
    pass


# ---------------------------------------------------------------- agenda, outcomes, files


class MeetingPartMixin:
    """Pages of a part of a meeting (an agenda item, an outcome, a file): they find the
    meeting through the policy first, and go back to its page."""

    def find_meeting(self, request, pk):
        self.meeting = selectors.meeting_get(request.user, pk)
        return self.meeting

    def back_url(self, anchor: str = "") -> str:
        return self.meeting.get_absolute_url() + anchor


class MeetingPartEditMixin(MeetingPartMixin):
    """An edit form of a part of a meeting: under the meeting's name, cancelled back to it."""

    def context(self, request, form, obj):
        context = super().context(request, form, obj)
        context["cancel_url"] = self.back_url()
        context["meeting"] = self.meeting
        return context


class AgendaItemEditView(MeetingPartEditMixin, ObjectEditView):
    """Add an item to a meeting's agenda (at a position, or at the end), or change one."""

    form_class = AgendaItemForm
    template_name = "meetings/part_form.html"
    instance_name = "item"
    create_service = staticmethod(services.agenda_item_create)
    update_service = staticmethod(services.agenda_item_update)

    def get_object(self, request, pk=None, item=None):
        meeting = self.find_meeting(request, pk)
        return selectors.agenda_item_get(request.user, meeting, item) if item else None

    def service_fields(self, form, obj):
        fields = form.service_fields()
        if obj is None:
            fields["meeting"] = self.meeting
        return fields

    def get_success_url(self, obj):
        return self.back_url(f"#item-{obj.pk}")


class AgendaItemDeleteView(MeetingPartMixin, ObjectDeleteView):
    instance_name = "item"
    success_url_name = "meetings:meeting_list"
    delete_service = staticmethod(services.agenda_item_delete)

    def get_object(self, request, pk=None, item=None):
        return selectors.agenda_item_get(request.user, self.find_meeting(request, pk), item)

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        if response.status_code == 302:
            response["Location"] = self.back_url("#agenda")
        return response


class AgendaItemMoveView(MeetingPartMixin, PolicyMixin, View):
    """One step up or down the agenda; the version guards against a stale page."""

    edit = True

    def find_item(self, request, pk, item):
        items = list(self.find_meeting(request, pk).agenda_items.all())
        current = next((i for i in items if str(i.pk) == str(item)), None)
        if current is None:
            raise Http404
        return items, current

    def get(self, request, pk, item):
        items, current = self.find_item(request, pk, item)
        index = items.index(current)
        buttons = []
        if index > 0:
            buttons.append(("direction", "up", _("Move up"), "btn-outline-primary"))
        if index < len(items) - 1:
            buttons.append(("direction", "down", _("Move down"), "btn-outline-primary"))
        return confirm_page(
            request,
            title=_("Move “%(item)s”") % {"item": current},
            text=[
                _("Item %(position)s of %(count)s on the agenda of %(meeting)s.")
                % {"position": index + 1, "count": len(items), "meeting": self.meeting}
            ],
            buttons=buttons,
            hidden={"version": current.version},
            cancel_url=self.back_url(f"#item-{current.pk}"),
        )

    def post(self, request, pk, item):
        items, current = self.find_item(request, pk, item)
        index = items.index(current) + (-1 if request.POST.get("direction") == "up" else 1)
        if 0 <= index < len(items):
            try:
                services.agenda_item_update(
                    actor=request.user,
                    item=current,
                    expected_version=read_version(request),
                    position=index + 1,
                )
            except ConflictError:
                messages.error(
                    request,
                    _("The agenda changed since you loaded the page; here it is as it is now."),
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(self.back_url(f"#item-{current.pk}"))


class OutcomeEditView(MeetingPartEditMixin, ObjectEditView):
    """Record what came of an agenda item, or change it."""

    form_class = OutcomeForm
    template_name = "meetings/part_form.html"
    instance_name = "outcome"
    create_service = staticmethod(services.outcome_create)
    update_service = staticmethod(services.outcome_update)

    def get_object(self, request, pk=None, item=None, outcome=None):
        meeting = self.find_meeting(request, pk)
        self.item = selectors.agenda_item_get(request.user, meeting, item)
        return selectors.outcome_get(request.user, self.item, outcome) if outcome else None

    def service_fields(self, form, obj):
        fields = form.service_fields()
        if obj is None:
            fields["agenda_item"] = self.item
        return fields

    def context(self, request, form, obj):
        context = super().context(request, form, obj)
        context["item"] = self.item
        if obj is None:
            context["title"] = _("Add an outcome to “%(item)s”") % {"item": self.item}
        return context

    def get_success_url(self, obj):
        return self.back_url(f"#outcome-{obj.pk}")


class OutcomeDeleteView(MeetingPartMixin, ObjectDeleteView):
    instance_name = "outcome"
    success_url_name = "meetings:meeting_list"
    delete_service = staticmethod(services.outcome_delete)

    def get_object(self, request, pk=None, item=None, outcome=None):
        meeting = self.find_meeting(request, pk)
        agenda_item = selectors.agenda_item_get(request.user, meeting, item)
        return selectors.outcome_get(request.user, agenda_item, outcome)

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        if response.status_code == 302:
            response["Location"] = self.back_url("#agenda")
        return response


class AttachmentUploadView(MeetingPartMixin, PolicyMixin, View):
    """Attach a file to a meeting (its type and size are checked by services)."""

    edit = True
    template_name = "meetings/attachment_form.html"

    def page(self, request, form, status=200):
        return render(
            request,
            self.template_name,
            {
                "meeting": self.meeting,
                "object": self.meeting,
                "form": form,
                "allowed": files.allowed_extensions(),
                "max_mb": round(services.max_attachment_bytes() / 1_048_576, 1),
            },
            status=status,
        )

    def get(self, request, pk):
        self.find_meeting(request, pk)
        return self.page(request, AttachmentForm())

    def post(self, request, pk):
        meeting = self.find_meeting(request, pk)
        form = AttachmentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                attachment = services.attachment_create(
                    actor=request.user, meeting=meeting, file=form.cleaned_data["file"]
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Attached %(name)s.") % {"name": attachment})
                return HttpResponseRedirect(self.back_url("#attachments"))
        return self.page(request, form, status=400)


class AttachmentDownloadView(PolicyMixin, View):
    """A meeting's file, for those who may see the meeting; always as a download."""

    http_method_names = ["get", "head"]

    def get(self, request, pk):
        attachment = selectors.attachment_get(request.user, pk)
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


class AttachmentDeleteView(MeetingPartMixin, ObjectDeleteView):
    instance_name = "attachment"
    success_url_name = "meetings:meeting_list"
    delete_service = staticmethod(services.attachment_delete)

    def get_object(self, request, pk=None):
        attachment = selectors.attachment_get(request.user, pk)
        self.meeting = attachment.meeting
        return attachment

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        if response.status_code == 302:
            response["Location"] = self.back_url("#attachments")
        return response


# ---------------------------------------------------------------- series


class SeriesListView(ObjectListView):
    template_name = "meetings/object_list.html"
    filterset_class = SeriesFilterSet
    table_class = SeriesTable
    title = gettext_lazy("Series")
    add_url_name = "meetings:series_add"
    export_url_name = "meetings:series_export"
    export_filename = "series"

    def get_queryset(self, request):
        return selectors.series_list(request.user)

    def extra_context(self, request) -> dict:
        return {"section": "series"}


class SeriesDetailView(PolicyMixin, KeptPageMixin, View):
    # The series page lists this many of its latest meetings.
    MEETINGS = 20

    def get(self, request, pk):
        user = request.user
        series = selectors.series_get(user, pk)
        span = selectors.series_span(user, series)
        now = timezone.now()
        meetings = selectors.series_meetings(user, series)
        _page, changes = history_page(series, user=user, per_page=5, count=False)
        return render(
            request,
            "meetings/series_detail.html",
            {
                "object": series,
                "series": series,
                "cadence_text": cadence.describe(series.cadence),
                # (local time, in the past): a late series' next date may be behind us.
                "next_dates": [
                    (naive(d, d.tzinfo), d < now)
                    for d in cadence.next_dates(
                        series, first=span["first"], last=span["last"], now=now
                    )
                ],
                "meetings": list(meetings[: self.MEETINGS]),
                "meeting_count": meetings.count(),
                "template_items": list(series.template_items.all()),
                "shared_with": series.shared_with.all() if policy.can_edit(user) else [],
                "changes": changes,
            },
        )


class SeriesObject:
    instance_name = "series"

    def get_object(self, request, pk=None):
        return selectors.series_get(request.user, pk) if pk else None


class SeriesEditView(SeriesObject, ObjectEditView):
    form_class = SeriesForm
    template_name = "meetings/series_form.html"
    create_service = staticmethod(services.series_create)
    update_service = staticmethod(services.series_update)

    def get_initial(self, request):
        if self.kwargs.get("pk"):
            return {}  # an edit shows the series as it is
        return {"time_zone": timezone.get_current_timezone_name()}


class SeriesDeleteView(SeriesObject, ObjectDeleteView):
    success_url_name = "meetings:series_list"
    delete_service = staticmethod(services.series_delete)


class SeriesHistoryView(SeriesObject, ObjectHistoryView):
    update_service = staticmethod(services.series_update)


class SeriesNextView(SeriesObject, PolicyMixin, View):
    """Create the series' next meeting and show it, saying what was carried over."""

    edit = True

    def get(self, request, pk):
        series = self.get_object(request, pk)
        span = selectors.series_span(request.user, series)
        dates = cadence.next_dates(series, first=span["first"], last=span["last"], count=1)
        text = []
        if dates:
            start = naive(dates[0], dates[0].tzinfo)
            text.append(
                _("The next meeting of %(series)s will be on %(date)s at %(time)s (%(zone)s).")
                % {
                    "series": series,
                    "date": date_format(start.date(), "SHORT_DATE_FORMAT"),
                    "time": start.strftime("%H:%M"),
                    "zone": series.time_zone,
                }
            )
        text.append(
            _(
                "Makes the next meeting from the rule and the template agenda, and carries over "
                "the open actions and the agenda items marked “carry over” of the latest meeting."
            )
        )
        return confirm_page(
            request,
            title=_("Create the next occurrence"),
            text=text,
            buttons=[(None, None, _("Create the next occurrence"), "btn-primary")],
            cancel_url=series.get_absolute_url(),
        )

    def post(self, request, pk):
        series = self.get_object(request, pk)
        try:
            meeting = services.create_next_occurrence(series, request.user)
        except ValidationError as exc:
            messages.error(
                request,
                _("No next meeting was created: %(reason)s") % {"reason": " ".join(exc.messages)},
            )
            return HttpResponseRedirect(series.get_absolute_url())
        items = meeting.agenda_items.filter(carried_from__isnull=False).count()
        actions = meeting.carried_actions.count()
        start = naive(meeting.start, meeting.tz)
        messages.success(
            request,
            _("Created the next meeting, %(date)s at %(time)s (%(zone)s).")
            % {
                "date": date_format(start.date(), "SHORT_DATE_FORMAT"),
                "time": start.strftime("%H:%M"),
                "zone": meeting.time_zone,
            }
            + " "
            + ngettext(
                "Carried over from the latest meeting: %(items)s agenda item",
                "Carried over from the latest meeting: %(items)s agenda items",
                items,
            )
            % {"items": items}
            + ", "
            + ngettext("%(actions)s open action.", "%(actions)s open actions.", actions)
            % {"actions": actions},
        )
        return HttpResponseRedirect(meeting.get_absolute_url())


# ---------------------------------------------------------------- actions


class ActionListView(ObjectListView):
    template_name = "meetings/action_list.html"
    filterset_class = ActionFilterSet
    table_class = ActionTable
    title = pgettext_lazy("follow-up", "Actions")
    add_url_name = "meetings:action_add"
    export_url_name = "meetings:action_export"
    export_filename = "actions"

    def dispatch(self, request, *args, **kwargs):
        if request.GET.get("owner") != OWNER_ME:
            return super().dispatch(request, *args, **kwargs)
        # "My actions" differs from user to user, so it is never a page kept for the
        # audience (accord/core/pagecache.py): PolicyMixin's check, then the view itself.
        if not policy.can_view(request.user):
            raise PermissionDenied(_("Your account has no role in this workspace."))
        return View.dispatch(self, request, *args, **kwargs)

    def get_queryset(self, request):
        return selectors.action_list(request.user)

    def get_table(self, rows):
        # Editors tick rows for a change of status and mark actions done from the list.
        return ActionTable(rows, editable=policy.can_edit(self.request.user))

    def extra_context(self, request) -> dict:
        owner = request.GET.get("owner")
        overdue = request.GET.get("overdue")
        organization = request.GET.get("organization", "")
        filtered = any(v for k, v in request.GET.items() if k not in ("page", "per_page", "sort"))
        tabs = [
            ("all", _("All"), "", not filtered),
            ("mine", _("My actions"), f"?owner={OWNER_ME}", owner == OWNER_ME),
            ("overdue", _("Overdue"), "?overdue=yes", overdue == "yes" and owner != OWNER_ME),
        ]
        partners, more_partners = selectors.open_actions_by_partner(request.user)
        return {
            "section": "actions",
            "tabs": tabs,
            "partners": partners,
            "more_partners": more_partners,
            "partner": organization,
            "bulk_form": BulkStatusForm() if policy.can_edit(request.user) else None,
            "statuses": ActionStatus.choices,
        }


class ActionDetailView(PolicyMixin, KeptPageMixin, View):
    def get(self, request, pk):
        user = request.user
        action = selectors.action_get(user, pk)
        _page, changes = history_page(action, user=user, per_page=5, count=False)
        outcome = None
        if action.outcome_id is not None:
            outcome = selectors.outcome_with_meeting(user, action.outcome_id)
        return render(
            request,
            "meetings/action_detail.html",
            {
                "object": action,
                "action": action,
                "outcome": outcome,
                "shared_with": action.shared_with.all() if policy.can_edit(user) else [],
                "changes": changes,
                "open": action.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS),
                # Blocks other apps add to the page (accord/core/extensions.py).
                "record_panels": extensions.record_panels_for("action", request, action),
            },
        )


class ActionObject:
    instance_name = "action"

    def get_object(self, request, pk=None):
        return selectors.action_get(request.user, pk) if pk else None


class ActionEditView(ActionObject, ObjectEditView):
    form_class = ActionForm
    template_name = "meetings/action_form.html"
    create_service = staticmethod(services.action_create)
    update_service = staticmethod(services.action_update)

    def get_initial(self, request):
        """Raised from an outcome (?outcome=) or at a meeting (?meeting=): it starts from them."""
        if self.kwargs.get("pk"):
            return {}  # an edit shows the action as it is
        user = request.user
        initial = {}
        outcome_key = request.GET.get("outcome", "")
        meeting_key = request.GET.get("meeting", "")
        outcome = None
        if outcome_key.isdecimal() and len(outcome_key) < 19:
            outcome = selectors.outcome_with_meeting(user, int(outcome_key))
        meeting = outcome.agenda_item.meeting if outcome is not None else None
        if meeting is None and meeting_key.isdecimal() and len(meeting_key) < 19:
            meeting = selectors.meeting_list(user).filter(pk=int(meeting_key)).first()
        if outcome is not None:
            initial.update({"outcome": outcome.pk, "title": outcome.text[:300]})
        if meeting is not None:
            partners = [o for o in meeting.organizations.all() if not o.is_home]
            initial.update(
                {
                    "meeting": meeting.pk,
                    "classification": meeting.classification,
                    "organization": partners[0].pk if len(partners) == 1 else None,
                }
            )
        return initial

    def context(self, request, form, obj):
        context = super().context(request, form, obj)
        outcome = None
        value = form["outcome"].value()
        if value not in (None, "") and str(value).isdecimal() and len(str(value)) < 19:
            outcome = selectors.outcome_with_meeting(request.user, int(value))
        context["outcome"] = outcome
        if obj is None and outcome is not None:
            context["title"] = _("Raise an action")
            context["cancel_url"] = outcome.get_absolute_url()
        return context


class ActionDeleteView(ActionObject, ObjectDeleteView):
    success_url_name = "meetings:action_list"
    delete_service = staticmethod(services.action_delete)


class ActionHistoryView(ActionObject, ObjectHistoryView):
    update_service = staticmethod(services.action_update)


class ActionDoneView(ActionObject, PolicyMixin, View):
    """Mark an action done in one click (at the version the page showed)."""

    edit = True

    def get(self, request, pk):
        action = self.get_object(request, pk)
        return confirm_page(
            request,
            title=_("Mark “%(title)s” done") % {"title": action},
            text=[_("Its completion date will be today.")],
            buttons=[(None, None, _("Mark done"), "btn-success")],
            hidden={"version": action.version},
            cancel_url=action.get_absolute_url(),
        )

    def post(self, request, pk):
        action = self.get_object(request, pk)
        back = posted_next(request, action.get_absolute_url())
        try:
            services.action_update(
                actor=request.user,
                action=action,
                expected_version=read_version(request),
                status=ActionStatus.DONE,
            )
        except ConflictError:
            messages.error(
                request,
                _("“%(action)s” changed since you loaded the page: look at it again.")
                % {"action": action},
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Marked “%(action)s” done.") % {"action": action})
        return HttpResponseRedirect(back)


class ActionBulkView(PolicyMixin, View):
    """Give the ticked actions of the list one status: all or none, never over a newer edit."""

    edit = True

    def get(self, request):
        return confirm_page(
            request,
            title=_("Change the status of several actions"),
            text=[_("Tick the actions on the list, choose their new status, and apply.")],
            link={"url": reverse("meetings:action_list"), "label": _("Go to the actions")},
            cancel_url=reverse("meetings:action_list"),
        )

    def post(self, request):
        back = posted_next(request, reverse("meetings:action_list"))
        form = BulkStatusForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
            return HttpResponseRedirect(back)
        status = form.cleaned_data["status"]
        try:
            changed = bulk.action_bulk_status(
                actor=request.user, versions=form.cleaned_data["rows"], status=status
            )
        except bulk.StaleActions as exc:
            messages.error(
                request,
                _(
                    "Nothing was changed: someone changed %(actions)s since the list was "
                    "shown. Look at the list as it is now and apply again."
                )
                % {"actions": ", ".join(f"“{a}”" for a in exc.actions)},
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            label = dict(ActionStatus.choices)[status]
            messages.success(
                request,
                ngettext(
                    "%(count)s action is now “%(status)s”.",
                    "%(count)s actions are now “%(status)s”.",
                    len(changed),
                )
                % {"count": len(changed), "status": label},
            )
        return HttpResponseRedirect(back)


# ---------------------------------------------------------------- calendar


class CalendarView(PolicyMixin, KeptPageMixin, View):
    """Month, week and list views of the meetings, in the reader's time zone."""

    def get(self, request):
        form = CalendarForm(request.GET or None)
        # Bad input is shown with the calendar of today, unfiltered, as the lists show theirs.
        invalid = form.is_bound and not form.is_valid()
        if invalid:
            form = CalendarForm(None)
        if not form.is_bound:
            form.cleaned_data = {}
        tz = timezone.get_current_timezone()
        today = timezone.localdate()
        view = form.view_name()
        anchor = form.anchor()
        first_weekday = calendar.python_weekday(get_format("FIRST_DAY_OF_WEEK"))
        current = calendar.period(view, anchor, first_weekday)
        start, end = calendar.bounds(current.first, current.last, tz)
        meetings = list(
            selectors.calendar_meetings(
                request.user, start, end, form.filters(), limit=CALENDAR_LIMIT + 1
            )
        )
        truncated = len(meetings) > CALENDAR_LIMIT
        all_days = calendar.days(meetings[:CALENDAR_LIMIT], current, tz, today)
        in_period = [d for d in all_days if d.in_period]
        context = {
            "title": _("Calendar"),
            "form": CalendarForm(request.GET) if invalid else form,
            "view": view,
            "period": current,
            "heading": self.heading(view, current),
            "weeks": calendar.weeks(all_days) if view == calendar.MONTH else [],
            "days": in_period,
            "busy_days": [d for d in in_period if d.entries],
            "weekdays": self.weekday_names(first_weekday),
            "count": len({e.meeting.pk for d in in_period for e in d.entries}),
            "truncated": truncated,
            "limit": CALENDAR_LIMIT,
            "zone": timezone.get_current_timezone_name(),
            "links": self.links(request, view, current, today),
        }
        return render(request, "meetings/calendar.html", context)

    @staticmethod
    def heading(view, current) -> str:
        if view == calendar.WEEK:
            last = current.end - calendar.ONE_DAY
            return _("%(first)s to %(last)s") % {
                "first": date_format(current.start, "SHORT_DATE_FORMAT"),
                "last": date_format(last, "SHORT_DATE_FORMAT"),
            }
        return date_format(current.start, "YEAR_MONTH_FORMAT")

    @staticmethod
    def weekday_names(first_weekday: int) -> list[str]:
        from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR

        return [
            {"abbr": WEEKDAYS_ABBR[d], "name": WEEKDAYS[d]}
            for d in calendar.weekday_order(first_weekday)
        ]

    @staticmethod
    def links(request, view, current, today) -> dict:
        """The addresses of the views and the arrows, with the page's filters."""

        def url(**changes):
            params = request.GET.copy()
            for key, value in changes.items():
                params[key] = value
            return f"{request.path}?{params.urlencode()}"

        anchor = current.anchor.isoformat()
        return {
            "previous": url(view=view, date=current.previous.isoformat()),
            "next": url(view=view, date=current.next.isoformat()),
            "today": url(view=view, date=today.isoformat()),
            "month": url(view=calendar.MONTH, date=anchor),
            "week": url(view=calendar.WEEK, date=anchor),
            "list": url(view=calendar.LIST, date=anchor),
        }
