import django_tables2 as tables
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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


class CountryTable(tables.Table):
    name = tables.Column(linkify=True, verbose_name=_("Name"))
    iso3 = tables.Column(verbose_name=_("ISO"))
    in_home = tables.BooleanColumn(verbose_name=_("Member of the home organization"))

    class Meta:
        model = Country
        fields = ["name", "iso3", "region", "subregion", "capital", "in_home"]
        attrs = ATTRS
        empty_text = _("No country matches these filters.")


class PartnershipTable(tables.Table):
    partner = tables.Column(
        linkify=lambda record: record.get_absolute_url(),
        verbose_name=_("Partnership"),
        order_by=("partner__acronym",),
    )
    basis = tables.Column(empty_values=(), orderable=False, verbose_name=_("Basis"))

    class Meta:
        model = Partnership
        fields = ["partner", "type", "basis", "since", "status", "priority", "classification"]
        attrs = ATTRS
        empty_text = _("No partnership matches these filters.")

    def render_partner(self, record):
        return f"{record.organization.acronym} – {record.partner.acronym}"

    def render_basis(self, record):
        return "; ".join(f"{doc.title} ({doc.year})" for doc in record.basis.all()) or "—"


class PersonTable(tables.Table):
    name = tables.Column(linkify=True, verbose_name=pgettext_lazy("person", "Name"))
    organization = tables.Column(
        linkify=True, order_by=("organization__acronym",), verbose_name=_("Organization")
    )
    # Not sortable: the order would tell where partnerships the user may not see stand.
    partnership = tables.Column(linkify=True, orderable=False, verbose_name=_("Focal point for"))

    class Meta:
        model = Person
        fields = ["name", "title", "organization", "partnership", "role", "email", "classification"]
        attrs = ATTRS
        empty_text = _("No person matches these filters.")


class FrameworkDocumentTable(tables.Table):
    title = tables.Column(linkify=True, verbose_name=_("Title"))

    class Meta:
        model = FrameworkDocument
        fields = ["title", "year", "place", "kind", "classification"]
        attrs = ATTRS
        empty_text = _("No document matches these filters.")


class MemberTable(tables.Table):
    """Columns, sorting and paging; the rows are written out in its template."""

    country = tables.Column(linkify=True, order_by=("country__name",), verbose_name=_("State"))
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

    def __init__(self, *args, shared_ids=frozenset(), show_edit=False, show_shared=True, **kw):
        """`show_shared=False` on the home organization's own page, where every member is."""
        self.shared_ids = shared_ids
        self.show_edit = show_edit
        self.show_shared = show_shared
        kw["exclude"] = [
            name for name, shown in (("edit", show_edit), ("shared", show_shared)) if not shown
        ]
        super().__init__(*args, **kw)


class CountryMembershipTable(tables.Table):
    organization = tables.Column(
        linkify=True, order_by=("organization__acronym",), verbose_name=_("Organization")
    )
    name = tables.Column(accessor="organization__name", verbose_name=_("Name"))

    class Meta:
        model = Membership
        fields = ["organization", "name", "status", "valid_from", "valid_to", "note"]
        attrs = ATTRS
        empty_text = _("No membership recorded.")
