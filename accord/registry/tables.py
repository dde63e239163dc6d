import django_tables2 as tables
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accord.core.tables import set_priorities, table_columns_of

from .models import Country, FrameworkDocument, Membership, Organization, Partnership, Person

ATTRS = {"class": "table table-sm table-hover align-middle"}


class OrganizationTable(tables.Table):
    """Columns, sorting and paging; the rows are written out in its template."""

    acronym = tables.Column(linkify=True, verbose_name=_("Acronym"))
    name = tables.Column(verbose_name=_("Name"))
    kind = tables.Column(verbose_name=_("Kind"))
    headquarters = tables.Column(verbose_name=_("Headquarters"), order_by=("headquarters",))
    member_count = tables.Column(verbose_name=_("Members"), attrs={"td": {"class": "text-end"}})
    is_partner = tables.BooleanColumn(verbose_name=_("Partner"), orderable=True)

    class Meta:
        model = Organization
        fields = ["acronym", "name", "kind", "headquarters", "founded", "member_count"]
        sequence = ["acronym", "name", "kind", "headquarters", "founded", "member_count"]
        template_name = "registry/tables/organizations.html"
        attrs = ATTRS
        empty_text = _("No organization matches these filters.")

    # Exports (accord.core.exports): the columns above as data, then these ids and codes.
    export_extra = [("headquarters_country__iso3", _("Headquarters country (ISO)"))]

    def __init__(self, *args, added=(), user=None, **kwargs):
        """`added`: the columns other apps add for `user` (accord/core/extensions.py,
        "organizations"), after these; the row template draws their cells from their own
        templates."""
        self.added = list(added)
        super().__init__(*args, extra_columns=table_columns_of(self.added, user), **kwargs)

    def value_headquarters(self, record):
        country = record.headquarters_country.name if record.headquarters_country_id else ""
        return ", ".join(part for part in (record.headquarters, country) if part)


class CountryTable(tables.Table):
    """Columns, sorting and paging; the rows are written out in its template."""

    # Sorted as shown: by the name in the reader's language (the view annotates name_order).
    name = tables.Column(linkify=True, verbose_name=_("Name"), order_by=("name_order", "name"))
    region = tables.Column(verbose_name=_("Region"))
    subregion = tables.Column(verbose_name=_("Sub-region"))
    iso3 = tables.Column(verbose_name=_("ISO"))
    in_home = tables.BooleanColumn(verbose_name=_("Member of the home organization"))

    class Meta:
        model = Country
        fields = ["name", "iso3", "region", "subregion", "capital", "in_home"]
        template_name = "registry/tables/countries.html"
        attrs = ATTRS
        empty_text = _("No country matches these filters.")

    export_extra = [("iso2", None), ("numeric", None)]

    def render_name(self, record):
        return record.display_name

    def render_region(self, record):
        return record.display_region

    def render_subregion(self, record):
        return record.display_subregion


class PartnershipTable(tables.Table):
    """Columns, sorting and paging; the rows are written out in its template."""

    partner = tables.Column(
        linkify=lambda record: record.get_absolute_url(),
        verbose_name=_("Partnership"),
        order_by=("partner__acronym",),
    )
    basis = tables.Column(empty_values=(), orderable=False, verbose_name=_("Basis"))

    class Meta:
        model = Partnership
        fields = [
            "partner",
            "type",
            "basis",
            "since",
            "status",
            "priority",
            "review_on",
            "classification",
        ]
        template_name = "registry/tables/partnerships.html"
        attrs = ATTRS
        empty_text = _("No partnership matches these filters.")

    export_extra = [
        ("pk", _("ID")),
        ("organization__acronym", _("Organization")),
        ("partner__acronym", _("Partner")),
    ]

    def render_partner(self, record):
        return f"{record.organization.acronym} – {record.partner.acronym}"

    def render_basis(self, record):
        return "; ".join(f"{doc.title} ({doc.year})" for doc in record.basis.all()) or "—"

    def value_partner(self, record):
        return self.render_partner(record)

    def value_basis(self, record):
        # The basis prefetched through the policy: a hidden document is left out, as on the page.
        return "; ".join(f"{doc.title} ({doc.year})" for doc in record.basis.all())


