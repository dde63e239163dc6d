"""GET /api/v1/organizations/{key}/membership-history: entered data and data sets."""

import datetime

import pytest

from accord.analytics import cow
from accord.registry import services

from . import cowfiles

pytestmark = pytest.mark.django_db
URL = "/api/v1/organizations/{}/membership-history"


def history(client, key, **params):
    response = client.get(URL.format(key), params)
    assert response.status_code == 200, response.content
    return {item["year"]: item for item in response.json()["items"]}, response.json()


def test_entered_spells_count_in_every_year_their_dates_touch(world, client_for):
    c = world.countries
    un = services.organization_create(actor=None, acronym="TST", name="Test", kind="other")
    # France joins on 31 December 2001, Russia observes until
    # 1 January 2003, and China has two spells in 2002 (counted once).
    services.membership_create(
        actor=None,
        organization=un,
        country=c["FRA"],
        status="full",
        valid_from=datetime.date(2001, 12, 31),
    )
    services.membership_create(
        actor=None,
        organization=un,
        country=c["RUS"],
        status="observer",
        valid_from=datetime.date(1999, 5, 1),
        valid_to=datetime.date(2003, 1, 1),
    )
    for start, end in [((2002, 1, 1), (2002, 3, 1)), ((2002, 10, 1), (2002, 12, 1))]:
        services.membership_create(
            actor=None,
            organization=un,
            country=c["CHN"],
            status="full",
            valid_from=datetime.date(*start),
            valid_to=datetime.date(*end),
        )
    years, body = history(client_for(world.users.viewer), "TST", **{"from": 2000, "to": 2004})
    assert body["source"] == "entered" and (body["first_year"], body["last_year"]) == (2000, 2004)
    assert [years[y]["full"] for y in range(2000, 2005)] == [0, 1, 2, 1, 1]
    assert [years[y]["observer"] for y in range(2000, 2005)] == [1, 1, 1, 1, 0]


def test_a_data_set_is_read_by_its_key_and_says_its_coverage(world, client_for, tmp_path):
    cow.import_cow(cowfiles.write(tmp_path, cowfiles.nato_like()))
    client = client_for(world.users.partner)
    years, body = history(client, "NATO", source="cow-igo-v3")
    assert (body["first_year"], body["last_year"]) == (1988, 1993)
    assert body["coverage"] == "COW IGO v3.0 covers 1988–1993."
    assert [years[y]["full"] for y in range(1988, 1994)] == [3, 3, 4, 3, 3, 3]
    assert years[1992]["observer"] == 1
    # Entered data stays apart: nothing was entered for NATO.
    entered, _body = history(client, "NATO", **{"from": 1990, "to": 1990})
    assert entered[1990]["full"] == 0


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"source": "nope"}, "source", "No source “nope”; the sources are entered"),
        ({"from": 2000, "to": 1990}, "to", "“to” is before “from”."),
        ({"from": 1000, "to": 2000}, "from", "At most 500 years at a time."),
        ({"from": "abc"}, "from", ""),
        ({"to": 99999}, "to", ""),
        ({"source": "x" * 41}, "source", ""),
    ],
)
def test_bad_parameters_get_a_422_naming_them(world, client_for, params, field, message):
    response = client_for(world.users.viewer).get(URL.format("UN"), params)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail[0]["loc"] == ["query", field]
    assert message in detail[0]["msg"]


def test_no_history_without_a_role_and_404_for_an_unknown_organization(world, client, client_for):
    assert client.get(URL.format("UN")).status_code == 401
    assert client_for(world.users.norole).get(URL.format("UN")).status_code == 403
    assert client_for(world.users.viewer).get(URL.format("NOPE")).status_code == 404


def test_the_identifier_filter(world, client_for, tmp_path):
    cow.import_cow(cowfiles.write(tmp_path, cowfiles.nato_like()))
    client = client_for(world.users.viewer)
    found = client.get("/api/v1/organizations", {"identifier": "cow-igo:testo"}).json()
    assert [item["acronym"] for item in found["items"]] == ["TESTO"]
    assert client.get("/api/v1/organizations", {"identifier": "cow-igo:UN"}).json()["count"] == 0
    bad = client.get("/api/v1/organizations", {"identifier": "NATO"})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["query", "identifier"]
