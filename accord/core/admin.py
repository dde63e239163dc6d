from django.contrib import admin

from .models import ApiToken, Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "organization"]
    list_filter = ["role"]
    search_fields = ["user__username"]
    autocomplete_fields = ["organization"]
    list_select_related = ["user", "organization"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "name", "created", "expires", "last_used"]
    search_fields = ["user__username", "name"]
    readonly_fields = ["prefix", "created", "last_used"]
    fields = ["user", "name", "prefix", "expires", "created", "last_used"]
    list_select_related = ["user"]

    def has_add_permission(self, request):
        # A token's secret is shown once, by `accord token create`.
        return False
