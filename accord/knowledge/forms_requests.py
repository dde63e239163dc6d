"""Forms of the requests pages: they read and check input; services.py writes.

Three forms: the office's whole request (add, edit), the office's answer, and the partner's
own submission, which names no organization nor person: those come from the account.
"""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accord.core.forms import VersionedModelForm
from accord.core.pickers import KINDS, PickerKind, register
from accord.core.widgets import MultiPicker, Picker
from accord.meetings.models import Action, Meeting
from accord.registry.models import FrameworkDocument, Organization, Person
from accord.registry.pickers import best_first
from accord.taxonomy.choices import Phase
from accord.taxonomy.models import Theme

from .choices import RequestStatus
from .models import Practice, Request

MARKDOWN_HELP = _("Markdown: **bold**, *italic*, lists with “- ”, links as [text](https://…).")


# ---------------------------------------------------------------- pickers


def search_practices(queryset, q):
    found = queryset.filter(Q(title__icontains=q) | Q(summary__icontains=q))
    return best_first(found, Q(title__istartswith=q), "title")


def search_actions(queryset, q):
    return best_first(queryset.filter(title__icontains=q), Q(title__istartswith=q), "title")


def register_pickers() -> None:
    """The picker kinds the request forms use that no other app registers (yet)."""
    if "practices" not in KINDS:
        register(
            PickerKind(
                name="practices",
                rows=lambda user: Practice.objects.visible_to(user).order_by("title", "pk"),
                search=search_practices,
            )
        )
    if "actions" not in KINDS:
        register(
            PickerKind(
                name="actions",
                rows=lambda user: Action.objects.visible_to(user).order_by("-pk"),
                search=search_actions,
            )
        )


# ---------------------------------------------------------------- helpers


def merged_phases(data):
    """Posted data with phases as a flat list: a stale edit's merge puts the model's list in
    as one value (conflicts.with_values)."""
    if data is None or not hasattr(data, "getlist"):
        return data
    values = data.getlist("phases")
    if not any(isinstance(v, list) for v in values):
        return data
    data = data.copy()
    flat = []
    for value in values:
        flat.extend(value if isinstance(value, list) else [value])
    data.setlist("phases", flat)
    return data


def phases_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("Conflict-cycle phases"),
        choices=Phase.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )


# ---------------------------------------------------------------- the office's forms


class RequestForm(VersionedModelForm):
    """A request as the office records it: who asked, what, when, and what came of it."""

    phases = phases_field()

    class Meta:
        model = Request
        fields = [
            "kind",
            "subject",
            "description",
            "organization",
            "person",
            "received",
            "due",
            "status",
            "themes",
            "phases",
            "answer",
            "answered_on",
            "shared_practices",
            "shared_documents",
            "meetings",
            "actions",
            "classification",
            "shared_with",
        ]
        widgets = {
            "organization": Picker(kind="organizations"),
            "person": Picker(kind="people"),
            "themes": MultiPicker(kind="themes"),
            "shared_practices": MultiPicker(kind="practices"),
            "shared_documents": MultiPicker(kind="documents"),
            "meetings": MultiPicker(kind="meetings"),
            "actions": MultiPicker(kind="actions"),
            "shared_with": MultiPicker(kind="partners"),
            "description": forms.Textarea(attrs={"rows": 4}),
            "answer": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, data=None, *args, user=None, **kwargs):
        super().__init__(merged_phases(data), *args, user=user, **kwargs)
        self.fields["organization"].queryset = Organization.objects.visible_to(user)
        self.fields["person"].queryset = Person.objects.visible_to(user).select_related(
            "organization"
        )
        self.fields["themes"].queryset = Theme.objects.select_related("parent")
        self.fields["shared_practices"].queryset = Practice.objects.visible_to(user)
        self.fields["shared_documents"].queryset = FrameworkDocument.objects.visible_to(user)
        self.fields["meetings"].queryset = Meeting.objects.visible_to(user)
        self.fields["actions"].queryset = Action.objects.visible_to(user)
        self.fields["shared_with"].queryset = Organization.objects.filter(is_home=False)
        self.fields["received"].required = False
        self.fields["received"].help_text = _("Today if left empty.")
        self.fields["answered_on"].help_text = _("For an answered request; today if left empty.")
        self.fields["answer"].help_text = MARKDOWN_HELP

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("received") and "received" not in self.errors:
            cleaned["received"] = (
                self.instance.received if self.instance.pk else timezone.localdate()
            )
        # Answered keeps (or is given) an answer date; any other status has none.
        if cleaned.get("status") == RequestStatus.ANSWERED:
            if not cleaned.get("answered_on") and "answered_on" not in self.errors:
                cleaned["answered_on"] = self.instance.answered_on or timezone.localdate()
        elif "status" in cleaned:
            cleaned["answered_on"] = None
        return cleaned

    def service_fields(self) -> dict:
        fields = super().service_fields()
        fields["phases"] = list(self.cleaned_data.get("phases") or [])
        return fields


class RequestAnswerForm(VersionedModelForm):
    """The office's answer: the text, the day, and the practices and documents shared."""

    class Meta:
        model = Request
        fields = ["answer", "answered_on", "shared_practices", "shared_documents"]
        widgets = {
            "answer": forms.Textarea(attrs={"rows": 6}),
            "shared_practices": MultiPicker(kind="practices"),
            "shared_documents": MultiPicker(kind="documents"),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["answer"].required = True
        self.fields["answer"].help_text = MARKDOWN_HELP
        self.fields["answered_on"].help_text = _("Today if left empty.")
        self.fields["shared_practices"].queryset = Practice.objects.visible_to(user)
        self.fields["shared_practices"].help_text = _(
            "Each practice is also logged as shared with the requesting organization."
        )
        self.fields["shared_documents"].queryset = FrameworkDocument.objects.visible_to(user)

    def clean_answered_on(self):
        return self.cleaned_data.get("answered_on") or timezone.localdate()

    def _post_clean(self):
        # The model's rules are checked as the answer will be saved: with the status answered.
        status = self.instance.status
        self.instance.status = RequestStatus.ANSWERED
        try:
            super()._post_clean()
        finally:
            self.instance.status = status


# ---------------------------------------------------------------- the partner's form


class RequestSubmitForm(VersionedModelForm):
    """What a partner's focal point asks for; their organization and person are not asked."""

    class Meta:
        model = Request
        fields = ["kind", "subject", "description", "due", "themes"]
        labels = {"due": _("Wished by")}
        widgets = {
            "themes": MultiPicker(kind="themes"),
            "description": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["themes"].queryset = Theme.objects.select_related("parent")
        self.fields["description"].help_text = _(
            "What you would like to learn, and in what form (documents, a briefing, a visit)."
        )
        self.fields["due"].help_text = _("The day you would like an answer by (optional).")

    def clean_due(self):
        due = self.cleaned_data.get("due")
        if due is not None and due < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a later day."))
        return due
