"""The registry's picker kinds (accord.core.pickers): what its searchable selects search."""

from django.db.models import Case, IntegerField, Q, Value, When

from accord.core.pickers import PickerKind, register

from .models import Country, FrameworkDocument, Organization, Partnership, Person


def best_first(queryset, starts: Q, *order):
    """Rows whose name starts with the query before those that only contain it."""
    rank = Case(When(starts, then=Value(0)), default=Value(1), output_field=IntegerField())
    return queryset.annotate(pick_rank=rank).order_by("pick_rank", *order)


def search_countries(queryset, q):
    found = queryset.filter(
        Q(name__icontains=q) | Q(official_name__icontains=q) | Q(iso3__iexact=q) | Q(iso2__iexact=q)
    )
    return best_first(found, Q(name__istartswith=q) | Q(iso3__iexact=q), "name")


def search_organizations(queryset, q):
    found = queryset.filter(
        Q(acronym__icontains=q) | Q(name__icontains=q) | Q(former_names__icontains=q)
    )
    return best_first(found, Q(acronym__istartswith=q) | Q(name__istartswith=q), "acronym")


def organization_label(organization) -> str:
    if organization.name and organization.name != organization.acronym:
        return f"{organization.acronym} — {organization.name}"
    return organization.acronym


def search_people(queryset, q):
    found = queryset.filter(
        Q(name__icontains=q) | Q(title__icontains=q) | Q(organization__acronym__iexact=q)
    )
    return best_first(found, Q(name__istartswith=q), "name")


def person_label(person) -> str:
    return f"{person.name} ({person.organization.acronym})"


def search_documents(queryset, q):
    condition = Q(title__icontains=q) | Q(place__icontains=q) | Q(key__icontains=q)
    if q.isdecimal() and len(q) <= 4:
        condition |= Q(year=int(q))
    return best_first(queryset.filter(condition), Q(title__istartswith=q), "year", "title")


def search_partnerships(queryset, q):
    found = queryset.filter(
        Q(organization__acronym__icontains=q)
        | Q(partner__acronym__icontains=q)
        | Q(partner__name__icontains=q)
    )
    return best_first(found, Q(partner__acronym__istartswith=q), "partner__acronym")


def register_pickers() -> None:
    register(
        PickerKind(
            name="countries",
            rows=lambda user: Country.objects.visible_to(user),
            search=search_countries,
            keys=("iso3",),
        )
    )
    register(
        PickerKind(
            name="organizations",
            rows=lambda user: Organization.objects.visible_to(user),
            search=search_organizations,
            label=organization_label,
            keys=("acronym",),
        )
    )
    # Whom a record may be shared with: every organization but the home one.
    register(
        PickerKind(
            name="partners",
            rows=lambda user: Organization.objects.visible_to(user).filter(is_home=False),
            search=search_organizations,
            label=organization_label,
            keys=("acronym",),
        )
    )
    register(
        PickerKind(
            name="people",
            rows=lambda user: Person.objects.visible_to(user),
            search=search_people,
            label=person_label,
            related=("organization",),
        )
    )
    register(
        PickerKind(
            name="documents",
            rows=lambda user: FrameworkDocument.objects.visible_to(user),
            search=search_documents,
        )
    )
    register(
        PickerKind(
            name="partnerships",
            rows=lambda user: Partnership.objects.visible_to(user),
            search=search_partnerships,
            related=("organization", "partner"),
        )
    )
