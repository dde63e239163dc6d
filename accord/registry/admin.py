from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accord.core.admin_mixins import UndoableDeleteMixin

from .models import Country, FrameworkDocument, Membership, Organization, Partnership, Person


@admin.register(Country)
class CountryAdmin(UndoableDeleteMixin, SimpleHistoryAdmin):
    list_display = ["name", "iso3", "iso2", "region", "subregion", "cow_code"]
    list_filter = ["region"]
    search_fields = ["name", "iso3", "iso2", "official_name"]
    filter_horizontal = ["borders"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["country"]
    fields = ["country", "status", "valid_from", "valid_to", "source", "note"]


@admin.register(Organization)
class OrganizationAdmin(UndoableDeleteMixin, SimpleHistoryAdmin):
    list_display = ["acronym", "name", "kind", "headquarters", "founded", "is_home"]
    list_filter = ["kind", "is_home"]
    search_fields = ["acronym", "name"]
    autocomplete_fields = ["headquarters_country"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(UndoableDeleteMixin, SimpleHistoryAdmin):
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
