"""Registry pages: thin views over selectors and services."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views import View

from accord.core import policy
from accord.core.history import history_page
from accord.core.views import (
    ObjectDeleteView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    PolicyMixin,
    RequestConfig,
    page_size,
)
from accord.core.worldmap import CLASS_COLOURS, world_map_svg

from . import selectors, services
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


class DashboardView(PolicyMixin, View):
    def get(self, request):
        user = request.user
        home = selectors.home_organization()
        recent = selectors.recent_changes(user=user, limit=12)
        partners = selectors.partnership_list(user=user).filter(organization__is_home=True)
        return render(
            request,
            "registry/dashboard.html",
            {
                "counts": selectors.dashboard_counts(user=user),
                "home": home,
                "partnerships": partners.order_by("partner__acronym")[:20],
                "recent": recent,
            },
        )


# ---------------------------------------------------------------- organizations


class OrganizationListView(ObjectListView):
    filterset_class = OrganizationFilterSet
    table_class = OrganizationTable
    title = _("Organizations")
    add_url_name = "registry:organization_add"

    def get_queryset(self, request):
        return selectors.organization_list(user=request.user)


MAP_CLASSES = {
    MembershipStatus.FULL: "member",
    MembershipStatus.ASSOCIATE: "member",
    MembershipStatus.SUSPENDED: "member",
    MembershipStatus.OBSERVER: "observer",
    MembershipStatus.PARTNER: "partner",
}


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


class OrganizationDetailView(PolicyMixin, View):
    def get(self, request, key):
        user = request.user
        organization = selectors.organization_get(user=user, key=key)
        as_of_form = AsOfForm(request.GET or None)
        as_of = None
        if as_of_form.is_valid():
            as_of = as_of_form.cleaned_data["as_of"]
        day = as_of or selectors.today()
        home = selectors.home_organization()
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
        RequestConfig(request, paginate={"per_page": page_size(request)}).configure(table)
        context = {
            "object": organization,
            "organization": organization,
            "as_of_form": as_of_form,
            "day": day,
            "table": table,
            "status": status,
            "statuses": MembershipStatus.choices,
        }
        if request.htmx and request.htmx.target == "members":
            return render(request, "registry/organization_detail.html#members", context)
        spells = list(
            selectors.members_of(user=user, organization=organization, as_of=day).values_list(
                "country__iso3", "country_id", "status"
            )
        )
        classes = {}
        for iso3, country_id, spell_status in spells:
            classes[iso3] = "shared" if country_id in shared else MAP_CLASSES[spell_status]
        counts = selectors.member_counts(user=user, organization=organization, as_of=day)
        shared_countries = selectors.countries_by_ids(user=user, ids=shared)
        _page, changes = history_page(organization, user=request.user, per_page=5)
        context.update(
            {
                "home": home,
                "map": world_map_svg(
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
                "changes": changes,
            }
        )
        return render(request, "registry/organization_detail.html", context)


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


# ---------------------------------------------------------------- countries


class CountryListView(ObjectListView):
    filterset_class = CountryFilterSet
    table_class = CountryTable
    title = _("Countries")
    add_url_name = "registry:country_add"

    def get_queryset(self, request):
        return selectors.country_list(user=request.user)


class CountryDetailView(PolicyMixin, View):
    def get(self, request, key):
        user = request.user
        country = selectors.country_get(user=user, key=key)
        as_of_form = AsOfForm(request.GET or None)
        as_of = as_of_form.cleaned_data["as_of"] if as_of_form.is_valid() else None
        table = CountryMembershipTable(
            selectors.memberships_of_country(user=user, country=country, as_of=as_of)
        )
        RequestConfig(request, paginate={"per_page": page_size(request)}).configure(table)
        context = {
            "object": country,
            "country": country,
            "as_of_form": as_of_form,
            "table": table,
        }
        if request.htmx and request.htmx.target == "memberships":
            return render(request, "registry/country_detail.html#memberships", context)
        neighbours = list(selectors.neighbours(user=user, country=country))
        home = selectors.home_organization()
        context.update(
            {
                "neighbours": neighbours,
                "home": home,
                "in_home": selectors.is_home_member(country=country),
                "legend": [
                    (country.name, CLASS_COLOURS["shared"]),
                    (_("Land neighbours"), CLASS_COLOURS["observer"]),
                ],
                "map": world_map_svg(
                    {country.iso3: "shared", **{n.iso3: "observer" for n in neighbours}},
                    label=str(_("%(country)s and its neighbours") % {"country": country.name}),
                ),
            }
        )
        return render(request, "registry/country_detail.html", context)


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


class MembershipDetailView(PolicyMixin, View):
    def get(self, request, pk):
        membership = membership_get(request, pk)
        _page, changes = history_page(membership, user=request.user, per_page=10)
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
        return fields

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

    def get_queryset(self, request):
        return selectors.partnership_list(user=request.user)


class PartnershipDetailView(PolicyMixin, View):
    def get(self, request, pk):
        user = request.user
        partnership = selectors.get_visible(
            Partnership, user=user, pk=pk, queryset=selectors.partnership_list(user=user)
        )
        _page, changes = history_page(partnership, user=request.user, per_page=5)
        return render(
            request,
            "registry/partnership_detail.html",
            {
                "object": partnership,
                "focal_points": selectors.person_list(user=user).filter(partnership=partnership),
                "shared_with": partnership.shared_with.all() if policy.can_edit(user) else [],
                "changes": changes,
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
        home = selectors.home_organization()
        return {"organization": home.pk} if home else {}


class PartnershipDeleteView(PartnershipObject, ObjectDeleteView):
    success_url_name = "registry:partnership_list"
    delete_service = staticmethod(services.partnership_delete)


class PartnershipHistoryView(PartnershipObject, ObjectHistoryView):
    update_service = staticmethod(services.partnership_update)


# ---------------------------------------------------------------- people


def person_get(request, pk):
    return selectors.get_visible(Person, user=request.user, pk=pk)


class PersonListView(ObjectListView):
    filterset_class = PersonFilterSet
    table_class = PersonTable
    title = _("People")
    add_url_name = "registry:person_add"

    def get_queryset(self, request):
        return selectors.person_list(user=request.user)


class PersonDetailView(PolicyMixin, View):
    def get(self, request, pk):
        person = person_get(request, pk)
        _page, changes = history_page(person, user=request.user, per_page=5)
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
            {"object": person, "partnership": partnership, "changes": changes},
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


# ---------------------------------------------------------------- framework documents


def document_get(request, pk):
    return selectors.get_visible(FrameworkDocument, user=request.user, pk=pk)


class DocumentListView(ObjectListView):
    filterset_class = FrameworkDocumentFilterSet
    table_class = FrameworkDocumentTable
    title = _("Framework documents")
    add_url_name = "registry:document_add"

    def get_queryset(self, request):
        return selectors.document_list(user=request.user)


class DocumentDetailView(PolicyMixin, View):
    def get(self, request, pk):
        document = document_get(request, pk)
        _page, changes = history_page(document, user=request.user, per_page=5)
        return render(
            request,
            "registry/document_detail.html",
            {
                "object": document,
                "partnerships": selectors.partnership_list(user=request.user).filter(
                    basis=document
                ),
                "changes": changes,
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
