"""Forms of the commitment pages: they read and check input; services.py writes.

Also the picker kinds the link form searches (actions, practices, requests; the meetings app
registers "meetings" and "themes", the registry "documents" and "organizations").
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from accord.core.forms import VersionedModelForm, bounded
from accord.core.pickers import KINDS, PickerKind, register
from accord.core.widgets import MultiPicker, Picker
from accord.meetings.models import Action, Meeting
from accord.registry.filtersets import SEARCH_MAX, YES_NO, search_widget, select_widget
from accord.registry.models import FrameworkDocument, Organization
from accord.registry.pickers import best_first
from accord.taxonomy.choices import Phase
from accord.taxonomy.models import Theme

from . import selectors
from .models import Commitment, Practice, Request

# What the link form links, in the order the pages name them: (field, model).
LINKED = (("meeting", Meeting), ("action", Action), ("practice", Practice), ("request", Request))


class CommitmentForm(VersionedModelForm):
    """A commitment: its document (chosen once, when it is added), where it stands, its text,
    themes, phases and the organizations it names."""

    phases = forms.MultipleChoiceField(
        label=_("Conflict-cycle phases"),
        choices=Phase.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    source = forms.URLField(
        label=_("Source"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("The address of the document's text (http or https)."),
    )

    class Meta:
        model = Commitment
        fields = ["document", "reference", "text", "source", "themes", "phases", "organizations"]
        widgets = {
            "document": Picker(kind="documents"),
            "themes": MultiPicker(kind="themes"),
            "organizations": MultiPicker(kind="organizations"),
            "text": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, data=None, *args, instance=None, user=None, **kwargs):
        super().__init__(self.merged(data), *args, instance=instance, user=user, **kwargs)
        document = self.fields["document"]
        document.queryset = FrameworkDocument.objects.visible_to(user).order_by("-year", "title")
        if instance is not None and instance.pk:
            # A commitment stays with its document (commitment_update keeps it).
            document.disabled = True
            document.help_text = _("A commitment stays in the document it was added to.")
        self.fields["themes"].queryset = Theme.objects.select_related("parent")
        self.fields["organizations"].queryset = Organization.objects.order_by("acronym")
        self.fields["phases"].widget.attrs["class"] = "form-check-input"

    @staticmethod
    def merged(data):
        """Posted data after a stale edit's merge: `phases` may come back as one list."""
        if data is None or not hasattr(data, "getlist"):
            return data
        values = data.getlist("phases")
        if not any(isinstance(v, list) for v in values):
            return data
        data = data.copy()
        phases = []
        for value in values:
            phases.extend(value if isinstance(value, list) else [value])
        data.setlist("phases", phases)
        return data

    def service_fields(self) -> dict:
        fields = super().service_fields()
        fields["phases"] = list(self.cleaned_data.get("phases") or [])
        return fields


