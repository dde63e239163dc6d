"""Many actions given one status from the list page: all of them or none, version-safe.

services.set_action_status() changes whatever it is given; from a list, each ticked row
carries the version the list showed, and a row changed since (by someone else) must not be
overwritten: the whole change is refused and the stale rows are named, so the user looks at
them and applies again.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accord.core import services as core
from accord.core.exceptions import ConflictError

from . import services
from .choices import ActionStatus
from .models import Action


class StaleActions(Exception):
    """Rows changed since the list was read; nothing was written."""

    def __init__(self, actions: list[Action]):
        super().__init__(", ".join(str(a) for a in actions))
        self.actions = actions


@transaction.atomic
def action_bulk_status(*, actor, versions: dict[int, int], status: str) -> list[Action]:
    """Give each action of `versions` ({id: version read}) the status `status`, in one
    transaction. Raises StaleActions (nothing written) if any changed since its version;
    actions the actor may not see read as missing. Actions already in that status are left
    as they are. Returns the actions changed."""
    core.require_editor(actor)
    if status not in ActionStatus.values:
        raise ValidationError({"status": _("“%(value)s” is not a status.") % {"value": status}})
    found = {a.pk: a for a in Action.objects.visible_to(actor).filter(pk__in=list(versions))}
    missing = [pk for pk in versions if pk not in found]
    if missing:
        raise ValidationError(
            {"rows": _("No action %(id)s: it was deleted meanwhile.") % {"id": missing[0]}}
        )
    changed, stale = [], []
    for pk, version in versions.items():
        action = found[pk]
        if action.version != version:
            stale.append(action)
            continue
        if action.status == status:
            continue
        try:
            changed.append(
                services.action_update(
                    actor=actor, action=action, expected_version=version, status=status
                )
            )
        except ConflictError:  # changed between the read above and the lock
            stale.append(action)
    if stale:
        raise StaleActions(stale)  # rolls back every change made above
    return changed
