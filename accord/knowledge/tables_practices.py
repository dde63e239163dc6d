"""The practice list: columns, sorting, paging and exports."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from accord.core.tables import set_priorities
from accord.taxonomy.choices import Phase

from .models import Practice

ATTRS = {"class": "table table-sm table-hover align-middle"}
PHASES = dict(Phase.choices)


def phase_labels(practice) -> list[str]:
    return [str(PHASES[p]) for p in practice.phases or () if p in PHASES]


class PracticeTable(tables.Table):
    """Columns, sorting and paging; the rows are written out in its template."""

    title = tables.Column(linkify=True, verbose_name=_("Title"))
    date = tables.Column(verbose_name=_("Date"))
    source_organization = tables.Column(
        verbose_name=_("Source"), order_by=("source_organization__acronym",)
    )
    recipient_organizations = tables.Column(
        verbose_name=_("Recipients"), orderable=False, empty_values=()
    )
    themes = tables.Column(verbose_name=_("Themes"), orderable=False, empty_values=())
    phases = tables.Column(verbose_name=_("Phases"), orderable=False, empty_values=())

    class Meta:
        model = Practice
        fields = [
            "title",
            "kind",
            "date",
            "source_organization",
            "recipient_organizations",
            "themes",
            "phases",
            "region",
            "classification",
        ]
        template_name = "knowledge/practice_table.html"
        attrs = ATTRS
        empty_text = _("No practice matches these filters.")

    export_extra = [("pk", _("ID")), ("summary", None), ("is_sample", None)]

    def value_source_organization(self, record):
        return record.source_organization.acronym if record.source_organization_id else ""

    def value_recipient_organizations(self, record):
        return "; ".join(o.acronym for o in record.recipient_organizations.all())

    def value_themes(self, record):
        return "; ".join(t.display_name for t in record.themes.all())

    def value_phases(self, record):
        return "; ".join(phase_labels(record))


set_priorities(
    PracticeTable,
    kind=2,
    source_organization=2,
    recipient_organizations=3,
    themes=3,
    phases=3,
    region=3,
    classification=3,
)
