"""The one write path for registry records: UI, API, CLI, importers and tests call these."""

from __future__ import annotations

import copy
import datetime
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
def organization_create(*, actor, mandate_themes=(), **fields) -> Organization:
    core.require_editor(actor)
    organization = Organization(**fields)
    check_one_home(organization)
    return core.create(organization, actor=actor, m2m={"mandate_themes": mandate_themes})


def check_founding_move(organization: Organization, founded) -> None:
    """A founding year may not move past the start of memberships that began after it.

    Memberships already dated before the old founding year were confirmed as such (a
    founding member counted from signature, a predecessor's members); only those the move
    would newly put before the founding are counted.
    """
    if not isinstance(founded, int) or not 1 <= founded <= 9999:
        return  # empty, or a value full_clean() refuses with its own message
    if organization.founded is not None and founded <= organization.founded:
        return
    spells = Membership.objects.filter(
        organization_id=organization.pk, valid_from__lt=datetime.date(int(founded), 1, 1)
    )
    if organization.founded is not None:
        spells = spells.filter(valid_from__gte=datetime.date(organization.founded, 1, 1))
    count = spells.count()
    if count:
        first = spells.order_by("valid_from").values_list("valid_from", flat=True).first()
        raise ValidationError(
            {
                "founded": ngettext(
                    "%(count)d membership of %(organization)s begins before %(year)s (on "
                    "%(first)s): correct it before moving the founding year.",
                    "%(count)d memberships of %(organization)s begin before %(year)s (the "
                    "first on %(first)s): correct them before moving the founding year.",
                    count,
                )
                % {
                    "count": count,
                    "organization": organization.acronym,
                    "year": founded,
                    "first": date_format(first, "SHORT_DATE_FORMAT"),
                }
            }
        )


@transaction.atomic
def organization_update(
    *,
    actor,
    organization: Organization,
    expected_version: int | None,
    reason: str = "",
    mandate_themes=None,
    **fields,
) -> Organization:
    core.require_editor(actor)
    probe = Organization(pk=organization.pk, is_home=fields.get("is_home", organization.is_home))
    check_one_home(probe)
    if "founded" in fields:
        check_founding_move(organization, fields["founded"])
    return core.update(
        organization,
        actor=actor,
        fields=fields,
        expected_version=expected_version,
        reason=reason,
        m2m={"mandate_themes": mandate_themes},
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


BEFORE_FOUNDING = "before_founding"


def before_founding_message(organization: Organization, valid_from) -> str:
    return _(
        "%(organization)s was founded in %(founded)s; a membership from %(start)s would begin "
        "before it. If that is right (a founding member counted from its signature, or "
        "membership of a predecessor), confirm it."
    ) % {
        "organization": organization.acronym,
        "founded": organization.founded,
        "start": date_format(valid_from, "SHORT_DATE_FORMAT"),
    }


def check_after_founding(membership: Membership, *, confirmed: bool = False) -> None:
    """A membership cannot begin before its organization was founded, unless confirmed.

    `founded` is a year, so a start in the founding year is always accepted. The exception
    is real: the EU's own pages date its founding members from 1958, the OSCE's original
    participating States from 1973; the user (or the data file) says so explicitly.
    """
    organization = membership.organization
    if confirmed or organization.founded is None:
        return
    if not isinstance(membership.valid_from, datetime.date):
        return  # unknown, or a value full_clean() refuses with its own message
    if membership.valid_from.year >= organization.founded:
        return
    raise ValidationError(
        {
            "valid_from": ValidationError(
                before_founding_message(organization, membership.valid_from),
                code=BEFORE_FOUNDING,
            )
        }
    )


def is_before_founding(exc: ValidationError) -> bool:
    """Whether the only problem is a start before the founding (which may be confirmed)."""
    errors = getattr(exc, "error_dict", {})
    codes = [e.code for field_errors in errors.values() for e in field_errors]
    return bool(codes) and all(code == BEFORE_FOUNDING for code in codes)


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
    confirm_before_founding: bool = False,
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
    check_after_founding(membership, confirmed=confirm_before_founding)
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
    *,
    actor,
    membership: Membership,
    expected_version: int | None,
    reason: str = "",
    confirm_before_founding: bool = False,
    **fields,
) -> Membership:
    core.require_editor(actor)
    probe = copy.copy(membership)
    for name, value in fields.items():
        setattr(probe, name, value)
    if probe.valid_from != membership.valid_from:
        # Only a new start is checked: a spell confirmed (or loaded) before the founding
        # keeps its date through other edits.
        check_after_founding(probe, confirmed=confirm_before_founding)
    check_no_overlap(probe)
    with overlap_guard(probe):
        return core.update(
            membership,
            actor=actor,
            fields=fields,
            expected_version=expected_version,
            reason=reason,
        )


@transaction.atomic
def membership_bulk_create(
    *,
    actor,
    organization: Organization,
    rows: list[dict],
    source: str = "",
    confirm_before_founding: bool = False,
) -> list[Membership]:
    """Create many memberships in one transaction: all of them, or none.

    Each row is a dict with `line`, `country`, `status`, `valid_from` and `valid_to`; each goes
    through membership_create(), so its checks and history hold for every row. A refusal
    names the row's line.
    """
    core.require_editor(actor)
    created = []
    for row in rows:
        try:
            created.append(
                membership_create(
                    actor=actor,
                    organization=organization,
                    country=row["country"],
                    status=row["status"],
                    valid_from=row["valid_from"],
                    valid_to=row["valid_to"],
                    source=source,
                    confirm_before_founding=confirm_before_founding,
                )
            )
        except ValidationError as exc:
            raise ValidationError(
                _("Line %(line)s (%(country)s): %(reason)s")
                % {"line": row["line"], "country": row["country"], "reason": " ".join(exc.messages)}
            ) from exc
    return created


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