class PersonTable(tables.Table):
    """Columns, sorting and paging; the rows are written out in its template."""

    name = tables.Column(linkify=True, verbose_name=pgettext_lazy("person", "Name"))
    organization = tables.Column(
        linkify=True, order_by=("organization__acronym",), verbose_name=_("Organization")
    )
    # Not sortable: the order would tell where partnerships the user may not see stand.
    partnership = tables.Column(linkify=True, orderable=False, verbose_name=_("Focal point for"))

    class Meta:
        model = Person
        fields = ["name", "title", "organization", "partnership", "role", "email", "classification"]
        template_name = "registry/tables/people.html"
        attrs = ATTRS
        empty_text = _("No person matches these filters.")

    # The partnership is prefetched through the policy: a hidden one reads as an empty cell.
    export_extra = [("pk", _("ID"))]


class FrameworkDocumentTable(tables.Table):
    title = tables.Column(linkify=True, verbose_name=_("Title"))

    class Meta:
        model = FrameworkDocument
        fields = ["title", "year", "place", "kind", "review_on", "expires_on", "classification"]
        attrs = ATTRS
        empty_text = _("No document matches these filters.")

    export_extra = [("pk", _("ID")), ("key", None)]


class MemberTable(tables.Table):
    """Columns, sorting and paging; the rows are written out in its template."""

    country = tables.Column(
        linkify=True, order_by=("country_order", "country__name"), verbose_name=_("State")
    )
    iso3 = tables.Column(accessor="country__iso3", verbose_name=_("ISO"))
    shared = tables.BooleanColumn(
        accessor="shared",
        verbose_name=_("Also in the home organization"),
        orderable=False,
        empty_values=(),
    )
    edit = tables.Column(verbose_name="", orderable=False, empty_values=())

    class Meta:
        model = Membership
        fields = ["country", "iso3", "status", "valid_from", "valid_to", "shared", "edit"]
        template_name = "registry/tables/members.html"
        attrs = ATTRS
        empty_text = _("No member on this date.")

    export_extra = [("pk", _("ID"))]

    def __init__(self, *args, shared_ids=frozenset(), show_edit=False, show_shared=True, **kw):
        """`show_shared=False` on the home organization's own page, where every member is."""
        self.shared_ids = shared_ids
        self.show_edit = show_edit
        self.show_shared = show_shared
        kw["exclude"] = [
            name for name, shown in (("edit", show_edit), ("shared", show_shared)) if not shown
        ]
        super().__init__(*args, **kw)

    def value_shared(self, record):
        return record.country_id in self.shared_ids


class CountryMembershipTable(tables.Table):
    """Columns, sorting and paging; the rows are written out in its template."""

    organization = tables.Column(
        linkify=True, order_by=("organization__acronym",), verbose_name=_("Organization")
    )
    name = tables.Column(accessor="organization__name", verbose_name=_("Name"))

    class Meta:
        model = Membership
        fields = ["organization", "name", "status", "valid_from", "valid_to", "note"]
        template_name = "registry/tables/country_memberships.html"
        attrs = ATTRS
        empty_text = _("No membership recorded.")

    export_extra = [("pk", _("ID"))]


# Narrow screens show the columns that name and qualify a record; the rest wait for room.
set_priorities(OrganizationTable, kind=3, headquarters=2, founded=3, member_count=2, is_partner=3)
set_priorities(CountryTable, iso3=2, region=2, subregion=3, capital=3, in_home=2)
set_priorities(PartnershipTable, type=2, basis=3, since=3, priority=2, classification=3)
set_priorities(
    PersonTable, title=3, organization=2, partnership=3, role=3, email=2, classification=3
)
set_priorities(FrameworkDocumentTable, place=3, kind=2, classification=3)
set_priorities(MemberTable, iso3=2, valid_from=2, valid_to=3, shared=2)
set_priorities(CountryMembershipTable, name=3, valid_from=2, valid_to=2, note=3)
