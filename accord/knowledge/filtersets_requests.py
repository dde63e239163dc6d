"""The filters of the requests list."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accord.core.widgets import Picker
from accord.registry.filtersets import SEARCH_MAX, YES_NO, search_widget, select_widget
from accord.registry.models import Organization
from accord.taxonomy.models import Theme

from . import selectors
from .choices import OPEN_REQUEST_STATUSES, RequestKind, RequestStatus
from .models import Request


def open_condition() -> Q:
    return Q(status__in=OPEN_REQUEST_STATUSES)


def overdue_condition() -> Q:
    """Due before today and neither answered nor closed: on the columns of the (status, due)
    index."""
    return Q(status__in=OPEN_REQUEST_STATUSES, due__lt=timezone.localdate())


class RequestFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        max_length=SEARCH_MAX,
        method="search",
        label=_("Search"),
        widget=search_widget(_("Subject or description")),
    )
    status = django_filters.ChoiceFilter(
        empty_label=_("All"),
        choices=RequestStatus.choices,
        label=_("Status"),
        method="filter_status",
        widget=select_widget(),
    )
    # Not "format": exports take ?format=csv|xlsx.
    kind = django_filters.ChoiceFilter(
        empty_label=_("All"),
        choices=RequestKind.choices,
        label=_("Kind"),
        method="filter_kind",
        widget=select_widget(),
    )
    organization = django_filters.ModelChoiceFilter(
        empty_label=_("All"),
        queryset=Organization.objects.all(),
        label=_("Requesting organization"),
        widget=Picker(kind="organizations", attrs={"class": "form-select"}),
        to_field_name="acronym",
        method="filter_organization",
    )
    theme = django_filters.ModelChoiceFilter(
        empty_label=_("All"),
        queryset=Theme.objects.select_related("parent"),
        label=_("Theme"),
        widget=Picker(kind="themes", attrs={"class": "form-select"}),
        to_field_name="slug",
        method="filter_theme",
    )
    open = django_filters.ChoiceFilter(
        empty_label=_("All"),
        choices=YES_NO,
        label=_("Open"),
        method="filter_open",
        widget=select_widget(),
    )
    overdue = django_filters.ChoiceFilter(
        empty_label=_("All"),
        choices=YES_NO,
        label=_("Overdue"),
        method="filter_overdue",
        widget=select_widget(),
    )

    class Meta:
        model = Request
        fields = ["q", "status", "kind", "organization", "theme", "open", "overdue"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = request.user if request is not None else None
        # Only organizations the reader may see can be chosen (and named back).
        self.filters["organization"].queryset = Organization.objects.visible_to(user)

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(subject__icontains=value) | Q(description__icontains=value))

    def filter_status(self, queryset, name, value):
        return selectors.filter_requests(queryset, status=value)

    def filter_kind(self, queryset, name, value):
        return selectors.filter_requests(queryset, kind=value)

    def filter_organization(self, queryset, name, value):
        return selectors.filter_requests(queryset, organization=value)

    def filter_theme(self, queryset, name, value):
        return selectors.filter_requests(queryset, theme=value)

    def filter_open(self, queryset, name, value):
        return queryset.filter(open_condition() if value == "yes" else ~open_condition())

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue_condition() if value == "yes" else ~overdue_condition())
