"""The one write path for registry records: UI, API, CLI, importers and tests call these."""

from __future__ import annotations

import copy
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accord.core import services as core

from .models import Country, FrameworkDocument, Membership, Organization, Partnership, Person


def check_one_home(organization: Organization) -> None:
    if not organization.is_home:
        return
    other = Organization.objects.filter(is_home=True).exclude(pk=organization.pk).first()
    if other is not None:
        raise ValidationError(
            {"is_home": _("%(acronym)s is already the home organization.") % {"acronym": other}}
        )


@transaction.atomic
def organization_create(*, actor, **fields) -> Organization:
    core.require_editor(actor)
    organization = Organization(**fields)
    check_one_home(organization)
    return core.create(organization, actor=actor)


@transaction.atomic
def organization_update(
    *, actor, organization: Organization, expected_version: int | None, reason: str = "", **fields
) -> Organization:
    core.require_editor(actor)
    probe = Organization(pk=organization.pk, is_home=fields.get("is_home", organization.is_home))
    check_one_home(probe)
    return core.update(
        organization, actor=actor, fields=fields, expected_version=expected_version, reason=reason
    )


def organization_delete(*, actor, organization: Organization, expected_version=None):
    core.require_editor(actor)
    if organization.is_home:
        raise ValidationError(_("The home organization cannot be deleted."))
    return core.delete(organization, actor=actor, expected_version=expected_version)


# The PostgreSQL exclusion constraint of migration 0002 (SQLite serialises writers instead).
OVERLAP_CONSTRAINT = "membership_no_overlap"


def check_no_overlap(membership: Membership) -> None:
    """One country has at most one spell in force in one organization on any day."""
    others = Membership.objects.filter(
        organization_id=membership.organization_id, country_id=membership.country_id
    ).exclude(pk=membership.pk)
    # Two ranges overlap when each starts on or before the other's end.
    if membership.valid_to is not None:
        others = others.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=membership.valid_to))
    if membership.valid_from is not None:
        others = others.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=membership.valid_from))
    clash = others.order_by("valid_from").first()
    if clash is not None:
        raise ValidationError(
            {
                "valid_from": _(
                    "%(country)s already has a membership in %(organization)s that overlaps these "
                    "dates (%(start)s – %(end)s)."
                )
                % {
                    "country": membership.country,
                    "organization": membership.organization,
                    "start": clash.valid_from or _("unknown"),
                    "end": clash.valid_to or _("open"),
                }
            }
        )


@transaction.atomic
def membership_create(
    *,
    actor,
    organization: Organization,
    country: Country,
    status: str,
    valid_from=None,
    valid_to=None,
    source: str = "",
    note: str = "",
) -> Membership:
    core.require_editor(actor)
    membership = Membership(
        organization=organization,
        country=country,
        status=status,
        valid_from=valid_from,
        valid_to=valid_to,
        source=source,
        note=note,
    )
    membership.full_clean()
    check_no_overlap(membership)
    with overlap_guard(membership):
        return core.create(membership, actor=actor)


@contextmanager
def overlap_guard(membership: Membership):
    """Turn the database's own overlap refusal into the same message as check_no_overlap.

    check_no_overlap() cannot see a spell another transaction is writing at the same moment:
    no row exists yet to lock. On PostgreSQL the exclusion constraint `membership_no_overlap`
    refuses the second of two such writes (it waits for the first to commit); on SQLite one
    writer at a time already serialises them. A savepoint keeps the caller's transaction
    usable for the message.
    """
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        if OVERLAP_CONSTRAINT not in str(exc):
            raise
        check_no_overlap(membership)  # names the clash, now committed
        raise ValidationError(
            {"valid_from": _("These dates overlap another membership of this State.")}
        ) from exc


@transaction.atomic
def membership_update(
    *, actor, membership: Membership, expected_version: int | None, reason: str = "", **fields
) -> Membership:
    core.require_editor(actor)
    probe = copy.copy(membership)
    for name, value in fields.items():
        setattr(probe, name, value)
    check_no_overlap(probe)
    with overlap_guard(probe):
        return core.update(
            membership,
            actor=actor,
            fields=fields,
            expected_version=expected_version,
            reason=reason,
        )


def membership_delete(*, actor, membership: Membership, expected_version=None):
    return core.delete(membership, actor=actor, expected_version=expected_version)


@transaction.atomic
def partnership_create(*, actor, basis=(), shared_with=(), **fields) -> Partnership:
    return core.create(
        Partnership(**fields), actor=actor, m2m={"basis": basis, "shared_with": shared_with}
    )


@transaction.atomic
def partnership_update(
    *,
    actor,
    partnership: Partnership,
    expected_version,
    basis=None,
    shared_with=None,
    reason: str = "",
    **fields,
) -> Partnership:
    return core.update(
        partnership,
        actor=actor,
        fields=fields,
        expected_version=expected_version,
        m2m={"basis": basis, "shared_with": shared_with},
        reason=reason,
    )


def partnership_delete(*, actor, partnership: Partnership, expected_version=None):
    return core.delete(partnership, actor=actor, expected_version=expected_version)


@transaction.atomic
def person_create(*, actor, shared_with=(), **fields) -> Person:
    return core.create(Person(**fields), actor=actor, m2m={"shared_with": shared_with})


@transaction.atomic
def person_update(
    *, actor, person: Person, expected_version, shared_with=None, reason: str = "", **fields
) -> Person:
    return core.update(
        person,
        actor=actor,
        fields=fields,
        expected_version=expected_version,
        m2m={"shared_with": shared_with},
        reason=reason,
    )


def person_delete(*, actor, person: Person, expected_version=None):
    return core.delete(person, actor=actor, expected_version=expected_version)


@transaction.atomic
def document_create(*, actor, shared_with=(), **fields) -> FrameworkDocument:
    return core.create(FrameworkDocument(**fields), actor=actor, m2m={"shared_with": shared_with})


@transaction.atomic
def document_update(
    *,
    actor,
    document: FrameworkDocument,
    expected_version,
    shared_with=None,
    reason: str = "",
    **fields,
) -> FrameworkDocument:
    return core.update(
        document,
        actor=actor,
        fields=fields,
        expected_version=expected_version,
        m2m={"shared_with": shared_with},
        reason=reason,
    )


def document_delete(*, actor, document: FrameworkDocument, expected_version=None):
    return core.delete(document, actor=actor, expected_version=expected_version)


@transaction.atomic
def country_create(*, actor, borders=(), **fields) -> Country:
    """A state ISO 3166-1 does not list yet (the ISO list itself is loaded, not typed)."""
    return core.create(Country(**fields), actor=actor, m2m={"borders": borders})


@transaction.atomic
def country_update(
    *, actor, country: Country, expected_version, borders=None, reason: str = "", **fields
) -> Country:
    return core.update(
        country,
        actor=actor,
        fields=fields,
        expected_version=expected_version,
        m2m={"borders": borders},
        reason=reason,
    )


def country_delete(*, actor, country: Country, expected_version=None):
    return core.delete(country, actor=actor, expected_version=expected_version)
