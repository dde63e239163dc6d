"""Forms of the meetings pages: they read and check input; services.py writes."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from accord.core.forms import BIGINT_MAX, DateField, VersionedModelForm
from accord.core.widgets import MultiPicker, Picker
from accord.registry.models import Organization, Person
from accord.taxonomy.choices import Phase
from accord.taxonomy.models import Theme

from . import calendar, recurrence
from .choices import ActionStatus, Attendance, MeetingFormat, MeetingStatus
from .models import Action, AgendaItem, Meeting, Outcome, Series
from .pickers import owner_rows

TIME_FORMAT = "%H:%M"


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(recurrence.time_zone_names())]


def time_zone_field(**kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Time zone"),
        choices=time_zone_choices,
        widget=Picker(kind="timezones"),
        help_text=_("The place's time zone, as the IANA database names it (Europe/Vienna)."),
        **kwargs,
    )


class TimeInput(forms.TimeInput):
    """A 24-hour time, 14:30, the same in every language."""

    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"inputmode": "numeric", "autocomplete": "off", "placeholder": "HH:MM"}
            | (attrs or {}),
            format=TIME_FORMAT,
        )


def time_field(label, *, required=True) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=required,
        input_formats=[TIME_FORMAT, "%H:%M:%S", "%H.%M"],
        widget=TimeInput(),
        error_messages={"invalid": _("Enter a time as HH:MM, for example 14:30.")},
    )


def local_moment(day: datetime.date, time: datetime.time, tz_name: str):
    """The aware time of a wall-clock `day` `time` in `tz_name`; None if the clocks skip it."""
    tz = recurrence.zone(tz_name)
    local = datetime.datetime.combine(day, time)
    if not recurrence.exists_locally(local, tz):
        return None
    return recurrence.aware(local, tz)


def limit_partners(form) -> None:
    """Whom a record may be shared with: every organization but the home one."""
    if "shared_with" in form.fields:
        form.fields["shared_with"].queryset = Organization.objects.filter(is_home=False)


def picked_people(user):
    return Person.objects.visible_to(user).select_related("organization")


class MeetingForm(VersionedModelForm):
    """A meeting: its start and end typed as local date and time in the chosen time zone."""

    time_zone = time_zone_field()
    start_date = DateField(label=_("Start date"))
    start_time = time_field(_("Start time"))
    end_date = DateField(
        label=_("End date"), required=False, help_text=_("Leave empty for the same day.")
    )
    end_time = time_field(_("End time"))
    phases = forms.MultipleChoiceField(
        label=_("Conflict-cycle phases"),
        choices=Phase.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    online_link = forms.URLField(
        label=_("Online link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("The address of the video call (http or https)."),
    )
    invited = forms.ModelMultipleChoiceField(
        label=_("Invited"),
        queryset=Person.objects.none(),
        required=False,
        widget=MultiPicker(kind="people"),
    )
    attended = forms.ModelMultipleChoiceField(
        label=_("Attended"),
        queryset=Person.objects.none(),
        required=False,
        widget=MultiPicker(kind="people"),
    )
    excused = forms.ModelMultipleChoiceField(
        label=_("Excused"),
        queryset=Person.objects.none(),
        required=False,
        widget=MultiPicker(kind="people"),
    )

    ATTENDANCE = (
        ("invited", Attendance.INVITED),
        ("attended", Attendance.ATTENDED),
        ("excused", Attendance.EXCUSED),
    )

    class Meta:
        model = Meeting
        fields = [
            "title",
            "series",
            "format",
            "level",
            "status",
            "time_zone",
            "place",
            "online_link",
            "host_organization",
            "organizations",
            "themes",
            "phases",
            "classification",
            "shared_with",
            "minutes",
        ]
        widgets = {
            "series": Picker(kind="series"),
            "host_organization": Picker(kind="organizations"),
            "organizations": MultiPicker(kind="organizations"),
            "themes": MultiPicker(kind="themes"),
            "shared_with": MultiPicker(kind="partners"),
            "minutes": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, data=None, *args, instance=None, initial=None, user=None, **kwargs):
        data = self.merged(data, instance)
        initial = dict(initial or {})
        if instance is not None and instance.pk:
            start, end = instance.local_start, instance.local_end
            initial.setdefault("start_date", start.date())
            initial.setdefault("start_time", start.time())
            initial.setdefault("end_time", end.time())
            if end.date() != start.date():
                initial.setdefault("end_date", end.date())
            # The participants the user may see (editors see them all).
            for name, attendance in self.ATTENDANCE:
                initial.setdefault(
                    name,
                    [
                        p.person_id
                        for p in instance.participants.all()
                        if p.attendance == attendance
                    ],
                )
        super().__init__(data, *args, instance=instance, initial=initial, user=user, **kwargs)
        limit_partners(self)
        self.fields["series"].queryset = Series.objects.visible_to(user)
        self.fields["themes"].queryset = Theme.objects.select_related("parent")
        for name, _attendance in self.ATTENDANCE:
            self.fields[name].queryset = picked_people(user)
        self.fields["phases"].widget.attrs["class"] = "form-check-input"
        self.fields["minutes"].help_text = _(
            "Markdown: **bold**, *italic*, lists with “- ”, links as [text](https://…)."
        )

    @staticmethod
    def merged(data, instance):
        """Posted data as the form reads it, after a stale edit's merge put model values in.

        conflicts.with_values() writes the model's fields: `start`, `end` (aware times) and
        `phases` (a list): they are turned back into the form's own fields.
        """
        if data is None or not hasattr(data, "getlist"):
            return data
        if (
            "start" not in data
            and "end" not in data
            and not any(isinstance(v, list) for v in data.getlist("phases"))
        ):
            return data
        data = data.copy()
        tz = recurrence.zone(data.get("time_zone") or (instance.time_zone if instance else "UTC"))
        for name in ("start", "end"):
            value = data.get(name)
            if isinstance(value, datetime.datetime):
                local = value.astimezone(tz)
                data[f"{name}_date"] = local.date().isoformat()
                data[f"{name}_time"] = local.strftime(TIME_FORMAT)
            data.pop(name, None)
        phases = []
        for value in data.getlist("phases"):
            phases.extend(value if isinstance(value, list) else [value])
        data.setlist("phases", phases)
        return data

    def clean(self):
        cleaned = super().clean()
        tz_name = cleaned.get("time_zone")
        start_date, start_time = cleaned.get("start_date"), cleaned.get("start_time")
        end_time = cleaned.get("end_time")
        end_date = cleaned.get("end_date") or start_date
        if tz_name and start_date and start_time:
            start = local_moment(start_date, start_time, tz_name)
            if start is None:
                self.add_error("start_time", self.skipped(start_date, start_time, tz_name))
            cleaned["start"] = start
        if tz_name and end_date and end_time:
            end = local_moment(end_date, end_time, tz_name)
            if end is None:
                self.add_error("end_time", self.skipped(end_date, end_time, tz_name))
            cleaned["end"] = end
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end <= start:
            self.add_error("end_time", _("A meeting ends after it starts."))
        seen: dict[int, str] = {}
        for name, _attendance in self.ATTENDANCE:
            for person in cleaned.get(name) or ():
                if person.pk in seen:
                    self.add_error(
                        name,
                        _("%(person)s is already under “%(other)s”.")
                        % {"person": person.name, "other": self.fields[seen[person.pk]].label},
                    )
                seen.setdefault(person.pk, name)
        return cleaned

    @staticmethod
    def skipped(day, time, tz_name) -> str:
        return _("%(date)s %(time)s does not exist in %(zone)s: the clocks skip it.") % {
            "date": date_format(day, "SHORT_DATE_FORMAT"),
            "time": time.strftime(TIME_FORMAT),
            "zone": tz_name,
        }

    def service_fields(self) -> dict:
        fields = super().service_fields()
        fields["start"] = self.cleaned_data["start"].astimezone(datetime.UTC)
        fields["end"] = self.cleaned_data["end"].astimezone(datetime.UTC)
        fields["phases"] = list(self.cleaned_data.get("phases") or [])
        fields["participants"] = [
            (person, attendance)
            for name, attendance in self.ATTENDANCE
            for person in self.cleaned_data.get(name) or ()
        ]
        return fields


class TemplateItemForm(forms.Form):
    """One item of a series' template agenda; an empty title leaves the row out."""

    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
    notes = forms.CharField(
        label=_("Notes"),
        max_length=2000,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
    carry_over = forms.BooleanField(
        label=_("Carry over"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


TemplateAgendaFormSet = forms.formset_factory(
    TemplateItemForm, extra=3, max_num=50, validate_max=True, absolute_max=50
)


class SeriesForm(VersionedModelForm):
    """A series with its template agenda (a formset the form carries)."""

    time_zone = time_zone_field()
    default_start_time = time_field(_("Default start time"), required=False)
    online_link = forms.URLField(
        label=_("Online link"), required=False, max_length=500, assume_scheme="https"
    )

    class Meta:
        model = Series
        fields = [
            "title",
            "format",
            "level",
            "cadence",
            "time_zone",
            "default_start_time",
            "default_duration_minutes",
            "place",
            "online_link",
            "host_organization",
            "organizations",
            "themes",
            "classification",
            "shared_with",
        ]
        widgets = {
            "host_organization": Picker(kind="organizations"),
            "organizations": MultiPicker(kind="organizations"),
            "themes": MultiPicker(kind="themes"),
            "shared_with": MultiPicker(kind="partners"),
        }

    def __init__(self, data=None, *args, instance=None, **kwargs):
        super().__init__(data, *args, instance=instance, **kwargs)
        limit_partners(self)
        self.fields["themes"].queryset = Theme.objects.select_related("parent")
        self.fields["default_start_time"].help_text = _(
            "Local time of day in the series' time zone."
        )
        initial = []
        if instance is not None and instance.pk:
            initial = [
                {"title": i.title, "notes": i.notes, "carry_over": i.carry_over}
                for i in instance.template_items.order_by("position")
            ]
        self.agenda = TemplateAgendaFormSet(
            data if data is not None and "agenda-TOTAL_FORMS" in data else None,
            prefix="agenda",
            initial=initial,
        )

    def is_valid(self):
        valid = super().is_valid()
        # A form from before the template agenda existed (or without it) keeps the template.
        return (self.agenda.is_valid() if self.agenda.is_bound else True) and valid

    def service_fields(self) -> dict:
        fields = super().service_fields()
        if self.agenda.is_bound:
            fields["template_agenda"] = [
                {
                    "title": row.cleaned_data["title"].strip(),
                    "notes": row.cleaned_data.get("notes", ""),
                    "carry_over": row.cleaned_data.get("carry_over", False),
                }
                for row in self.agenda.forms
                if row.cleaned_data.get("title", "").strip()
            ]
        return fields


class ActionForm(VersionedModelForm):
    """An action: its owner is a user or a person, not both."""

    outcome = forms.ModelChoiceField(
        queryset=Outcome.objects.none(), required=False, widget=forms.HiddenInput
    )

    class Meta:
        model = Action
        fields = [
            "title",
            "description",
            "owner_user",
            "owner_person",
            "organization",
            "meeting",
            "outcome",
            "due",
            "status",
            "completed_on",
            "note",
            "classification",
            "shared_with",
        ]
        widgets = {
            "owner_user": Picker(kind="users"),
            "owner_person": Picker(kind="people"),
            "organization": Picker(kind="partners"),
            "meeting": Picker(kind="meetings"),
            "description": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 2}),
            "shared_with": MultiPicker(kind="partners"),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        limit_partners(self)
        self.fields["owner_user"].queryset = owner_rows(user)
        self.fields["owner_person"].queryset = picked_people(user)
        self.fields["organization"].queryset = Organization.objects.filter(is_home=False)
        self.fields["meeting"].queryset = Meeting.objects.visible_to(user)
        self.fields["outcome"].queryset = Outcome.objects.visible_to(user).select_related(
            "agenda_item"
        )
        self.fields["completed_on"].help_text = _("For a done action; today if left empty.")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("owner_user") and cleaned.get("owner_person"):
            self.add_error("owner_person", _("An action has one owner: a user or a person."))
        return cleaned


class AgendaItemForm(VersionedModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "notes", "carry_over", "position"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        position = self.fields["position"]
        position.required = False
        position.min_value = 1
        position.help_text = _("Leave empty to add it at the end.")


class OutcomeForm(VersionedModelForm):
    class Meta:
        model = Outcome
        fields = ["kind", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
        max_length=200,
    )


class CalendarForm(forms.Form):
    """The calendar's view, day and filters, read from the address."""

    view = forms.ChoiceField(
        label=_("View"),
        required=False,
        choices=[
            (calendar.MONTH, _("Month")),
            (calendar.WEEK, _("Week")),
            (calendar.LIST, _("List")),
        ],
    )
    date = DateField(label=_("Date"), required=False)
    organization = forms.ModelChoiceField(
        label=_("Partner"),
        queryset=Organization.objects.all(),
        to_field_name="acronym",
        required=False,
        empty_label=_("All"),
        widget=Picker(kind="organizations", attrs={"class": "form-select"}),
    )
    kind = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[("", _("All")), *MeetingFormat.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.select_related("parent"),
        to_field_name="slug",
        required=False,
        empty_label=_("All"),
        widget=Picker(kind="themes", attrs={"class": "form-select"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *MeetingStatus.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    # A calendar far from today has no meeting and would only overflow the date arithmetic.
    YEARS = (1900, 2200)

    def clean_date(self):
        day = self.cleaned_data.get("date")
        if day is not None and not self.YEARS[0] <= day.year <= self.YEARS[1]:
            raise forms.ValidationError(
                _("Choose a date between the years %(first)s and %(last)s.")
                % {"first": self.YEARS[0], "last": self.YEARS[1]}
            )
        return day

    def filters(self) -> dict:
        data = self.cleaned_data
        return {
            "organization": data.get("organization"),
            "format": data.get("kind") or None,
            "theme": data.get("theme"),
            "status": data.get("status") or None,
        }

    def anchor(self) -> datetime.date:
        return self.cleaned_data.get("date") or timezone.localdate()

    def view_name(self) -> str:
        return self.cleaned_data.get("view") or calendar.MONTH


BULK_MAX = 500


class RowsField(forms.Field):
    """The ticked rows of a list, each "id:version": {id: version}."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": _("Tick at least one action."),
        "altered": _("The list was altered: reload it and try again."),
        "too_many": _("At most %(max)s actions at once."),
    }

    def to_python(self, value) -> dict[int, int]:
        values = list(value) if isinstance(value, list | tuple) else ([value] if value else [])
        if len(values) > BULK_MAX:
            raise forms.ValidationError(
                self.error_messages["too_many"], code="too_many", params={"max": BULK_MAX}
            )
        found: dict[int, int] = {}
        for item in values:
            pk, sep, version = str(item).partition(":")
            if not (sep and pk.isdecimal() and version.isdecimal() and len(pk + version) < 30):
                raise forms.ValidationError(self.error_messages["altered"], code="altered")
            if not (1 <= int(pk) <= BIGINT_MAX and int(version) <= BIGINT_MAX):
                raise forms.ValidationError(self.error_messages["altered"], code="altered")
            found[int(pk)] = int(version)
        return found


class BulkStatusForm(forms.Form):
    """Many actions given one status; each ticked row carries the version the list showed."""

    rows = RowsField()
    status = forms.ChoiceField(label=_("New status"), choices=ActionStatus.choices)
