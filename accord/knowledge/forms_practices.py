"""Forms of the practice pages: they read and check input; services.py writes."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accord.core.forms import BoundedModelChoiceField, DateField, VersionedModelForm
from accord.core.widgets import MultiPicker, Picker
from accord.registry.models import Organization
from accord.taxonomy.choices import Phase
from accord.taxonomy.models import Theme

from .models import Practice

MARKDOWN_HELP = _("Markdown: **bold**, *italic*, lists with “- ”, links as [text](https://…).")


def partners():
    """Whom a practice may be shared with: every organization but the home one."""
    return Organization.objects.filter(is_home=False)


class PracticeForm(VersionedModelForm):
    """A practice: what it is, what it is about, whose it is and who got it."""

    phases = forms.MultipleChoiceField(
        label=_("Conflict-cycle phases"),
        choices=Phase.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Practice
        fields = [
            "kind",
            "title",
            "summary",
            "body",
            "themes",
            "phases",
            "source_organization",
            "recipient_organizations",
            "region",
            "date",
            "classification",
            "shared_with",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 10}),
            "themes": MultiPicker(kind="themes"),
            "source_organization": Picker(kind="organizations"),
            "recipient_organizations": MultiPicker(kind="organizations"),
            "shared_with": MultiPicker(kind="partners"),
        }

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(self.merged(data), *args, **kwargs)
        self.fields["themes"].queryset = Theme.objects.select_related("parent")
        self.fields["shared_with"].queryset = partners()
        self.fields["phases"].widget.attrs["class"] = "form-check-input"
        self.fields["body"].help_text = MARKDOWN_HELP

    @staticmethod
    def merged(data):
        """Posted data with a stale edit's merged `phases` (a list in one value) spread out."""
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


class PracticeShareForm(forms.Form):
    """One line of the share log: with whom, on which day, and a note."""

    organization = BoundedModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.none(),
        widget=Picker(kind="partners", attrs={"class": "form-select"}),
    )
    shared_on = DateField(label=_("Shared on"), required=False)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = partners()
        self.fields["shared_on"].widget.attrs.setdefault("class", "form-control")
        self.fields["shared_on"].help_text = _("Today if left empty.")
        if not self.is_bound:
            self.initial.setdefault("shared_on", timezone.localdate())

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-invalid"] = "true"
