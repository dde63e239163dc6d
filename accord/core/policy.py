"""The one visibility and change policy: every page, API call, count and export asks here.

- administrator: sees and changes everything, manages users;
- editor: sees everything, changes domain records;
- viewer: sees public and internal records, changes nothing;
- partner: a partner organization's focal point; sees public records and internal records
  shared with their organization, changes nothing.
Restricted records are seen by administrators and editors only. A user without a role (no
profile and not a superuser) sees nothing.
"""

from __future__ import annotations

from django.db.models import Q

from .choices import Classification, Role


def role_of(user) -> Role | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    cached = getattr(user, "_accord_role", False)
    if cached is not False:
        return cached
    if user.is_superuser:
        role = Role.ADMINISTRATOR
    else:
        profile = getattr(user, "accord_profile", None)
        role = Role(profile.role) if profile is not None else None
    user._accord_role = role
    return role


def partner_organization_id(user) -> int | None:
    if role_of(user) != Role.PARTNER:
        return None
    return user.accord_profile.organization_id


def can_view(user) -> bool:
    return role_of(user) is not None


def is_home_staff(user) -> bool:
    """The home organization's staff: every role but a partner's focal point. What is drawn
    from all of the workspace (engagement health, the analyses) is for them: counted from the
    few records shared with one partner, it would mislead."""
    return can_view(user) and partner_organization_id(user) is None


def can_edit(user) -> bool:
    return role_of(user) in (Role.ADMINISTRATOR, Role.EDITOR)


def can_administer(user) -> bool:
    return role_of(user) == Role.ADMINISTRATOR


def classified_filter(user, shared=None) -> Q | None:
    """The rows of a classified model the user may see; None means none at all.

    `shared` is the condition "shared with the partner's organization"; by default the
    record's own `shared_with`. History rows pass their own links, so that a past version is
    judged by the classification and sharing it had then.
    """
    role = role_of(user)
    if role is None:
        return None
    if role in (Role.ADMINISTRATOR, Role.EDITOR):
        return Q()
    if role == Role.VIEWER:
        return ~Q(classification=Classification.RESTRICTED)
    if shared is None:
        shared = Q(shared_with__id=partner_organization_id(user))
    return Q(classification=Classification.PUBLIC) | (
        Q(classification=Classification.INTERNAL) & shared
    )


# Fields only administrators and editors see: whom a record is shared with tells a viewer or
# a partner about other partners' access.
EDITOR_ONLY_FIELDS = frozenset({"shared_with"})


def field_visible(user, name: str) -> bool:
    return name not in EDITOR_ONLY_FIELDS or can_edit(user)


def visible_classifications(user) -> list[str]:
    """Classifications a user may give a record: never one they could not see."""
    role = role_of(user)
    if role in (Role.ADMINISTRATOR, Role.EDITOR):
        return list(Classification.values)
    return []
