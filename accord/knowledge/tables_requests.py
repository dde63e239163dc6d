"""The requests list: columns, sorting, paging and exports."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accord.core.tables import set_priorities

from .models import Request

ATTRS = {"class": "table table-sm table-hover align-middle"}


class RequestTable(tables.Table):
    """Columns, sorting and paging; the rows are written out in its template."""

    subject = tables.Column(linkify=True, verbose_name=_("Subject"))
    kind = tables.Column(verbose_name=_("Kind"))
    organization = tables.Column(
        verbose_name=_("Requesting organization"), order_by=("organization__acronym", "pk")
    )
    received = tables.Column(verbose_name=_("Received"))
    due = tables.Column(verbose_name=_("Due"))
    status = tables.Column(verbose_name=_("Status"))
    themes = tables.Column(verbose_name=_("Themes"), orderable=False, empty_values=())
    classification = tables.Column(verbose_name=_("Classification"))

    class Meta:
        model = Request
        fields = [
            "subject",
            "kind",
            "organization",
            "received",
            "due",
            "status",
            "themes",
            "classification",
        ]
        template_name = "knowledge/request_table.html"
        attrs = ATTRS
        empty_text = _("No request matches these filters.")

    export_extra = [
        ("pk", _("ID")),
        ("description", None),
        ("answered_on", None),
        ("is_sample", None),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The reader's day, for the "overdue" mark of each row.
        self.today = timezone.localdate()

    def value_organization(self, record):
        return record.organization.acronym

    def value_themes(self, record):
        return "; ".join(t.display_name for t in record.themes.all())


set_priorities(RequestTable, kind=2, organization=2, received=3, themes=3, classification=3)
