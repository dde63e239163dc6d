"""Admin pages write through the same paths as the application."""

from accord.core import services


class UndoableDeleteMixin:
    """Deletes from the admin are recorded like any other, so they can be brought back."""

    def delete_model(self, request, obj):
        services.delete(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.delete(obj, actor=request.user)
