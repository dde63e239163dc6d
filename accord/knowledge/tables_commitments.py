"""The commitment list: columns, paging and exports. The page writes the rows out grouped by
their framework document (knowledge/commitment_table.html), so the rows keep the selector's
order (document, then place in it) and the columns do not sort."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from accord.core.tables import set_priorities

from .models import Commitment
from .selectors import last_activity

ATTRS = {"class": "table table-sm table-hover align-middle"}
# The text as the list shows it; the page of the commitment has it whole.
SHORT_TEXT = 160


class CommitmentTable(tables.Table):
    """Rows annotated by selectors.commitment_activity()."""

    document = tables.Column(verbose_name=_("Document"), empty_values=())
    reference = tables.Column(verbose_name=_("Reference"), linkify=True)
    text = tables.Column(verbose_name=_("Text"))
    themes = tables.Column(verbose_name=_("Themes"), empty_values=())
    organizations = tables.Column(verbose_name=_("Organizations named"), empty_values=())
    n_activities = tables.Column(verbose_name=_("Activities"))
    last_activity = tables.Column(verbose_name=_("Last activity"), empty_values=())
    is_stale = tables.BooleanColumn(verbose_name=_("No activity in 12 months"))

    class Meta:
        model = Commitment
        fields = [
            "document",
            "reference",
            "text",
            "themes",
            "organizations",
            "n_activities",
            "last_activity",
            "is_stale",
        ]
        sequence = fields
        orderable = False
        template_name = "knowledge/commitment_table.html"
        attrs = ATTRS
        empty_text = _("No commitment matches these filters.")

    export_extra = [("pk", _("ID")), ("source", None), ("phases", None)]

    def value_document(self, record):
        return f"{record.document.title} ({record.document.year})"

    def value_themes(self, record):
        return "; ".join(theme.display_name for theme in record.themes.all())

    def value_organizations(self, record):
        return "; ".join(org.acronym for org in record.organizations.all())

    def value_last_activity(self, record):
        return last_activity(record)


set_priorities(CommitmentTable, themes=3, organizations=2, last_activity=2)
