from django.utils.translation import gettext_lazy as _


class ConflictError(Exception):
    """Raised when a record changed since the caller read it (a stale version)."""

    def __init__(
        self,
        message=None,
        *,
        current_version: int | None = None,
        model=None,
        pk=None,
        expected_version: int | None = None,
    ):
        self.message = message or _(
            "Someone else changed this record while you were editing it. "
            "Reload it to see their change, then make yours again."
        )
        self.current_version = current_version
        # Which record, and the version the caller started from: to say what changed since.
        self.model, self.pk, self.expected_version = model, pk, expected_version
        super().__init__(str(self.message))
