from django import forms
from django.utils.translation import gettext_lazy as _

from accord.core.forms import DateField, DateInput, VersionedModelForm
from accord.core.widgets import MultiPicker, Picker

from .choices import MembershipStatus
from .models import Country, FrameworkDocument, Membership, Organization, Partnership, Person


class FormerNamesField(forms.CharField):
    """Former names, one per line."""

    widget = forms.Textarea(attrs={"rows": 2})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        if isinstance(value, list):
            return value
        return [line.strip() for line in (value or "").splitlines() if line.strip()]

    def run_validators(self, value):
        # Each name, not the list: NUL characters hide in a list's repr (PostgreSQL refuses them).
        for name in value:
            super().run_validators(name)


class CountryForm(VersionedModelForm):
    class Meta:
        model = Country
        fields = [
            "name",
            "official_name",
            "iso3",
            "iso2",
            "numeric",
            "region",
            "subregion",
            "capital",
            "capital_lat",
            "capital_lng",
            "cow_code",
            "exists_from",
            "exists_to",
            "note",
            "borders",
        ]
        widgets = {"borders": MultiPicker(kind="countries")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["borders"].queryset = Country.objects.exclude(pk=self.instance.pk)


class OrganizationForm(VersionedModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    former_names = FormerNamesField(
        label=_("Former names"), required=False, help_text=_("One per line.")
    )

    class Meta:
        model = Organization
        fields = [
            "acronym",
            "name",
            "former_names",
            "kind",
            "headquarters",
            "headquarters_country",
            "founded",
            "dissolved",
            "website",
            "description",
            "mandate_themes",
            "source",
            "cow_ioname",
            "is_home",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "headquarters_country": Picker(kind="countries"),
            "mandate_themes": MultiPicker(kind="themes"),
        }


class MembershipForm(VersionedModelForm):
    # Hidden until the service says the start is before the organization's founding year.
    confirm_before_founding = forms.BooleanField(
        label=_("Keep this start: the membership began before the organization was founded"),
        required=False,
        widget=forms.HiddenInput,
    )

    class Meta:
        model = Membership
        fields = ["organization", "country", "status", "valid_from", "valid_to", "source", "note"]
        widgets = {
            "organization": Picker(kind="organizations"),
            "country": Picker(kind="countries"),
            "valid_from": DateInput(),
            "valid_to": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A spell stays with its organization and country; end it and start another.
            for name in ("organization", "country"):
                self.fields[name].disabled = True

    def ask_before_founding(self) -> None:
        """Show the confirmation box (the service refused a start before the founding)."""
        field = self.fields["confirm_before_founding"]
        field.widget = forms.CheckboxInput(attrs={"class": "form-check-input"})


class OrganizationChoiceMixin:
    def limit_organizations(self):
        for name in ("shared_with",):
            if name in self.fields:
                self.fields[name].queryset = Organization.objects.filter(is_home=False)


class PartnershipForm(OrganizationChoiceMixin, VersionedModelForm):
    class Meta:
        model = Partnership
        fields = [
            "organization",
            "partner",
            "type",
            "basis",
            "since",
            "status",
            "priority",
            "review_on",
            "notes",
            "classification",
            "shared_with",
        ]
        widgets = {
            "organization": Picker(kind="organizations"),
            "partner": Picker(kind="organizations"),
            "basis": MultiPicker(kind="documents"),
            "since": DateInput(),
            "review_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 4}),
            "shared_with": MultiPicker(kind="partners"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_organizations()
        self.fields["basis"].queryset = FrameworkDocument.objects.visible_to(self.user)


class PersonForm(OrganizationChoiceMixin, VersionedModelForm):
    class Meta:
        model = Person
        fields = [
            "name",
            "title",
            "organization",
            "email",
            "phone",
            "partnership",
            "role",
            "description",
            "classification",
            "shared_with",
        ]
        widgets = {
            "organization": Picker(kind="organizations"),
            "partnership": Picker(kind="partnerships"),
            "description": forms.Textarea(attrs={"rows": 3}),
            "shared_with": MultiPicker(kind="partners"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_organizations()
        self.fields["partnership"].queryset = Partnership.objects.visible_to(
            self.user
        ).select_related("organization", "partner")


class FrameworkDocumentForm(OrganizationChoiceMixin, VersionedModelForm):
    class Meta:
        model = FrameworkDocument
        fields = [
            "key",
            "title",
            "year",
            "place",
            "kind",
            "adopted_on",
            "review_on",
            "expires_on",
            "description",
            "source",
            "classification",
            "shared_with",
        ]
        widgets = {
            "adopted_on": DateInput(),
            "review_on": DateInput(),
            "expires_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "shared_with": MultiPicker(kind="partners"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_organizations()


class AsOfForm(forms.Form):
    as_of = DateField(
        label=_("As of"),
        required=False,
        widget=DateInput(attrs={"class": "form-control form-control-sm"}),
    )


class MembershipBulkForm(forms.Form):
    """Many memberships of one organization: pasted rows or a file, with defaults."""

    rows = forms.CharField(
        label=_("Countries"),
        required=False,
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 8, "class": "form-control font-monospace"}),
        help_text=_(
            "One country a line (name or ISO code), or rows pasted from a spreadsheet with the "
            "columns country, status, from, to."
        ),
    )
    file = forms.FileField(
        label=_("Or a CSV or XLSX file"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control", "accept": ".csv,.txt,.tsv,.xlsx"}
        ),
        help_text=_("At most 2 MB and 1,000 rows; the first sheet of a workbook is read."),
    )
    status = forms.ChoiceField(
        label=_("Status where a row gives none"),
        choices=MembershipStatus.choices,
        initial=MembershipStatus.FULL,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    valid_from = forms.DateField(
        label=_("Member from, where a row gives no date"),
        required=False,
        widget=DateInput(attrs={"class": "form-control"}),
    )
    source = forms.CharField(
        label=_("Source"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    confirm_before_founding = forms.BooleanField(
        label=_("Accept starts before the organization was founded"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def clean(self):
        cleaned = super().clean()
        has_text = bool((cleaned.get("rows") or "").strip())
        has_file = cleaned.get("file") is not None
        if not self.errors and has_text == has_file:
            raise forms.ValidationError(
                _("Paste countries or choose a file, not both.")
                if has_text
                else _("Paste countries or choose a file.")
            )
        return cleaned
