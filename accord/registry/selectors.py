"""Reads of registry records, always through the visibility policy."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Least
from django.http import Http404
from django.utils import timezone

from accord.core import policy
from accord.core.history import visible_history
from accord.core.models import Deletion
from accord.core.names import country_name_order

from .choices import MEMBER_STATUSES, MembershipStatus, PartnershipStatus
from .models import Country, FrameworkDocument, Membership, Organization, Partnership, Person
from .querysets import today, valid_on


def home_organization() -> Organization | None:
    return Organization.objects.filter(is_home=True).select_related("headquarters_country").first()


def organization_by_acronym(acronym: str) -> Organization | None:
    """The organization with this acronym, in any case; not through the policy (command line)."""
    if "\x00" in acronym:  # PostgreSQL cannot compare text with NUL; no acronym has one.
        return None
    return Organization.objects.filter(acronym__iexact=acronym).first()


def organization_get(*, user, key: str) -> Organization:
    """An organization by acronym (case-insensitive) or numeric id; 404 when not visible."""
    qs = Organization.objects.visible_to(user).select_related("headquarters_country")
    if "\x00" in str(key):  # PostgreSQL cannot compare text with NUL; no acronym has one.
        raise Http404
    lookup = Q(acronym__iexact=key)
    if str(key).isdecimal():  # not isdigit(): int() refuses digits such as "²"
        lookup |= Q(pk=int(key))
    organization = qs.filter(lookup).first()
    if organization is None:
        raise Http404
    return organization


def country_get(*, user, key: str) -> Country:
    qs = Country.objects.visible_to(user)
    key = str(key)
    if "\x00" in key:  # PostgreSQL cannot compare text with NUL; no code has one.
        raise Http404
    lookup = Q(iso3__iexact=key) | Q(iso2__iexact=key)
    if key.isdigit():
        lookup = Q(numeric=key.zfill(3))
    country = qs.filter(lookup).first()
    if country is None:
        raise Http404
    return country


def get_visible(model, *, user, pk, queryset=None) -> object:
    """One record by id through the policy: a hidden record and a missing one are both 404."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    qs = queryset if queryset is not None else model.objects.visible_to(user)
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def home_member_ids(*, as_of: datetime.date | None = None) -> QuerySet:
    """Country ids that are members of the home organization on a day (a subquery)."""
    # `organization IN (home)`, not a join: the database then finds a country's spells in
    # the home organization through the (organization, country, ...) index, instead of
    # reading every spell of the country.
    home = Organization.objects.filter(is_home=True).values("pk")
    return (
        Membership.objects.filter(organization__in=home, status__in=MEMBER_STATUSES)
        .filter(valid_on(as_of or today()))
        .values("country_id")
    )


def organization_list(*, user) -> QuerySet[Organization]:
    """Organizations with their current member count and whether they partner the home.

    The count is a correlated subquery, not a join with GROUP BY: a page of 25 then counts
    the members of 25 organizations, not of all of them.
    """
    members = (
        Membership.objects.filter(organization=OuterRef("pk"), status__in=MEMBER_STATUSES)
        .filter(valid_on(today()))
        .order_by()
        .values("organization")
        .annotate(n=Count("pk"))
        .values("n")
    )
    partnerships = Partnership.objects.visible_to(user).filter(
        Q(organization__is_home=True, partner=OuterRef("pk"))
        | Q(partner__is_home=True, organization=OuterRef("pk"))
    )
    return (
        Organization.objects.visible_to(user)
        .select_related("headquarters_country")
        .annotate(
            member_count=Coalesce(Subquery(members, output_field=IntegerField()), 0),
            is_partner=Exists(partnerships),
        )
        .order_by("acronym")
    )


def members_of(*, user, organization: Organization, as_of=None, statuses=None) -> QuerySet:
    """The membership spells of an organization in force on a day."""
    qs = (
        Membership.objects.visible_to(user)
        .filter(organization=organization)
        .as_of(as_of or today())
        .select_related("country")
        .annotate(country_order=country_name_order("country__name"))
        .order_by("country_order", "country__name", "pk")
    )
    if statuses:
        qs = qs.filter(status__in=statuses)
    return qs


def memberships_of_country(*, user, country: Country, as_of=None) -> QuerySet:
    qs = (
        Membership.objects.visible_to(user)
        .filter(country=country)
        .select_related("organization")
        .order_by("organization__acronym", "valid_from")
    )
    if as_of is not None:
        qs = qs.as_of(as_of)
    return qs


