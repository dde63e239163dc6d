import datetime

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from accord.core.querysets import ClassifiedQuerySet, OpenQuerySet

from .choices import MEMBER_STATUSES


def today() -> datetime.date:
    return timezone.localdate()


def valid_on(day: datetime.date, prefix: str = "") -> Q:
    """Spells in force on `day`: open ends count as always; `valid_to` is the last day."""
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": day})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    )


class CountryQuerySet(OpenQuerySet):
    def members_of(self, organization, *, as_of=None, statuses=MEMBER_STATUSES):
        from .models import Membership

        spells = Membership.objects.filter(
            organization=organization, country=OuterRef("pk"), status__in=statuses
        ).as_of(as_of or today())
        return self.filter(Exists(spells))


class OrganizationQuerySet(OpenQuerySet):
    pass


class MembershipQuerySet(OpenQuerySet):
    def as_of(self, day: datetime.date | None = None):
        return self.filter(valid_on(day or today()))

    def current(self):
        return self.as_of(today())

    def members(self):
        return self.filter(status__in=MEMBER_STATUSES)


class PartnershipQuerySet(ClassifiedQuerySet):
    def involving(self, organization):
        return self.filter(Q(organization=organization) | Q(partner=organization))


class PersonQuerySet(ClassifiedQuerySet):
    pass


class FrameworkDocumentQuerySet(ClassifiedQuerySet):
    pass
