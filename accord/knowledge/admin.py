from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accord.core.admin_mixins import UndoableDeleteMixin

from .models import Commitment, Practice, PracticeShare, Request


class PracticeShareInline(admin.TabularInline):
    model = PracticeShare
    extra = 0
    fields = ["organization", "shared_on", "note", "shared_by"]
    autocomplete_fields = ["organization"]
    raw_id_fields = ["shared_by"]


@admin.register(Practice)
class PracticeAdmin(UndoableDeleteMixin, SimpleHistoryAdmin):
    list_display = ["title", "kind", "source_organization", "date", "classification", "is_sample"]
    list_filter = ["kind", "classification", "is_sample"]
    search_fields = ["title", "summary"]
    autocomplete_fields = ["source_organization"]
    filter_horizontal = ["themes", "recipient_organizations", "shared_with"]
    list_select_related = ["source_organization"]
    inlines = [PracticeShareInline]


@admin.register(Request)
class RequestAdmin(UndoableDeleteMixin, SimpleHistoryAdmin):
    list_display = ["subject", "kind", "organization", "received", "due", "status"]
    list_filter = ["kind", "status", "classification", "is_sample"]
    search_fields = ["subject", "description"]
    autocomplete_fields = ["organization"]
    raw_id_fields = ["person", "meetings", "actions", "submitted_by"]
    filter_horizontal = ["themes", "shared_practices", "shared_documents", "shared_with"]
    list_select_related = ["organization"]


@admin.register(Commitment)
class CommitmentAdmin(UndoableDeleteMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "document", "reference", "order"]
    list_filter = ["document"]
    search_fields = ["reference", "text"]
    filter_horizontal = ["themes", "organizations"]
    raw_id_fields = ["meetings", "actions", "practices", "requests"]
    list_select_related = ["document"]