def shared_members(*, user, a: Organization, b: Organization, as_of=None) -> QuerySet[Country]:
    """States that are full members of both organizations on a day."""
    day = as_of or today()
    full = (MembershipStatus.FULL,)
    return (
        Country.objects.visible_to(user)
        .members_of(a, as_of=day, statuses=full)
        .members_of(b, as_of=day, statuses=full)
        .order_by("iso3")
    )


def shared_member_countries(*, user, a: Organization, b: Organization, as_of=None):
    """shared_members() in the order of the names in the reader's language."""
    return (
        shared_members(user=user, a=a, b=b, as_of=as_of)
        .annotate(name_order=country_name_order())
        .order_by("name_order", "name")
    )


def partnership_list(*, user) -> QuerySet[Partnership]:
    return (
        Partnership.objects.visible_to(user)
        .select_related("organization", "partner")
        .prefetch_related(Prefetch("basis", queryset=FrameworkDocument.objects.visible_to(user)))
    )


def partnerships_of(*, user, organization: Organization) -> QuerySet[Partnership]:
    return partnership_list(user=user).involving(organization)


def visible_partnership(user) -> Prefetch:
    """A person's partnership through the policy: one the user may not see reads as none."""
    return Prefetch(
        "partnership",
        queryset=Partnership.objects.visible_to(user).select_related("organization", "partner"),
    )


def person_list(*, user) -> QuerySet[Person]:
    return (
        Person.objects.visible_to(user)
        .select_related("organization")
        .prefetch_related(visible_partnership(user))
    )


def document_list(*, user) -> QuerySet[FrameworkDocument]:
    return FrameworkDocument.objects.visible_to(user)


def country_list(*, user) -> QuerySet[Country]:
    """Countries in the order of their names as the reader sees them (translated)."""
    return (
        Country.objects.visible_to(user)
        .annotate(
            in_home=Exists(home_member_ids().filter(country_id=OuterRef("pk"))),
            name_order=country_name_order(),
        )
        .order_by("name_order", "name")
    )


@dataclass
class Review:
    """A partnership or framework document whose review (or expiry) is due."""

    date: datetime.date
    kind: str  # "review" or "expiry"
    record: Partnership | FrameworkDocument
    days: int  # from today; negative when overdue

    @property
    def overdue(self) -> bool:
        return self.days < 0

    @property
    def days_ago(self) -> int:
        return -self.days


def reviews_due(
    *, user, within_days: int = 90, today: datetime.date | None = None, limit: int | None = 20
) -> list[Review]:
    """Reviews and expiries due within `within_days` (and overdue ones), soonest first.

    Through the policy: only partnerships and documents the user may see. Ended
    partnerships are left out. Two queries, whatever the number of records. `accord remind`
    is meant to call this for each user it writes to.
    """
    day = today if today is not None else timezone.localdate()
    horizon = day + datetime.timedelta(days=within_days)
    partnerships = (
        Partnership.objects.visible_to(user)
        .filter(review_on__lte=horizon)
        .exclude(status=PartnershipStatus.ENDED)
        .select_related("organization", "partner")
        .order_by("review_on", "pk")
    )
    never = datetime.date.max
    documents = (
        FrameworkDocument.objects.visible_to(user)
        .filter(Q(review_on__lte=horizon) | Q(expires_on__lte=horizon))
        .annotate(first_due=Least(Coalesce("review_on", never), Coalesce("expires_on", never)))
        .order_by("first_due", "pk")
    )
    if limit is not None:
        partnerships, documents = partnerships[:limit], documents[:limit]
    due = [Review(p.review_on, "review", p, (p.review_on - day).days) for p in partnerships]
    for document in documents:
        for kind, when in (("review", document.review_on), ("expiry", document.expires_on)):
            if when is not None and when <= horizon:
                due.append(Review(when, kind, document, (when - day).days))
    due.sort(key=lambda r: (r.date, r.kind, r.record._meta.model_name, r.record.pk))
    return due[:limit] if limit is not None else due


