from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accord.core.admin_mixins import UndoableDeleteMixin

from .models import (
    Action,
    AgendaItem,
    Attachment,
    Meeting,
    Outcome,
    Participant,
    Series,
    SeriesAgendaItem,
)


class SeriesAgendaItemInline(admin.TabularInline):
    model = SeriesAgendaItem
    extra = 0
    fields = ["position", "title", "notes", "carry_over"]


@admin.register(Series)
class SeriesAdmin(UndoableDeleteMixin, SimpleHistoryAdmin):
    list_display = [
        "title",
        "format",
        "cadence",
        "time_zone",
        "host_organization",
        "classification",
    ]
    list_filter = ["format", "level", "classification"]
    search_fields = ["title"]
    autocomplete_fields = ["host_organization"]
    filter_horizontal = ["organizations", "themes", "shared_with"]
    list_select_related = ["host_organization"]
    inlines = [SeriesAgendaItemInline]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["position", "title", "notes", "carry_over"]


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["person", "attendance"]


@admin.register(Meeting)
class MeetingAdmin(UndoableDeleteMixin, SimpleHistoryAdmin):
    list_display = ["title", "start", "time_zone", "format", "status", "series", "classification"]
    list_filter = ["status", "format", "level", "classification", "is_sample"]
    search_fields = ["title", "place"]
    date_hierarchy = "start"
    autocomplete_fields = ["host_organization", "series"]
    filter_horizontal = ["organizations", "themes", "shared_with"]
    list_select_related = ["series"]
    inlines = [AgendaItemInline, ParticipantInline]


@admin.register(Outcome)
class OutcomeAdmin(UndoableDeleteMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "kind", "agenda_item"]
    list_filter = ["kind"]
    search_fields = ["text", "agenda_item__title"]
    raw_id_fields = ["agenda_item"]
    list_select_related = ["agenda_item"]


@admin.register(Action)
class ActionAdmin(UndoableDeleteMixin, SimpleHistoryAdmin):
    list_display = ["title", "due", "status", "owner_user", "organization", "classification"]
    list_filter = ["status", "classification"]
    search_fields = ["title", "description"]
    date_hierarchy = "due"
    autocomplete_fields = ["organization", "owner_person", "meeting"]
    raw_id_fields = ["outcome"]
    filter_horizontal = ["carried_to", "shared_with"]
    list_select_related = ["owner_user", "organization"]


@admin.register(Attachment)
class AttachmentAdmin(UndoableDeleteMixin, SimpleHistoryAdmin):
    list_display = ["original_name", "meeting", "content_type", "size", "uploaded_by"]
    search_fields = ["original_name", "meeting__title"]
    raw_id_fields = ["meeting"]
    readonly_fields = ["content_type", "size", "uploaded_by"]
    exclude = ["text"]  # read from the file when it was uploaded
    list_select_related = ["meeting", "uploaded_by"]

    def has_add_permission(self, request):
        # Uploads go through services.attachment_create(), which checks type and size.
        return False
