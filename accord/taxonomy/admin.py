from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accord.core.admin_mixins import UndoableDeleteMixin

from .models import Theme


@admin.register(Theme)
class ThemeAdmin(UndoableDeleteMixin, SimpleHistoryAdmin):
    list_display = ["name", "slug", "dimension", "parent", "order"]
    list_filter = ["dimension"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]
