from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from accord.core.admin_mixins import UndoableDeleteMixin

from . import services
from .forms import MembershipForm, OrganizationForm
from .models import Country, FrameworkDocument, Membership, Organization, Partnership, Person


class MembershipAdminForm(forms.ModelForm):
    """The services' founding-date rule, for memberships saved in the admin."""

    confirm_before_founding = forms.BooleanField(
        label=MembershipForm.base_fields["confirm_before_founding"].label, required=False
    )

    class Meta:
        model = Membership
        fields = MembershipForm.Meta.fields

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and "valid_from" not in self.changed_data:
            return cleaned
        organization = cleaned.get("organization")
        if organization is None and self.instance.organization_id is not None:
            organization = self.instance.organization
        if organization is None:
            return cleaned
        probe = Membership(organization=organization, valid_from=cleaned.get("valid_from"))
        try:
            services.check_after_founding(
                probe, confirmed=cleaned.get("confirm_before_founding", False)
            )
        except ValidationError as exc:
            self.add_error("valid_from", exc.error_dict["valid_from"])
        return cleaned


class OrganizationAdminForm(forms.ModelForm):
    """The services' rule: the founding year may not move past existing memberships."""

    class Meta:
        model = Organization
        fields = OrganizationForm.Meta.fields

    def clean_founded(self):
        founded = self.cleaned_data.get("founded")
        if self.instance.pk:
            try:
                services.check_founding_move(self.instance, founded)
            except ValidationError as exc:
                raise ValidationError(exc.message_dict["founded"]) from exc
        return founded


@admin.register(Country)
class CountryAdmin(UndoableDeleteMixin, SimpleHistoryAdmin):
    list_display = ["name", "iso3", "iso2", "region", "subregion", "cow_code"]
    list_filter = ["region"]
    search_fields = ["name", "iso3", "iso2", "official_name"]
    filter_horizontal = ["borders"]


class MembershipInline(admin.TabularInline):
    model = Membership
    form = MembershipAdminForm
    extra = 0
    autocomplete_fields = ["country"]
    fields = [
        "country",
        "status",
        "valid_from",
        "valid_to",
        "source",
        "note",
        "confirm_before_founding",
    ]


@admin.register(Organization)
class OrganizationAdmin(UndoableDeleteMixin, SimpleHistoryAdmin):
    form = OrganizationAdminForm
    list_display = ["acronym", "name", "kind", "headquarters", "founded", "is_home"]
    list_filter = ["kind", "is_home"]
    search_fields = ["acronym", "name"]
    autocomplete_fields = ["headquarters_country"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(UndoableDeleteMixin, SimpleHistoryAdmin):
    form = MembershipAdminForm
    list_display = ["organization", "country", "status", "valid_from", "valid_to", "source"]
    list_filter = ["status", "organization"]
    search_fields = ["country__name", "organization__acronym"]
    autocomplete_fields = ["organization", "country"]
    list_select_related = ["organization", "country"]


@admin.register(Partnership)
class PartnershipAdmin(UndoableDeleteMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "type", "status", "priority", "classification"]
    list_filter = ["status", "priority", "classification"]
    search_fields = ["organization__acronym", "partner__acronym", "partner__name"]
    autocomplete_fields = ["organization", "partner"]
    filter_horizontal = ["basis", "shared_with"]
    list_select_related = ["organization", "partner"]


@admin.register(Person)
class PersonAdmin(UndoableDeleteMixin, SimpleHistoryAdmin):
    list_display = ["name", "title", "organization", "classification"]
    list_filter = ["classification", "organization"]
    search_fields = ["name", "email", "title"]
    autocomplete_fields = ["organization", "partnership"]
    filter_horizontal = ["shared_with"]
    list_select_related = ["organization"]


@admin.register(FrameworkDocument)
class FrameworkDocumentAdmin(UndoableDeleteMixin, SimpleHistoryAdmin):
    list_display = ["title", "year", "place", "kind", "classification"]
    list_filter = ["kind", "classification"]
    search_fields = ["title", "key"]
    filter_horizontal = ["shared_with"]
