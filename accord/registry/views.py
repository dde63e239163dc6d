"""Registry pages: thin views over selectors and services."""

from __future__ import annotations

import datetime
from collections import Counter

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views import View

from accord.core import dates, exports, extensions, policy
from accord.core.history import history_page
from accord.core.mapcache import cached_world_map
from accord.core.pagecache import KeptPageMixin
from accord.core.views import (
    ObjectDeleteView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    PolicyMixin,
    RequestConfig,
    page_size,
)
from accord.core.worldmap import CLASS_COLOURS
from accord.journal.views import RecordJournalView, panel_context

from . import bulk, selectors, services
from .choices import MembershipStatus
from .filtersets import (
    CountryFilterSet,
    FrameworkDocumentFilterSet,
    OrganizationFilterSet,
    PartnershipFilterSet,
    PersonFilterSet,
)
from .forms import (
    AsOfForm,
    CountryForm,
    FrameworkDocumentForm,
    MembershipBulkForm,
    MembershipForm,
    OrganizationForm,
    PartnershipForm,
    PersonForm,
)
from .models import FrameworkDocument, Membership, Partnership, Person
from .tables import (
    CountryMembershipTable,
    CountryTable,
    FrameworkDocumentTable,
    MemberTable,
    OrganizationTable,
    PartnershipTable,
    PersonTable,
)

# ---------------------------------------------------------------- organizations


class OrganizationListView(ObjectListView):
    filterset_class = OrganizationFilterSet
    table_class = OrganizationTable
    title = _("Organizations")
    add_url_name = "registry:organization_add"
    export_url_name = "registry:organization_export"
    export_filename = "organizations"

    # Columns other apps add to this list (accord/core/extensions.py): annotations of the
    # list's query (all of them in an export), or one query for the page (page_ready).
    list_name = "organizations"

    def get_queryset(self, request):
        rows = selectors.organization_list(user=request.user)
        return extensions.annotate_list(
            self.list_name, rows, request.user, every_column=self.export
        )

    def get_table(self, rows):
        user = self.request.user
        added = extensions.list_columns(self.list_name, user)
        return OrganizationTable(rows, added=added, user=user)

    def page_ready(self, request, table):
        # The page's rows, read once here; the table draws these same records.
        records = [row.record for row in table.page.object_list]
        extensions.attach_list(self.list_name, records, request.user)


MAP_CLASSES = {
    MembershipStatus.FULL: "member",
    MembershipStatus.ASSOCIATE: "member",
    MembershipStatus.SUSPENDED: "member",
    MembershipStatus.OBSERVER: "observer",
    MembershipStatus.PARTNER: "partner",
}


def request_home(request):
    """The home organization, looked up once per request: the `workspace` context processor
    reads the same one for the navigation bar."""
    return extensions.request_home(request)


def map_legend(home, organization) -> list[tuple[str, str]]:
    legend = [(_("Member"), CLASS_COLOURS["member"])]
    if home is not None and home.pk != organization.pk:
        legend.append(
            (
                _("Member shared with the %(acronym)s") % {"acronym": home.acronym},
                CLASS_COLOURS["shared"],
            )
        )
    legend.append((_("Observer"), CLASS_COLOURS["observer"]))
    legend.append((_("Partner for co-operation"), CLASS_COLOURS["partner"]))
    return legend


def read_as_of(request, *, default=None):
    """The as-of form (showing the day in the language's format), its day, and the page's
    address with the day in ISO 8601 when it was typed otherwise (None when it was not).

    Addresses keep ISO 8601 so that a link means the same day in every language; the links the
    page builds (sorting, pages) take it from request.GET, rewritten here.
    """
    form = AsOfForm(request.GET or None)
    day = form.cleaned_data["as_of"] if form.is_valid() else None
    iso = None
    canonical = dates.iso_query(request.GET, "as_of", day)
    if canonical is not None:
        request.GET = canonical
        iso = f"{request.path}?{canonical.urlencode()}"
    if not form.errors:
        form = AsOfForm(initial={"as_of": day or default})
    return form, day, iso


def iso_address(response, iso):
    """An htmx answer puts the ISO address in the browser's bar, not the one typed."""
    if iso is not None:
        response["HX-Push-Url"] = iso
    return response