def dashboard_counts(*, user, home: Organization | None) -> dict:
    """The dashboard's figures, as the user may see them; `home` is the home organization."""
    return {
        "organizations": Organization.objects.visible_to(user).count(),
        "partners": Partnership.objects.visible_to(user).filter(organization__is_home=True).count()
        if home
        else 0,
        "home_members": Membership.objects.visible_to(user)
        .filter(organization=home, status__in=MEMBER_STATUSES)
        .current()
        .count()
        if home
        else 0,
        "people": Person.objects.visible_to(user).count(),
    }


def member_counts(*, user, organization: Organization, as_of=None) -> dict[str, int]:
    """Current spells of an organization counted by status, plus `members` (member statuses)."""
    rows = (
        Membership.objects.visible_to(user)
        .filter(organization=organization)
        .as_of(as_of or today())
        .values("status")
        .annotate(n=Count("pk"))
    )
    return status_counts({row["status"]: row["n"] for row in rows})


def status_counts(counts: dict[str, int]) -> dict[str, int]:
    """Spells counted by status, plus `members` (the member statuses), as member_counts gives."""
    counts = dict(counts)
    counts["members"] = sum(counts.get(s, 0) for s in MEMBER_STATUSES)
    return counts


def neighbours(*, user, country: Country) -> QuerySet[Country]:
    return (
        country.borders.visible_to(user)
        .annotate(
            in_home=Exists(home_member_ids().filter(country_id=OuterRef("pk"))),
            name_order=country_name_order(),
        )
        .order_by("name_order", "name")
    )


def is_home_member(*, country: Country, as_of=None) -> bool:
    return home_member_ids(as_of=as_of).filter(country_id=country.pk).exists()


def recent_changes(*, user, limit: int = 10) -> list[dict]:
    """The latest changes to records the user may see, newest first (a fixed query count)."""
    rows = []
    for model in (Organization, Membership, Partnership, Person, FrameworkDocument):
        # Versions the user could see, of records they see now; deletions by the version
        # that was deleted.
        visible = model.objects.visible_to(user).values("pk")
        # A record deleted along with another shows as that one deletion, not one each.
        went_along = Deletion.objects.filter(deleted=OuterRef("history_date")).filter(
            ~Q(model=model._meta.label_lower) | ~Q(object_id=OuterRef("id"))
        )
        rows.extend(
            visible_history(model, user)
            .filter(Q(id__in=visible) | Q(history_type="-"))
            .exclude(Q(history_type="-") & Exists(went_along))
            .select_related("history_user")
            .order_by("-history_id")[:limit]
        )
    rows.sort(key=lambda r: r.history_date, reverse=True)
    rows = rows[:limit]
    # Name the related records in bulk rather than one query per row.
    org_ids, country_ids = set(), set()
    for row in rows:
        for name in ("organization_id", "partner_id"):
            if getattr(row, name, None):
                org_ids.add(getattr(row, name))
        if getattr(row, "country_id", None):
            country_ids.add(row.country_id)
    orgs = dict(Organization.objects.filter(pk__in=org_ids).values_list("pk", "acronym"))
    countries = dict(Country.objects.filter(pk__in=country_ids).values_list("pk", "name"))
    # Editors follow a deletion to the page that brings it back.
    deletions = {}
    deleted_on = [row.history_date for row in rows if row.history_type == "-"]
    if deleted_on and policy.can_edit(user):
        for deletion in Deletion.objects.filter(deleted__in=deleted_on):
            deletions[(deletion.model, deletion.object_id)] = deletion.get_absolute_url()
    entries = []
    for row in rows:
        model = row.instance_type
        if model is Membership:
            label = f"{countries.get(row.country_id, '?')} in {orgs.get(row.organization_id, '?')}"
        elif model is Partnership:
            label = f"{orgs.get(row.organization_id, '?')} – {orgs.get(row.partner_id, '?')}"
        elif model is FrameworkDocument:
            label = f"{row.title} ({row.year})"
        elif model is Organization:
            label = row.acronym
        else:
            label = row.name
        if row.history_type == "-":
            url = deletions.get((model._meta.label_lower, row.id))
        else:
            url = model(**{"pk": row.id, **_url_fields(model, row)}).get_absolute_url()
        entries.append(
            {
                "model": model._meta.verbose_name,
                "label": label,
                "url": url,
                "type": row.history_type,
                "user": row.history_user,
                "date": row.history_date,
                "reason": row.history_change_reason,
            }
        )
    return entries


def _url_fields(model, row) -> dict:
    return {"acronym": row.acronym} if model is Organization else {}
