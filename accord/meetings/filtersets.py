"""The filters of the meeting, series and action lists."""

import datetime

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accord.core.choices import Classification
from accord.core.forms import DateField, DateInput
from accord.core.widgets import Picker
from accord.registry.filtersets import SEARCH_MAX, YES_NO, search_widget, select_widget
from accord.registry.models import Organization
from accord.taxonomy.models import Theme

from . import selectors
from .choices import OPEN_ACTION_STATUSES, ActionStatus, MeetingFormat, MeetingLevel, MeetingStatus
from .models import Action, Meeting, Series


class LocalDateFilter(django_filters.DateFilter):
    """A day typed in the language's format (or ISO 8601)."""

    field_class = DateField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", DateInput(attrs={"class": "form-control"}))
        super().__init__(*args, **kwargs)


def organization_filter(label):
    return django_filters.ModelChoiceFilter(
        empty_label=_("All"),
        queryset=Organization.objects.all(),
        label=label,
        widget=Picker(kind="organizations", attrs={"class": "form-select"}),
        to_field_name="acronym",
        method="filter_organization",
    )


def local_midnight(day: datetime.date) -> datetime.datetime:
    """The start of `day` in the reader's time zone."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


class MeetingFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        max_length=SEARCH_MAX,
        method="search",
        label=_("Search"),
        widget=search_widget(_("Title or place")),
    )
    organization = organization_filter(_("Partner"))
    series = django_filters.ModelChoiceFilter(
        empty_label=_("All"),
        queryset=Series.objects.none(),
        label=pgettext_lazy("one", "Series"),
        widget=Picker(kind="series", attrs={"class": "form-select"}),
    )
    # Not "format": exports take ?format=csv|xlsx.
    kind = django_filters.ChoiceFilter(
        field_name="format",
        empty_label=_("All"),
        choices=MeetingFormat.choices,
        label=_("Format"),
        widget=select_widget(),
    )
    level = django_filters.ChoiceFilter(
        empty_label=_("All"), choices=MeetingLevel.choices, label=_("Level"), widget=select_widget()
    )
    theme = django_filters.ModelChoiceFilter(
        empty_label=_("All"),
        queryset=Theme.objects.select_related("parent"),
        label=_("Theme"),
        widget=Picker(kind="themes", attrs={"class": "form-select"}),
        to_field_name="slug",
        method="filter_theme",
    )
    status = django_filters.ChoiceFilter(
        empty_label=_("All"),
        choices=MeetingStatus.choices,
        label=_("Status"),
        widget=select_widget(),
    )
    date_from = LocalDateFilter(label=_("From"), method="filter_from")
    date_to = LocalDateFilter(label=_("To"), method="filter_to")

    class Meta:
        model = Meeting
        fields = ["q", "organization", "series", "kind", "level", "theme", "status"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = request.user if request is not None else None
        self.filters["series"].queryset = Series.objects.visible_to(user)

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(title__icontains=value) | Q(place__icontains=value))

    def filter_organization(self, queryset, name, value):
        return selectors.filter_meetings(queryset, organization=value)

    def filter_theme(self, queryset, name, value):
        return selectors.filter_meetings(queryset, theme=value)

    # Days are the reader's: "from" the start of that day, "to" its end.
    def filter_from(self, queryset, name, value):
        return queryset.filter(end__gt=local_midnight(value))

    def filter_to(self, queryset, name, value):
        if value >= datetime.date.max:
            return queryset
        return queryset.filter(start__lt=local_midnight(value + datetime.timedelta(days=1)))


class SeriesFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        max_length=SEARCH_MAX, method="search", label=_("Search"), widget=search_widget(_("Title"))
    )
    organization = organization_filter(_("Partner"))
    # Not "format": exports take ?format=csv|xlsx.
    kind = django_filters.ChoiceFilter(
        field_name="format",
        empty_label=_("All"),
        choices=MeetingFormat.choices,
        label=_("Format"),
        widget=select_widget(),
    )

    class Meta:
        model = Series
        fields = ["q", "organization", "kind"]

    def search(self, queryset, name, value):
        return queryset.filter(title__icontains=value.strip())

    def filter_organization(self, queryset, name, value):
        taking_part = Series.organizations.through.objects.filter(organization=value)
        return queryset.filter(
            Q(host_organization=value) | Q(pk__in=taking_part.values("series_id"))
        )


OWNER_ME = "me"


class ActionFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        max_length=SEARCH_MAX,
        method="search",
        label=_("Search"),
        widget=search_widget(_("What")),
    )
    status = django_filters.ChoiceFilter(
        empty_label=_("All"),
        choices=ActionStatus.choices,
        label=_("Status"),
        widget=select_widget(),
    )
    owner = django_filters.ChoiceFilter(
        empty_label=_("Anyone"),
        choices=[(OWNER_ME, _("Me"))],
        label=_("Owner"),
        method="filter_owner",
        widget=select_widget(),
    )
    overdue = django_filters.ChoiceFilter(
        empty_label=_("All"),
        choices=YES_NO,
        label=_("Overdue"),
        method="filter_overdue",
        widget=select_widget(),
    )
    organization = django_filters.ModelChoiceFilter(
        empty_label=_("All"),
        queryset=Organization.objects.all(),
        label=_("Partner"),
        widget=Picker(kind="organizations", attrs={"class": "form-select"}),
        to_field_name="acronym",
    )
    due_from = LocalDateFilter(label=_("Due from"), field_name="due", lookup_expr="gte")
    due_to = LocalDateFilter(label=_("Due by"), field_name="due", lookup_expr="lte")
    classification = django_filters.ChoiceFilter(
        empty_label=_("All"),
        choices=Classification.choices,
        label=_("Classification"),
        widget=select_widget(),
    )

    class Meta:
        model = Action
        fields = ["q", "status", "owner", "overdue", "organization"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))

    def filter_owner(self, queryset, name, value):
        return queryset.filter(owner_user=self.request.user)

    def filter_overdue(self, queryset, name, value):
        # As selectors.action_list's `is_overdue` (open and due before today), written on the
        # columns so that the (status, due) index finds the rows.
        overdue = Q(status__in=OPEN_ACTION_STATUSES, due__lt=timezone.localdate())
        return queryset.filter(overdue if value == "yes" else ~overdue)