def member_table(
    request, *, organization, day, home, shared=None
) -> tuple[MemberTable, set, str | None]:
    """The organization page's member table (unpaginated), the shared states, the status.

    `shared`: the ids of the shared states when the caller has them already.
    """
    user = request.user
    if shared is None:
        shared = set()
        if home is not None and home.pk != organization.pk:
            shared = set(
                selectors.shared_members(user=user, a=organization, b=home, as_of=day).values_list(
                    "pk", flat=True
                )
            )
    members = selectors.members_of(user=user, organization=organization, as_of=day)
    status = request.GET.get("status")
    if status in MembershipStatus.values:
        members = members.filter(status=status)
    table = MemberTable(
        members,
        shared_ids=shared,
        show_edit=policy.can_edit(user),
        # On the home organization's own page every member is "also in" it.
        show_shared=home is not None and home.pk != organization.pk,
        prefix="m-",
    )
    return table, shared, status


class OrganizationDetailView(PolicyMixin, KeptPageMixin, View):
    def get(self, request, key):
        user = request.user
        organization = selectors.organization_get(user=user, key=key)
        as_of_form, as_of, iso = read_as_of(request, default=selectors.today())
        if iso is not None and not request.htmx:
            return redirect(iso)
        day = as_of or selectors.today()
        home = request_home(request)
        # The shared states in the reader's order: their ids mark the table and the map, the
        # list names them (one query for the three).
        shared_countries = []
        if home is not None and home.pk != organization.pk:
            shared_countries = list(
                selectors.shared_member_countries(user=user, a=organization, b=home, as_of=day)
            )
        table, shared, status = member_table(
            request,
            organization=organization,
            day=day,
            home=home,
            shared={c.pk for c in shared_countries},
        )
        members_only = request.htmx and request.htmx.target == "members"
        count = None
        if not members_only:
            # Every spell in force (the map's), read once: the map's colours, the counts by
            # status, and the number of rows of the table, which shows the same spells.
            spells = list(
                selectors.members_of(user=user, organization=organization, as_of=day).values_list(
                    "country__iso3", "country_id", "status"
                )
            )
            classes = {}
            by_status = Counter()
            for iso3, country_id, spell_status in spells:
                classes[iso3] = "shared" if country_id in shared else MAP_CLASSES[spell_status]
                by_status[spell_status] += 1
            count = by_status[status] if status in MembershipStatus.values else len(spells)
        RequestConfig(request, paginate={"per_page": page_size(request)}).configure(
            table, count=count
        )
        context = {
            "object": organization,
            "organization": organization,
            "as_of_form": as_of_form,
            "day": day,
            "table": table,
            "status": status,
            "statuses": MembershipStatus.choices,
            # The export takes the day the page shows, written out, so both list the same.
            "export_links": exports.export_links(
                request,
                reverse("registry:organization_members_export", args=[organization.acronym]),
                prefix="m-",
                extra={"as_of": day.isoformat()},
            ),
        }
        if members_only:
            return iso_address(
                render(request, "registry/organization_detail.html#members", context), iso
            )
        # What selectors.member_counts gives, without its query.
        counts = selectors.status_counts(by_status)
        _page, changes = history_page(organization, user=request.user, per_page=5, count=False)
        context.update(
            {
                "home": home,
                "map": cached_world_map(
                    classes,
                    label=str(
                        _("World map of the members of %(org)s") % {"org": organization.acronym}
                    ),
                ),
                "legend": map_legend(home, organization),
                "counts": counts,
                "shared_countries": shared_countries,
                "partnerships": selectors.partnerships_of(user=user, organization=organization),
                "people": selectors.person_list(user=user).filter(organization=organization),
                # Blocks other apps add to the page (accord/core/extensions.py).
                "record_panels": extensions.record_panels_for(
                    "organization", request, organization
                ),
                "changes": changes,
                "journal": panel_context(request, organization),
            }
        )
        return iso_address(render(request, "registry/organization_detail.html", context), iso)


class OrganizationMembersExportView(PolicyMixin, View):
    """The organization page's members on its date, as CSV or XLSX: OSCE-members-2026-11-29."""

    def get(self, request, key):
        organization = selectors.organization_get(user=request.user, key=key)
        form = AsOfForm(request.GET)
        back_url = organization.get_absolute_url()
        title = str(_("Members of %(org)s") % {"org": organization.acronym})
        if not form.is_valid():
            return exports.error_response(
                request, title=title, errors=exports.form_errors(form), back_url=back_url
            )
        day = form.cleaned_data["as_of"] or selectors.today()
        home = selectors.home_organization()
        table, _shared, _status = member_table(
            request, organization=organization, day=day, home=home
        )
        RequestConfig(request, paginate=False).configure(table)
        return exports.export(
            request,
            table.data.data,
            exports.table_columns(table),
            filename=f"{organization.acronym}-members-{day.isoformat()}",
            title=title,
            back_url=back_url,
        )


