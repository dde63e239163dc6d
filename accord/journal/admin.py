from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accord.core.admin_mixins import UndoableDeleteMixin

from .models import JournalEntry


@admin.register(JournalEntry)
class JournalEntryAdmin(UndoableDeleteMixin, SimpleHistoryAdmin):
    list_display = ["date", "kind", "assigned_object_type", "assigned_object_id", "author"]
    list_filter = ["kind", "classification", "assigned_object_type"]
    search_fields = ["text"]
    list_select_related = ["assigned_object_type", "author"]
    raw_id_fields = ["author"]