class LinkForm(forms.Form):
    """A meeting, action, practice or request (one or several) that implements a commitment:
    only records the user may see can be picked."""

    meeting = forms.ModelChoiceField(
        label=_("Meeting"),
        queryset=Meeting.objects.none(),
        required=False,
        widget=Picker(kind="meetings"),
    )
    action = forms.ModelChoiceField(
        label=_("Action"),
        queryset=Action.objects.none(),
        required=False,
        widget=Picker(kind="actions"),
    )
    practice = forms.ModelChoiceField(
        label=_("Practice"),
        queryset=Practice.objects.none(),
        required=False,
        widget=Picker(kind="practices"),
    )
    request = forms.ModelChoiceField(
        label=_("Request"),
        queryset=Request.objects.none(),
        required=False,
        widget=Picker(kind="requests"),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.visible_to(user).order_by("-start", "-pk")
        self.fields["action"].queryset = Action.objects.visible_to(user).order_by("-pk")
        self.fields["practice"].queryset = Practice.objects.visible_to(user).order_by("-pk")
        self.fields["request"].queryset = (
            Request.objects.visible_to(user).select_related("organization").order_by("-pk")
        )
        for field in self.fields.values():
            bounded(field)
            field.widget.attrs.setdefault("class", "form-select")

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not any(cleaned.get(name) for name, _model in LINKED):
            raise forms.ValidationError(
                _("Choose a meeting, an action, a practice or a request to link.")
            )
        return cleaned

    def records(self) -> list:
        return [self.cleaned_data[name] for name, _model in LINKED if self.cleaned_data.get(name)]


class UnlinkForm(forms.Form):
    """Which linked record to unlink: its kind and id."""

    kind = forms.ChoiceField(choices=[(name, name) for name, _model in LINKED])
    record = forms.IntegerField(min_value=1, max_value=2**63 - 1)

    def record_of(self, user):
        """The record, if the user may see it; else None."""
        model = dict(LINKED)[self.cleaned_data["kind"]]
        return model.objects.visible_to(user).filter(pk=self.cleaned_data["record"]).first()


class RecordLinkForm(UnlinkForm):
    """From a meeting's or an action's page: the commitment it implements."""

    commitment = forms.ModelChoiceField(
        label=_("Commitment"),
        queryset=Commitment.objects.none(),
        widget=Picker(kind="commitments"),
    )
    next = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    field_order = ["commitment", "kind", "record", "next"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commitment"].queryset = (
            Commitment.objects.visible_to(user)
            .select_related("document")
            .order_by("document__year", "document__title", "order", "pk")
        )
        bounded(self.fields["commitment"])
        self.fields["commitment"].widget.attrs.setdefault("class", "form-select")
        self.fields["kind"].widget = forms.HiddenInput()
        self.fields["record"].widget = forms.HiddenInput()


# ---------------------------------------------------------------- the list's filters


class CommitmentFilterSet(django_filters.FilterSet):
    """The filters of the commitment list (selectors.filter_commitments, stale_commitments)."""

    q = django_filters.CharFilter(
        max_length=SEARCH_MAX,
        method="search",
        label=_("Search"),
        widget=search_widget(_("Reference or text")),
    )
    document = django_filters.ModelChoiceFilter(
        empty_label=_("All"),
        queryset=FrameworkDocument.objects.none(),
        label=_("Document"),
        widget=Picker(kind="documents", attrs={"class": "form-select"}),
        method="filter_document",
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
    organization = django_filters.ModelChoiceFilter(
        empty_label=_("All"),
        queryset=Organization.objects.all(),
        label=_("Organization named"),
        widget=Picker(kind="organizations", attrs={"class": "form-select"}),
        to_field_name="acronym",
        method="filter_organization",
    )
    stale = django_filters.ChoiceFilter(
        empty_label=_("All"),
        choices=YES_NO,
        label=_("No activity in 12 months"),
        method="filter_stale",
        widget=select_widget(),
    )

    class Meta:
        model = Commitment
        fields = ["q", "document", "theme", "phase", "organization", "stale"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.user = request.user if request is not None else None
        self.filters["document"].queryset = FrameworkDocument.objects.visible_to(
            self.user
        ).order_by("-year", "title")

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(reference__icontains=value) | Q(text__icontains=value))

    def filter_document(self, queryset, name, value):
        return selectors.filter_commitments(queryset, document=value)

    def filter_theme(self, queryset, name, value):
        return selectors.filter_commitments(queryset, theme=value)

    def filter_phase(self, queryset, name, value):
        return selectors.filter_commitments(queryset, phase=value)

    def filter_organization(self, queryset, name, value):
        return selectors.filter_commitments(queryset, organization=value)

    def filter_stale(self, queryset, name, value):
        stale = selectors.stale_commitments(self.user, timezone.localdate()).values("pk")
        if value == "yes":
            return queryset.filter(pk__in=stale)
        return queryset.exclude(pk__in=stale)


# ---------------------------------------------------------------- picker kinds


def action_label(action) -> str:
    if action.due:
        return f"{action.title} ({formats.date_format(action.due, 'SHORT_DATE_FORMAT')})"
    return action.title


def search_actions(queryset, q):
    return best_first(queryset.filter(title__icontains=q), Q(title__istartswith=q), "-pk")


def search_practices(queryset, q):
    found = queryset.filter(Q(title__icontains=q) | Q(summary__icontains=q))
    return best_first(found, Q(title__istartswith=q), "-pk")


def request_label(request) -> str:
    return f"{request.organization.acronym}: {request.subject}"


def search_requests(queryset, q):
    found = queryset.filter(Q(subject__icontains=q) | Q(organization__acronym__iexact=q))
    return best_first(found, Q(subject__istartswith=q), "-pk")


def register_pickers() -> None:
    """The kinds the link form searches, unless an app registered them already."""
    kinds = [
        PickerKind(
            name="actions",
            rows=lambda user: Action.objects.visible_to(user).order_by("-pk"),
            search=search_actions,
            label=action_label,
        ),
        PickerKind(
            name="practices",
            rows=lambda user: Practice.objects.visible_to(user).order_by("-pk"),
            search=search_practices,
        ),
        PickerKind(
            name="requests",
            rows=lambda user: Request.objects.visible_to(user).order_by("-pk"),
            search=search_requests,
            label=request_label,
            related=("organization",),
        ),
    ]
    for kind in kinds:
        if kind.name not in KINDS:
            register(kind)