class OrganizationObject:
    """How the organization edit, delete and history pages find their record."""

    instance_name = "organization"

    def get_object(self, request, key=None):
        return selectors.organization_get(user=request.user, key=key) if key else None


class OrganizationEditView(OrganizationObject, ObjectEditView):
    form_class = OrganizationForm
    create_service = staticmethod(services.organization_create)
    update_service = staticmethod(services.organization_update)


class OrganizationDeleteView(OrganizationObject, ObjectDeleteView):
    success_url_name = "registry:organization_list"
    delete_service = staticmethod(services.organization_delete)


class OrganizationHistoryView(OrganizationObject, ObjectHistoryView):
    update_service = staticmethod(services.organization_update)


class OrganizationJournalView(OrganizationObject, RecordJournalView):
    pass


# ---------------------------------------------------------------- countries


class CountryListView(ObjectListView):
    filterset_class = CountryFilterSet
    table_class = CountryTable
    title = _("Countries")
    add_url_name = "registry:country_add"
    export_url_name = "registry:country_export"
    export_filename = "countries"

    def get_queryset(self, request):
        return selectors.country_list(user=request.user)


class CountryDetailView(PolicyMixin, KeptPageMixin, View):
    def get(self, request, key):
        user = request.user
        country = selectors.country_get(user=user, key=key)
        as_of_form, as_of, iso = read_as_of(request)
        if iso is not None and not request.htmx:
            return redirect(iso)
        table = CountryMembershipTable(
            selectors.memberships_of_country(user=user, country=country, as_of=as_of)
        )
        RequestConfig(request, paginate={"per_page": page_size(request)}).configure(table)
        context = {
            "object": country,
            "country": country,
            "as_of_form": as_of_form,
            "table": table,
            "export_links": exports.export_links(
                request,
                reverse("registry:country_memberships_export", args=[country.iso3]),
                extra={"as_of": as_of.isoformat() if as_of else None},
            ),
        }
        if request.htmx and request.htmx.target == "memberships":
            return iso_address(
                render(request, "registry/country_detail.html#memberships", context), iso
            )
        neighbours = list(selectors.neighbours(user=user, country=country))
        home = request_home(request)
        context.update(
            {
                "neighbours": neighbours,
                "home": home,
                "in_home": selectors.is_home_member(country=country),
                "legend": [
                    (country.display_name, CLASS_COLOURS["shared"]),
                    (_("Land neighbours"), CLASS_COLOURS["observer"]),
                ],
                "map": cached_world_map(
                    {country.iso3: "shared", **{n.iso3: "observer" for n in neighbours}},
                    label=str(
                        _("%(country)s and its neighbours") % {"country": country.display_name}
                    ),
                ),
                # Blocks other apps add to the page (accord/core/extensions.py).
                "record_panels": extensions.record_panels_for("country", request, country),
            }
        )
        return iso_address(render(request, "registry/country_detail.html", context), iso)


class CountryMembershipsExportView(PolicyMixin, View):
    """The country page's memberships (on its date, or all of them) as CSV or XLSX."""

    def get(self, request, key):
        country = selectors.country_get(user=request.user, key=key)
        form = AsOfForm(request.GET)
        back_url = country.get_absolute_url()
        title = str(_("Memberships of %(country)s") % {"country": country.display_name})
        if not form.is_valid():
            return exports.error_response(
                request, title=title, errors=exports.form_errors(form), back_url=back_url
            )
        as_of = form.cleaned_data["as_of"]
        table = CountryMembershipTable(
            selectors.memberships_of_country(user=request.user, country=country, as_of=as_of)
        )
        RequestConfig(request, paginate=False).configure(table)
        filename = f"{country.iso3}-memberships"
        if as_of:
            filename += f"-{as_of.isoformat()}"
        return exports.export(
            request,
            table.data.data,
            exports.table_columns(table),
            filename=filename,
            title=title,
            back_url=back_url,
        )


