"""A small world of meetings on top of the registry's `world` fixture (conftest.py)."""

import datetime
import json
from types import SimpleNamespace

import pytest

from accord.core.choices import Classification, Role
from accord.meetings import services
from accord.taxonomy.models import Theme
from conftest import make_user

UTC = datetime.UTC


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


def post(client, url, body=None):
    return client.post(
        url, data=json.dumps(body) if body is not None else "", content_type="application/json"
    )


def patch(client, url, body):
    return client.patch(url, data=json.dumps(body), content_type="application/json")


def error_fields(response) -> list[str]:
    """The field each error names: the one after "body" or "query" in its `loc`."""
    return [str(error["loc"][1]) for error in response.json()["detail"]]


def build_meetings(world, django_user_model):
    """Meetings of every classification, their agendas, outcomes and actions.

    - `public`: a held public OSCE–UN meeting in the staff-talks series, with the three
      people of the world as participants (one shared with the UN, one internal, one
      restricted), two agenda items and an outcome;
    - `shared`: an internal meeting shared with the UN ("UN-SHARED-MEETING");
    - `internal`: an internal meeting shared with nobody ("INTERNAL-MEETING");
    - `restricted`: a restricted meeting ("RESTRICTED-MEETING") with an agenda item;
    - actions: a public one at the public meeting carried to the restricted one, a
      restricted one ("RESTRICTED-ACTION"), and a public one raised at the restricted
      meeting ("ACTION-AT-HIDDEN-MEETING").
    """
    rights = Theme.objects.get(slug="human-rights")
    series = services.series_create(
        actor=None,
        title="OSCE–UN staff talks",
        format="staff_talks",
        cadence="FREQ=YEARLY",
        time_zone="Europe/Vienna",
        place="Vienna",
        host_organization=world.osce,
        organizations=[world.osce, world.un],
        themes=[rights],
        classification=Classification.PUBLIC,
        template_agenda=[
            {"title": "Opening", "notes": "", "carry_over": False},
            {"title": "Review of actions", "notes": "", "carry_over": False},
        ],
    )
    restricted_series = services.series_create(
        actor=None,
        title="RESTRICTED-SERIES",
        format="bilateral",
        cadence="FREQ=MONTHLY;INTERVAL=6",
        time_zone="Asia/Shanghai",
        classification=Classification.RESTRICTED,
    )
    public = services.meeting_create(
        actor=None,
        title="Staff talks 2024",
        series=series,
        format="staff_talks",
        start=at(2024, 1, 16, 9),
        end=at(2024, 1, 16, 15),
        time_zone="Europe/Vienna",
        place="Hofburg, Vienna",
        host_organization=world.osce,
        organizations=[world.osce, world.un],
        themes=[rights],
        status="held",
        classification=Classification.PUBLIC,
        participants=[
            (world.shared_person, "attended"),
            (world.internal_person, "attended"),
            (world.restricted_person, "excused"),
        ],
    )
    item = services.agenda_item_create(actor=None, meeting=public, title="Early warning")
    services.agenda_item_create(actor=None, meeting=public, title="Any other business")
    outcome = services.outcome_create(
        actor=None, agenda_item=item, kind="action", text="Exchange early-warning contacts"
    )
    shared = services.meeting_create(
        actor=None,
        title="UN-SHARED-MEETING",
        format="bilateral",
        start=at(2024, 3, 1, 13),
        end=at(2024, 3, 1, 14),
        time_zone="America/New_York",
        organizations=[world.un],
        classification=Classification.INTERNAL,
        shared_with=[world.un],
    )
    internal = services.meeting_create(
        actor=None,
        title="INTERNAL-MEETING",
        format="bilateral",
        start=at(2024, 4, 1, 8),
        end=at(2024, 4, 1, 9),
        time_zone="Europe/Vienna",
        organizations=[world.un],
        classification=Classification.INTERNAL,
    )
    restricted = services.meeting_create(
        actor=None,
        title="RESTRICTED-MEETING",
        series=restricted_series,
        format="bilateral",
        start=at(2024, 5, 1, 8),
        end=at(2024, 5, 1, 9),
        time_zone="Asia/Shanghai",
        organizations=[world.sco],
        classification=Classification.RESTRICTED,
    )
    secret_item = services.agenda_item_create(
        actor=None, meeting=restricted, title="RESTRICTED-AGENDA"
    )
    services.outcome_create(
        actor=None, agenda_item=secret_item, kind="decision", text="RESTRICTED-OUTCOME"
    )
    action = services.action_create(
        actor=None,
        title="Send the contact list",
        meeting=public,
        outcome=outcome,
        organization=world.un,
        owner_person=world.shared_person,
        due=datetime.date(2024, 3, 1),
        classification=Classification.PUBLIC,
        carried_to=[restricted, shared],
    )
    secret_action = services.action_create(
        actor=None,
        title="RESTRICTED-ACTION",
        organization=world.sco,
        due=datetime.date(2024, 6, 1),
        classification=Classification.RESTRICTED,
    )
    hidden_meeting_action = services.action_create(
        actor=None,
        title="ACTION-AT-HIDDEN-MEETING",
        meeting=restricted,
        due=datetime.date(2024, 6, 1),
        classification=Classification.PUBLIC,
    )
    sco_partner = make_user(django_user_model, "sco-partner", Role.PARTNER, world.sco)
    return SimpleNamespace(
        series=series,
        restricted_series=restricted_series,
        public=public,
        item=item,
        outcome=outcome,
        shared=shared,
        internal=internal,
        restricted=restricted,
        secret_item=secret_item,
        action=action,
        secret_action=secret_action,
        hidden_meeting_action=hidden_meeting_action,
        sco_partner=sco_partner,
        rights=rights,
    )


@pytest.fixture
def mw(world, django_user_model):
    return build_meetings(world, django_user_model)
