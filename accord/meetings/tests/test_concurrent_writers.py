"""Real concurrent writers on one action: one save wins, the others get a conflict.

Each writer is a thread with its own connection (run_together), all holding the version they
read; none may overwrite another's save without seeing it."""

import datetime

import pytest

from accord.core.exceptions import ConflictError
from accord.meetings import services
from accord.meetings.models import Action
from accord.registry.tests.test_concurrent_spells import WRITERS, run_together

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_edits_of_one_action_keep_one_and_refuse_the_others():
    action = services.action_create(
        actor=None, title="Send the list", due=datetime.date(2030, 1, 1), classification="public"
    )

    def edit(i):
        mine = Action.objects.get(pk=action.pk)
        return services.action_update(
            actor=None, action=mine, expected_version=action.version, title=f"Edit {i}"
        ).title

    outcomes = run_together(edit)
    won = [value for kind, value in outcomes if kind == "ok"]
    refused = [value for kind, value in outcomes if kind == "error"]
    assert len(won) == 1, outcomes
    assert len(refused) == WRITERS - 1
    assert all(isinstance(exc, ConflictError) for exc in refused), outcomes
    action.refresh_from_db()
    assert action.title == won[0]
    assert action.version == 2