class CountryObject:
    """How the country edit, delete and history pages find their record."""

    instance_name = "country"

    def get_object(self, request, key=None):
        return selectors.country_get(user=request.user, key=key) if key else None


class CountryEditView(CountryObject, ObjectEditView):
    form_class = CountryForm
    create_service = staticmethod(services.country_create)
    update_service = staticmethod(services.country_update)


class CountryDeleteView(CountryObject, ObjectDeleteView):
    success_url_name = "registry:country_list"
    delete_service = staticmethod(services.country_delete)


class CountryHistoryView(CountryObject, ObjectHistoryView):
    update_service = staticmethod(services.country_update)


# ---------------------------------------------------------------- memberships


def membership_get(request, pk):
    return selectors.get_visible(Membership, user=request.user, pk=pk)


class MembershipDetailView(PolicyMixin, KeptPageMixin, View):
    def get(self, request, pk):
        membership = membership_get(request, pk)
        _page, changes = history_page(membership, user=request.user, per_page=10, count=False)
        return render(
            request, "registry/membership_detail.html", {"object": membership, "changes": changes}
        )


class MembershipObject:
    """How the membership edit, delete and history pages find their record."""

    instance_name = "membership"

    def get_object(self, request, pk=None):
        return membership_get(request, pk) if pk else None


class MembershipEditView(MembershipObject, ObjectEditView):
    form_class = MembershipForm
    create_service = staticmethod(services.membership_create)
    update_service = staticmethod(services.membership_update)

    def get_initial(self, request):
        initial = {}
        key = request.GET.get("organization")
        if key and "\x00" not in key:  # PostgreSQL cannot compare text with NUL
            organization = (
                selectors.organization_list(user=request.user).filter(acronym__iexact=key).first()
            )
            if organization is not None:
                initial["organization"] = organization.pk
        return initial

    def service_fields(self, form, obj):
        fields = form.service_fields()
        if obj is not None:
            # A spell stays with its organization and country (the form shows them disabled).
            fields.pop("organization", None)
            fields.pop("country", None)
        fields["confirm_before_founding"] = form.cleaned_data.get("confirm_before_founding", False)
        return fields

    def save(self, form, obj):
        try:
            return super().save(form, obj)
        except ValidationError as exc:
            if services.is_before_founding(exc):
                form.ask_before_founding()
            raise

    def get_success_url(self, obj):
        return obj.organization.get_absolute_url()


class MembershipDeleteView(MembershipObject, ObjectDeleteView):
    success_url_name = "registry:organization_list"
    delete_service = staticmethod(services.membership_delete)


class MembershipHistoryView(MembershipObject, ObjectHistoryView):
    update_service = staticmethod(services.membership_update)


# ---------------------------------------------------------------- partnerships


def partnership_get(request, pk):
    return selectors.get_visible(Partnership, user=request.user, pk=pk)


class PartnershipListView(ObjectListView):
    filterset_class = PartnershipFilterSet
    table_class = PartnershipTable
    title = _("Partnerships")
    add_url_name = "registry:partnership_add"
    export_url_name = "registry:partnership_export"
    export_filename = "partnerships"

    def get_queryset(self, request):
        return selectors.partnership_list(user=request.user)


class PartnershipDetailView(PolicyMixin, KeptPageMixin, View):
    def get(self, request, pk):
        user = request.user
        partnership = selectors.get_visible(
            Partnership, user=user, pk=pk, queryset=selectors.partnership_list(user=user)
        )
        _page, changes = history_page(partnership, user=request.user, per_page=5, count=False)
        return render(
            request,
            "registry/partnership_detail.html",
            {
                "object": partnership,
                "focal_points": selectors.person_list(user=user).filter(partnership=partnership),
                "shared_with": partnership.shared_with.all() if policy.can_edit(user) else [],
                "changes": changes,
                "journal": panel_context(request, partnership),
            },
        )


class PartnershipObject:
    """How the partnership edit, delete and history pages find their record."""

    instance_name = "partnership"

    def get_object(self, request, pk=None):
        return partnership_get(request, pk) if pk else None


class PartnershipEditView(PartnershipObject, ObjectEditView):
    form_class = PartnershipForm
    create_service = staticmethod(services.partnership_create)
    update_service = staticmethod(services.partnership_update)

    def get_initial(self, request):
        home = request_home(request)
        return {"organization": home.pk} if home else {}


