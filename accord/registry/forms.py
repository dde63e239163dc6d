from django import forms
from django.utils.translation import gettext_lazy as _

from accord.core.forms import DateInput, VersionedModelForm

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
            "borders",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["borders"].widget.attrs["size"] = 8
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
            "source",
            "cow_ioname",
            "is_home",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class MembershipForm(VersionedModelForm):
    class Meta:
        model = Membership
        fields = ["organization", "country", "status", "valid_from", "valid_to", "source", "note"]
        widgets = {"valid_from": DateInput(), "valid_to": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A spell stays with its organization and country; end it and start another.
            for name in ("organization", "country"):
                self.fields[name].disabled = True


class OrganizationChoiceMixin:
    def limit_organizations(self):
        for name in ("shared_with",):
            if name in self.fields:
                self.fields[name].queryset = Organization.objects.filter(is_home=False)
                self.fields[name].widget.attrs["size"] = 6


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
            "notes",
            "classification",
            "shared_with",
        ]
        widgets = {"since": DateInput(), "notes": forms.Textarea(attrs={"rows": 4})}

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
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

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
            "description",
            "source",
            "classification",
            "shared_with",
        ]
        widgets = {"adopted_on": DateInput(), "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_organizations()


class AsOfForm(forms.Form):
    as_of = forms.DateField(label=_("As of"), required=False, widget=DateInput())
