import datetime

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accord.core.choices import Classification
from accord.core.names import fold, region_name
from accord.core.widgets import Picker, Select

from .choices import (
    DocumentKind,
    OrganizationKind,
    PartnershipStatus,
    Priority,
)
from .models import Country, FrameworkDocument, Organization, Partnership, Person
from .names import search_q
from .selectors import home_member_ids

# Longer search terms are refused by the form (SQLite cannot take a huge LIKE pattern).
SEARCH_MAX = 200
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def search_widget(placeholder):
    return forms.TextInput(
        attrs={"type": "search", "class": "form-control", "placeholder": placeholder}
    )


def select_widget():
    return Select(attrs={"class": "form-select"})


def region_choices():
    # order_by() first: the default ordering by name would make DISTINCT see name too.
    regions = (
        Country.objects.exclude(region="")
        .order_by("region")
        .values_list("region", flat=True)
        .distinct()
    )
    # Shown in the reader's language, sorted as shown; the stored English name is the value.
    return sorted(((r, region_name(r)) for r in regions), key=lambda choice: fold(choice[1]))


class OrganizationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        max_length=SEARCH_MAX,
        method="search",
        label=_("Search"),
        widget=search_widget(_("Acronym or name")),
    )
    kind = django_filters.ChoiceFilter(
        empty_label=_("All"),
        choices=OrganizationKind.choices,
        label=_("Kind"),
        widget=select_widget(),
    )
    region = django_filters.ChoiceFilter(
        empty_label=_("All"),
        choices=region_choices,
        method="filter_region",
        label=_("Headquarters region"),
        widget=select_widget(),
    )
    partner = django_filters.ChoiceFilter(
        empty_label=_("All"),
        choices=YES_NO,
        method="filter_partner",
        label=_("Partner of the home organization"),
        widget=select_widget(),
    )
    area = django_filters.ChoiceFilter(
        empty_label=_("All"),
        choices=[
            ("inside", _("In a member State of the home organization")),
            ("outside", _("Elsewhere")),
        ],
        method="filter_area",
        label=_("Headquarters"),
        widget=select_widget(),
    )

    class Meta:
        model = Organization
        fields = ["q", "kind", "region", "partner", "area"]

    def search(self, queryset, name, value):
        value = value.strip()
        # Acronym, name and former names, accents and case aside, every word somewhere.
        return queryset.filter(search_q(value))

    def filter_region(self, queryset, name, value):
        return queryset.filter(headquarters_country__region=value)

    def filter_partner(self, queryset, name, value):
        return queryset.filter(is_partner=(value == "yes"))

    def filter_area(self, queryset, name, value):
        # An organization is inside the home area when its seat is in a member state of the home.
        inside = Exists(home_member_ids().filter(country_id=OuterRef("headquarters_country_id")))
        return queryset.filter(inside) if value == "inside" else queryset.exclude(inside)


class CountryFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        max_length=SEARCH_MAX,
        method="search",
        label=_("Search"),
        widget=search_widget(_("Name or ISO code")),
    )
    region = django_filters.ChoiceFilter(
        empty_label=_("All"), choices=region_choices, label=_("Region"), widget=select_widget()
    )
    home = django_filters.ChoiceFilter(
        empty_label=_("All"),
        choices=YES_NO,
        method="filter_home",
        label=_("Member of the home organization"),
        widget=select_widget(),
    )

    class Meta:
        model = Country
        fields = ["q", "region", "home"]

    def search(self, queryset, name, value):
        value = value.strip()
        # Its names in every language of the interface, former and common names too.
        return queryset.filter(search_q(value) | Q(iso3__iexact=value) | Q(iso2__iexact=value))

    def filter_home(self, queryset, name, value):
        return queryset.filter(in_home=(value == "yes"))


# Review dates within this many days count as due (the dashboard's "Due for review").
REVIEW_DAYS = 90
REVIEW_CHOICES = [
    ("due", _("Due within 90 days, or overdue")),
    ("overdue", _("Overdue")),
    ("none", _("No date set")),
]


def review_filter():
    return django_filters.ChoiceFilter(
        empty_label=_("All"),
        choices=REVIEW_CHOICES,
        method="filter_review",
        label=_("Review"),
        widget=select_widget(),
    )


def review_condition(value: str, fields: tuple[str, ...]) -> Q | None:
    """Rows whose date in any of `fields` is due (within REVIEW_DAYS), overdue, or unset."""
    today = timezone.localdate()
    horizon = today + datetime.timedelta(days=REVIEW_DAYS)
    condition = Q(pk__in=[]) if value != "none" else Q()
    for name in fields:
        if value == "due":
            condition |= Q(**{f"{name}__lte": horizon})
        elif value == "overdue":
            condition |= Q(**{f"{name}__lt": today})
        elif value == "none":
            condition &= Q(**{f"{name}__isnull": True})
        else:
            return None
    return condition


class PartnershipFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        max_length=SEARCH_MAX,
        method="search",
        label=_("Search"),
        widget=search_widget(_("Organization")),
    )
    status = django_filters.ChoiceFilter(
        empty_label=_("All"),
        choices=PartnershipStatus.choices,
        label=_("Status"),
        widget=select_widget(),
    )
    priority = django_filters.ChoiceFilter(
        empty_label=_("All"), choices=Priority.choices, label=_("Priority"), widget=select_widget()
    )
    classification = django_filters.ChoiceFilter(
        empty_label=_("All"),
        choices=Classification.choices,
        label=_("Classification"),
        widget=select_widget(),
    )

    review = review_filter()

    class Meta:
        model = Partnership
        fields = ["q", "status", "priority", "classification", "review"]

    def filter_review(self, queryset, name, value):
        condition = review_condition(value, ("review_on",))
        return queryset if condition is None else queryset.filter(condition)

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(organization__acronym__icontains=value)
            | Q(partner__acronym__icontains=value)
            | Q(partner__name__icontains=value)
        )


class PersonFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        max_length=SEARCH_MAX,
        method="search",
        label=_("Search"),
        widget=search_widget(_("Name, title or email")),
    )
    organization = django_filters.ModelChoiceFilter(
        empty_label=_("All"),
        queryset=Organization.objects.all(),
        label=_("Organization"),
        widget=Picker(kind="organizations", attrs={"class": "form-select"}),
        to_field_name="acronym",
    )

    class Meta:
        model = Person
        fields = ["q", "organization"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(name__icontains=value) | Q(title__icontains=value) | Q(email__icontains=value)
        )


class FrameworkDocumentFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        max_length=SEARCH_MAX,
        method="search",
        label=_("Search"),
        widget=search_widget(_("Title or place")),
    )
    kind = django_filters.ChoiceFilter(
        empty_label=_("All"), choices=DocumentKind.choices, label=_("Kind"), widget=select_widget()
    )

    review = review_filter()

    class Meta:
        model = FrameworkDocument
        fields = ["q", "kind", "review"]

    def filter_review(self, queryset, name, value):
        condition = review_condition(value, ("review_on", "expires_on"))
        return queryset if condition is None else queryset.filter(condition)

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(title__icontains=value) | Q(place__icontains=value))
