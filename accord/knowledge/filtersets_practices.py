"""The filters of the practice list."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accord.core.widgets import Picker
from accord.registry.filtersets import SEARCH_MAX, search_widget, select_widget
from accord.registry.models import Organization
from accord.taxonomy.choices import Phase
from accord.taxonomy.models import Theme

from . import selectors
from .choices import PracticeKind
from .models import Practice

# Years a practice may be dated in: beyond them a "year" is a typing error.
YEARS = (1900, 2200)


def organization_filter(label, method):
    return django_filters.ModelChoiceFilter(
        empty_label=_("All"),
        queryset=Organization.objects.all(),
        label=label,
        widget=Picker(kind="organizations", attrs={"class": "form-select"}),
        to_field_name="acronym",
        method=method,
    )


class PracticeFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        max_length=SEARCH_MAX,
        method="search",
        label=_("Search"),
        widget=search_widget(_("Title, summary or region")),
    )
    kind = django_filters.ChoiceFilter(
        empty_label=_("All"), choices=PracticeKind.choices, label=_("Kind"), widget=select_widget()
    )
    theme = django_filters.ModelChoiceFilter(
        empty_label=_("All"),
        queryset=Theme.objects.select_related("parent"),
        label=_("Theme"),
        widget=Picker(kind="themes", attrs={"class": "form-select"}),
        to_field_name="slug",
        method="filter_theme",
    )
    phase = django_filters.ChoiceFilter(
        empty_label=_("All"),
        choices=Phase.choices,
        label=_("Phase"),
        method="filter_phase",
        widget=select_widget(),
    )
    source = organization_filter(_("Source"), "filter_source")
    recipient = organization_filter(_("Recipient"), "filter_recipient")
    year = django_filters.NumberFilter(
        label=_("Year"),
        method="filter_year",
        min_value=YEARS[0],
        max_value=YEARS[1],
        widget=forms.NumberInput(
            attrs={"class": "form-control", "min": YEARS[0], "max": YEARS[1], "step": 1}
        ),
    )

    class Meta:
        model = Practice
        fields = ["q", "kind", "theme", "phase", "source", "recipient", "year"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(title__icontains=value) | Q(summary__icontains=value) | Q(region__icontains=value)
        )

    def filter_theme(self, queryset, name, value):
        return selectors.filter_practices(queryset, theme=value)

    def filter_phase(self, queryset, name, value):
        return selectors.filter_practices(queryset, phase=value)

    def filter_source(self, queryset, name, value):
        return queryset.filter(source_organization=value)

    def filter_recipient(self, queryset, name, value):
        received = Practice.recipient_organizations.through.objects.filter(organization=value)
        return queryset.filter(pk__in=received.values("practice_id"))

    def filter_year(self, queryset, name, value):
        if value != int(value):
            return queryset.none()
        return queryset.filter(date__year=int(value))