class PartnershipDeleteView(PartnershipObject, ObjectDeleteView):
    success_url_name = "registry:partnership_list"
    delete_service = staticmethod(services.partnership_delete)


class PartnershipHistoryView(PartnershipObject, ObjectHistoryView):
    update_service = staticmethod(services.partnership_update)


class PartnershipJournalView(PartnershipObject, RecordJournalView):
    pass


# ---------------------------------------------------------------- people


def person_get(request, pk):
    return selectors.get_visible(Person, user=request.user, pk=pk)


class PersonListView(ObjectListView):
    filterset_class = PersonFilterSet
    table_class = PersonTable
    title = _("People")
    add_url_name = "registry:person_add"
    export_url_name = "registry:person_export"
    export_filename = "people"

    def get_queryset(self, request):
        return selectors.person_list(user=request.user)


class PersonDetailView(PolicyMixin, KeptPageMixin, View):
    def get(self, request, pk):
        person = person_get(request, pk)
        _page, changes = history_page(person, user=request.user, per_page=5, count=False)
        partnership = None
        if person.partnership_id:
            partnership = (
                selectors.partnership_list(user=request.user)
                .filter(pk=person.partnership_id)
                .first()
            )
        return render(
            request,
            "registry/person_detail.html",
            {
                "object": person,
                "partnership": partnership,
                "changes": changes,
                "journal": panel_context(request, person),
            },
        )


class PersonObject:
    """How the person edit, delete and history pages find their record."""

    instance_name = "person"

    def get_object(self, request, pk=None):
        return person_get(request, pk) if pk else None


class PersonEditView(PersonObject, ObjectEditView):
    form_class = PersonForm
    create_service = staticmethod(services.person_create)
    update_service = staticmethod(services.person_update)


class PersonDeleteView(PersonObject, ObjectDeleteView):
    success_url_name = "registry:person_list"
    delete_service = staticmethod(services.person_delete)


class PersonHistoryView(PersonObject, ObjectHistoryView):
    update_service = staticmethod(services.person_update)


class PersonJournalView(PersonObject, RecordJournalView):
    pass


# ---------------------------------------------------------------- framework documents


def document_get(request, pk):
    return selectors.get_visible(FrameworkDocument, user=request.user, pk=pk)


class DocumentListView(ObjectListView):
    filterset_class = FrameworkDocumentFilterSet
    table_class = FrameworkDocumentTable
    title = _("Framework documents")
    add_url_name = "registry:document_add"
    export_url_name = "registry:document_export"
    export_filename = "documents"

    def get_queryset(self, request):
        return selectors.document_list(user=request.user)


class DocumentDetailView(PolicyMixin, KeptPageMixin, View):
    def get(self, request, pk):
        document = document_get(request, pk)
        _page, changes = history_page(document, user=request.user, per_page=5, count=False)
        return render(
            request,
            "registry/document_detail.html",
            {
                "object": document,
                "partnerships": selectors.partnership_list(user=request.user).filter(
                    basis=document
                ),
                # Blocks other apps add to the page (accord/core/extensions.py).
                "record_panels": extensions.record_panels_for("document", request, document),
                "changes": changes,
                "journal": panel_context(request, document),
            },
        )


class DocumentObject:
    """How the document edit, delete and history pages find their record."""

    instance_name = "document"

    def get_object(self, request, pk=None):
        return document_get(request, pk) if pk else None


class DocumentEditView(DocumentObject, ObjectEditView):
    form_class = FrameworkDocumentForm
    create_service = staticmethod(services.document_create)
    update_service = staticmethod(services.document_update)


class DocumentDeleteView(DocumentObject, ObjectDeleteView):
    success_url_name = "registry:document_list"
    delete_service = staticmethod(services.document_delete)


class DocumentHistoryView(DocumentObject, ObjectHistoryView):
    update_service = staticmethod(services.document_update)


class DocumentJournalView(DocumentObject, RecordJournalView):
    pass


# ---------------------------------------------------------------- bulk entry of memberships

BULK_SALT = "accord.registry.membership-bulk"
# How long a preview may be confirmed.
BULK_MAX_AGE = 3600


