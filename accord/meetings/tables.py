"""The meeting, series and action lists: columns, sorting, paging and exports."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accord.core.tables import set_priorities

from . import cadence
from .models import Action, Meeting, Series

ATTRS = {"class": "table table-sm table-hover align-middle"}


class MeetingTable(tables.Table):
    """Columns, sorting and paging; the rows are written out in its template."""

    title = tables.Column(linkify=True, verbose_name=_("Title"))
    start = tables.Column(verbose_name=_("Start"))
    host_organization = tables.Column(
        verbose_name=_("Host"), order_by=("host_organization__acronym",)
    )
    organizations = tables.Column(verbose_name=_("Organizations"), orderable=False, empty_values=())
    # Not sortable: the order would tell where series the user may not see stand.
    series = tables.Column(verbose_name=pgettext_lazy("one", "Series"), orderable=False)

    class Meta:
        model = Meeting
        fields = [
            "title",
            "start",
            "format",
            "level",
            "status",
            "host_organization",
            "organizations",
            "series",
            "classification",
        ]
        template_name = "meetings/tables/meetings.html"
        attrs = ATTRS
        empty_text = _("No meeting matches these filters.")

    export_extra = [
        ("pk", _("ID")),
        ("end", None),
        ("time_zone", None),
        ("place", None),
        ("online_link", None),
        ("is_sample", None),
    ]

    def value_host_organization(self, record):
        return record.host_organization.acronym if record.host_organization_id else ""

    def value_organizations(self, record):
        return "; ".join(o.acronym for o in record.organizations.all())

    def value_series(self, record):
        # Prefetched through the policy: a series the user may not see is an empty cell.
        return record.series.title if record.series is not None else ""


class SeriesTable(tables.Table):
    """Columns, sorting and paging; the rows are written out in its template."""

    title = tables.Column(linkify=True, verbose_name=_("Title"))
    cadence = tables.Column(verbose_name=_("Cadence"), orderable=False)
    last_start = tables.Column(verbose_name=_("Latest meeting"), empty_values=())
    host_organization = tables.Column(
        verbose_name=_("Host"), order_by=("host_organization__acronym",)
    )

    class Meta:
        model = Series
        fields = ["title", "format", "cadence", "last_start", "host_organization", "classification"]
        template_name = "meetings/tables/series.html"
        attrs = ATTRS
        empty_text = _("No series matches these filters.")

    export_extra = [("pk", _("ID")), ("time_zone", None), ("place", None)]

    def value_cadence(self, record):
        return cadence.describe(record.cadence) or record.cadence

    def value_host_organization(self, record):
        return record.host_organization.acronym if record.host_organization_id else ""


class ActionTable(tables.Table):
    """Columns, sorting and paging; the rows are written out in its template."""

    # Header-less columns (the tick box, the "done" button) hold no data: exports skip them.
    select = tables.Column(verbose_name="", orderable=False, empty_values=())
    title = tables.Column(linkify=True, verbose_name=_("What"))
    due = tables.Column(verbose_name=_("Due"))
    owner = tables.Column(
        verbose_name=_("Owner"), orderable=False, empty_values=(), accessor="owner_user"
    )
    organization = tables.Column(verbose_name=_("Partner"), order_by=("organization__acronym",))
    meeting = tables.Column(verbose_name=_("Raised at"), order_by=("meeting__start",))
    done = tables.Column(verbose_name="", orderable=False, empty_values=())

    class Meta:
        model = Action
        fields = [
            "select",
            "title",
            "status",
            "due",
            "owner",
            "organization",
            "meeting",
            "classification",
            "done",
        ]
        template_name = "meetings/tables/actions.html"
        attrs = ATTRS
        empty_text = _("No action matches these filters.")

    export_extra = [("pk", _("ID")), ("completed_on", None), ("note", None)]

    def __init__(self, *args, editable=False, **kwargs):
        self.editable = editable
        kwargs["exclude"] = [] if editable else ["select", "done"]
        super().__init__(*args, **kwargs)

    def value_owner(self, record):
        if record.owner_user_id:
            return record.owner_user.get_username()
        # Prefetched through the policy: a person the user may not see is an empty cell.
        return record.owner_person.name if record.owner_person is not None else ""

    def value_organization(self, record):
        return record.organization.acronym if record.organization_id else ""

    def value_meeting(self, record):
        return record.meeting.title if record.meeting_id else ""


set_priorities(
    MeetingTable,
    format=2,
    level=3,
    host_organization=3,
    organizations=2,
    series=3,
    classification=3,
)
set_priorities(SeriesTable, format=2, last_start=2, host_organization=3, classification=3)
set_priorities(ActionTable, owner=2, organization=2, meeting=3, classification=3)
