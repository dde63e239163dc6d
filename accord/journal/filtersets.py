import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accord.core.choices import Classification
from accord.core.forms import DateInput
from accord.core.widgets import Select

from . import selectors
from .attach import journal_models, model_for
from .choices import JournalKind

SEARCH_MAX = 200


def record_kinds():
    return [
        (label, model._meta.verbose_name.capitalize()) for label, model in journal_models().items()
    ]


def visible_authors(request):
    return selectors.authors(user=getattr(request, "user", None))


def select_widget():
    return Select(attrs={"class": "form-select"})


def date_widget():
    return DateInput(attrs={"class": "form-control"})


class JournalEntryFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        max_length=SEARCH_MAX,
        method="search",
        label=_("Search"),
        widget=forms.TextInput(
            attrs={"type": "search", "class": "form-control", "placeholder": _("Words in the text")}
        ),
    )
    kind = django_filters.ChoiceFilter(
        empty_label=_("All"), choices=JournalKind.choices, label=_("Kind"), widget=select_widget()
    )
    record = django_filters.ChoiceFilter(
        empty_label=_("All"),
        choices=record_kinds,
        method="filter_record",
        label=_("Kind of record"),
        widget=select_widget(),
    )
    author = django_filters.ModelChoiceFilter(
        queryset=visible_authors, empty_label=_("All"), label=_("Author"), widget=select_widget()
    )
    date_after = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label=_("From"), widget=date_widget()
    )
    date_before = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", label=_("To"), widget=date_widget()
    )
    classification = django_filters.ChoiceFilter(
        empty_label=_("All"),
        choices=Classification.choices,
        label=_("Classification"),
        widget=select_widget(),
    )

    def search(self, queryset, name, value):
        return queryset.filter(Q(text__icontains=value.strip()))

    def filter_record(self, queryset, name, value):
        model = model_for(value)
        if model is None:
            return queryset.none()
        return queryset.filter(assigned_object_type=ContentType.objects.get_for_model(model))