class MembershipBulkView(PolicyMixin, View):
    """Add members in bulk: input → preview (new / unchanged / wrong) → confirm.

    The preview carries the rows it read in a signed token, so the confirm step writes
    exactly what was previewed (and judged again), never row data the browser could edit.
    """

    edit = True
    template_name = "registry/membership_bulk.html"

    def render_page(self, request, organization, form, status=200, **extra):
        context = {"organization": organization, "object": organization, "form": form, **extra}
        return render(request, self.template_name, context, status=status)

    def get(self, request, key):
        organization = selectors.organization_get(user=request.user, key=key)
        return self.render_page(request, organization, MembershipBulkForm())

    def post(self, request, key):
        organization = selectors.organization_get(user=request.user, key=key)
        if "token" in request.POST:
            return self.confirm(request, organization)
        form = MembershipBulkForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_page(request, organization, form, status=400)
        data = form.cleaned_data
        index = bulk.country_index(user=request.user)
        try:
            if data["file"] is not None:
                reading = bulk.read_upload(data["file"], index)
            else:
                reading = bulk.read_text(data["rows"], index)
        except bulk.BulkInputError as exc:
            form.add_error("file" if data["file"] is not None else "rows", str(exc))
            return self.render_page(request, organization, form, status=400)
        if not reading.rows:
            form.add_error("rows", _("No rows: paste at least one country."))
            return self.render_page(request, organization, form, status=400)
        settings = {
            "status": data["status"],
            "from": data["valid_from"].isoformat() if data["valid_from"] else "",
            "source": data["source"],
            "confirm": data["confirm_before_founding"],
            "notices": [str(n) for n in reading.notices],
        }
        return self.preview(request, organization, form, reading.rows, settings, index=index)

    def preview(
        self, request, organization, form, rows, settings, *, index=None, status=200, **extra
    ):
        judged = bulk.judge(
            user=request.user,
            organization=organization,
            rows=rows,
            default_status=settings["status"],
            default_from=datetime.date.fromisoformat(settings["from"])
            if settings["from"]
            else None,
            confirm_before_founding=settings["confirm"],
            index=index,
        )
        token = signing.dumps(
            {
                "o": organization.pk,
                "u": request.user.pk,
                "rows": [row.as_list() for row in rows],
                "new": [item.line for item in judged if item.result == bulk.NEW],
                **settings,
            },
            salt=BULK_SALT,
            compress=True,
        )
        return self.render_page(
            request,
            organization,
            form,
            status=status,
            judged=judged,
            counts=bulk.counts(judged),
            notices=settings["notices"],
            token=token,
            **extra,
        )

    def confirm(self, request, organization):
        form = MembershipBulkForm()
        try:
            payload = signing.loads(request.POST["token"], salt=BULK_SALT, max_age=BULK_MAX_AGE)
            if payload["o"] != organization.pk or payload["u"] != request.user.pk:
                raise signing.BadSignature
            rows = [bulk.Row.from_list(values) for values in payload["rows"]]
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            error = _("This preview has expired or was altered: enter the rows again.")
            return self.render_page(request, organization, form, status=400, error=error)
        settings = {k: payload[k] for k in ("status", "from", "source", "confirm", "notices")}
        judged = bulk.judge(
            user=request.user,
            organization=organization,
            rows=rows,
            default_status=settings["status"],
            default_from=datetime.date.fromisoformat(settings["from"])
            if settings["from"]
            else None,
            confirm_before_founding=settings["confirm"],
        )
        new = [item for item in judged if item.result == bulk.NEW]
        if [item.line for item in new] != payload["new"]:
            return self.preview(
                request,
                organization,
                form,
                rows,
                settings,
                status=409,
                changed=_(
                    "The registry changed since the preview, so nothing was written. "
                    "Check the rows below and confirm again."
                ),
            )
        try:
            created = services.membership_bulk_create(
                actor=request.user,
                organization=organization,
                rows=bulk.rows_to_write(new),
                source=settings["source"],
                confirm_before_founding=settings["confirm"],
            )
        except ValidationError as exc:
            return self.preview(
                request,
                organization,
                form,
                rows,
                settings,
                status=409,
                changed=_("Nothing was written: %(reason)s") % {"reason": " ".join(exc.messages)},
            )
        messages.success(
            request,
            ngettext(
                "Added %(count)d membership to %(organization)s.",
                "Added %(count)d memberships to %(organization)s.",
                len(created),
            )
            % {"count": len(created), "organization": organization.acronym},
        )
        return HttpResponseRedirect(organization.get_absolute_url())
