"""The REST API as a client uses it: authentication, reading, writing, and what bad input gets."""

import datetime
import io
import json
import random

import pytest
from django.core.exceptions import ObjectDoesNotExist
from django.core.management import call_command
from django.test import Client

from accord.api import api
from accord.core.models import ApiToken
from accord.registry import services
from accord.registry.models import (
    FrameworkDocument,
    Membership,
    Organization,
    Partnership,
    Person,
)
from conftest import PASSWORD

day = datetime.date


def post(client, url, body, **extra):
    return client.post(url, data=json.dumps(body), content_type="application/json", **extra)


def patch(client, url, body):
    return client.patch(url, data=json.dumps(body), content_type="application/json")


def error_fields(response) -> list[str]:
    """The field each error names: the last element of its `loc`."""
    return [str(error["loc"][-1]) for error in response.json()["detail"]]


def error_text(response) -> str:
    return " ".join(error["msg"] for error in response.json()["detail"])


@pytest.fixture
def editor(world, client_for):
    return client_for(world.users.editor)


@pytest.fixture
def viewer(world, client_for):
    return client_for(world.users.viewer)


# ---------------------------------------------------------------- authentication


def test_a_token_from_the_password_opens_the_api(world):
    client = Client()
    response = post(client, "/api/v1/auth/token", {"username": "editor", "password": PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    assert len(token) > 20
    fresh = Client()  # no session: only the token identifies the caller
    response = fresh.get("/api/v1/organizations", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert response.json()["count"] == 3
    # The token also writes, as the editor it belongs to.
    response = post(
        fresh,
        "/api/v1/organizations",
        {"acronym": "NEW", "name": "New", "kind": "other"},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 201
    created = Organization.objects.get(acronym="NEW")
    assert created.history.get().history_user == world.users.editor


def test_a_wrong_password_gets_401_and_no_token(world):
    response = post(Client(), "/api/v1/auth/token", {"username": "editor", "password": "nope"})
    assert response.status_code == 401
    assert "token" not in response.json()
    assert ApiToken.objects.count() == 0


def test_a_user_without_a_role_gets_no_token(world):
    response = post(Client(), "/api/v1/auth/token", {"username": "norole", "password": PASSWORD})
    assert response.status_code == 401
    assert ApiToken.objects.count() == 0


WRONG_HEADERS = [
    "Token {token}",  # wrong scheme
    "Bearer {token}x",  # wrong token
    "Bearer",  # no token
    "Basic ZWRpdG9yOmEtbG9uZy10ZXN0LXBhc3N3b3Jk",  # a password is not a token
    "{token}",  # no scheme
]


def test_a_wrong_authorization_header_gets_401(world):
    _token, raw = ApiToken.issue(user=world.users.editor)
    for header in WRONG_HEADERS:
        response = Client().get(
            "/api/v1/organizations", HTTP_AUTHORIZATION=header.format(token=raw)
        )
        assert response.status_code == 401, header
        assert response["WWW-Authenticate"] == "Bearer"
        assert response.json() == {"detail": "Authentication required."}
    assert Client().get("/api/v1/organizations").status_code == 401  # no header at all
    response = Client().get("/api/v1/organizations", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200  # the same token, well presented


def test_an_expired_token_gets_401(world):
    token, raw = ApiToken.issue(user=world.users.editor)
    ApiToken.objects.filter(pk=token.pk).update(
        expires=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    response = Client().get("/api/v1/organizations", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401


def test_token_create_command_prints_the_token_alone_on_its_last_line(world):
    out, err = io.StringIO(), io.StringIO()
    call_command("token", "create", "viewer", stdout=out, stderr=err)
    raw = out.getvalue().strip().splitlines()[-1]
    assert raw == raw.strip() and " " not in raw
    response = Client().get("/api/v1/persons", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert response.json()["count"] == 2  # the viewer's people, not the editor's
    call_command("token", "revoke", "viewer", stdout=io.StringIO())
    response = Client().get("/api/v1/persons", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401


def test_a_browser_session_works_for_the_api(viewer):
    response = viewer.get("/api/v1/organizations/UN")
    assert response.status_code == 200
    assert response.json()["name"] == "United Nations"


# ---------------------------------------------------------------- organizations


def acronyms(response) -> list[str]:
    return [item["acronym"] for item in response.json()["items"]]


def test_organization_list_searches_and_filters(viewer):
    assert acronyms(viewer.get("/api/v1/organizations?search=united")) == ["UN"]
    assert acronyms(viewer.get("/api/v1/organizations?search=shanghai")) == ["SCO"]
    assert acronyms(viewer.get("/api/v1/organizations?kind=regional")) == ["OSCE", "SCO"]
    assert acronyms(viewer.get("/api/v1/organizations?is_home=true")) == ["OSCE"]
    assert acronyms(viewer.get("/api/v1/organizations?is_partner=true")) == ["UN"]


def test_organization_list_pages_with_limit_and_offset(viewer):
    page = viewer.get("/api/v1/organizations?limit=1&offset=1").json()
    assert page["count"] == 3
    assert [item["acronym"] for item in page["items"]] == ["SCO"]
    everything = viewer.get("/api/v1/organizations?limit=500").json()
    assert [item["acronym"] for item in everything["items"]] == ["OSCE", "SCO", "UN"]
    assert viewer.get("/api/v1/organizations?offset=3").json() == {"items": [], "count": 3}


def test_organization_list_refuses_a_bad_page(viewer):
    for query in ["limit=501", "limit=0", "limit=ten", "offset=-1"]:
        response = viewer.get(f"/api/v1/organizations?{query}")
        assert response.status_code == 422, query
        assert error_fields(response) == [query.split("=")[0]]


def test_organization_detail_by_acronym_in_any_case(world, viewer):
    for key in ["UN", "un", "Un"]:
        response = viewer.get(f"/api/v1/organizations/{key}")
        assert response.status_code == 200
        body = response.json()
        assert (body["id"], body["acronym"], body["headquarters_country"]) == (
            world.un.pk,
            "UN",
            "USA",
        )


def test_organization_detail_by_id(world, viewer):
    assert viewer.get(f"/api/v1/organizations/{world.sco.pk}").json()["acronym"] == "SCO"


def test_unknown_organization_is_404_json(viewer):
    for key in ["NOPE", "999999", "99999999999999999999999", "²", "%00"]:
        response = viewer.get(f"/api/v1/organizations/{key}")
        assert response.status_code == 404, key
        assert response["Content-Type"].startswith("application/json")
        assert response.json() == {"detail": "Not found."}


# ---------------------------------------------------------------- members and memberships


def test_members_as_of_a_day(viewer):
    response = viewer.get("/api/v1/organizations/OSCE/members?as_of=1980-01-01")
    assert response.status_code == 200
    items = response.json()["items"]
    # Kazakhstan joined in 1992; Algeria's partnership has no start date, so it always counts.
    assert {i["country"]["iso3"] for i in items} == {"AUT", "FRA", "RUS", "USA", "DZA"}
    france = next(i for i in items if i["country"]["iso3"] == "FRA")
    assert france["country"]["name"] == "France"
    assert france["status"] == "full"
    assert france["valid_from"] == "1975-08-01"
    assert france["valid_to"] is None
    later = viewer.get("/api/v1/organizations/OSCE/members?as_of=1992-01-30").json()
    assert "KAZ" in {i["country"]["iso3"] for i in later["items"]}
    earlier = viewer.get("/api/v1/organizations/OSCE/members?as_of=1992-01-29").json()
    assert "KAZ" not in {i["country"]["iso3"] for i in earlier["items"]}


def test_members_filtered_by_status(viewer):
    full = viewer.get("/api/v1/organizations/OSCE/members?status=full").json()
    assert {i["country"]["iso3"] for i in full["items"]} == {"AUT", "FRA", "RUS", "KAZ", "USA"}
    partners = viewer.get("/api/v1/organizations/OSCE/members?status=partner").json()
    assert [i["country"]["iso3"] for i in partners["items"]] == ["DZA"]
    assert partners["count"] == 1


def test_an_ended_spell_shows_its_last_day(world, viewer):
    services.membership_create(
        actor=None,
        organization=world.sco,
        country=world.countries["FRA"],
        status="observer",
        valid_from=day(2010, 1, 1),
        valid_to=day(2015, 12, 31),
    )
    last_day = viewer.get("/api/v1/organizations/SCO/members?as_of=2015-12-31").json()["items"]
    france = [i for i in last_day if i["country"]["iso3"] == "FRA"]
    assert [(i["status"], i["valid_to"]) for i in france] == [("observer", "2015-12-31")]
    after = viewer.get("/api/v1/organizations/SCO/members?as_of=2016-01-01").json()["items"]
    assert "FRA" not in {i["country"]["iso3"] for i in after}


def test_memberships_of_a_country(viewer):
    def orgs(query):
        response = viewer.get(f"/api/v1/countries/KAZ/memberships{query}")
        assert response.status_code == 200
        return {i["organization"]["acronym"] for i in response.json()["items"]}

    assert orgs("") == {"OSCE", "UN", "SCO"}
    assert orgs("?as_of=2000-01-01") == {"OSCE", "UN"}
    assert orgs("?as_of=1991-12-31") == {"UN"}
    assert orgs("?as_of=1900-01-01") == set()


def test_country_codes_in_any_case(viewer):
    assert viewer.get("/api/v1/countries/kaz").json()["iso3"] == "KAZ"
    assert viewer.get("/api/v1/countries/KZ").json()["iso3"] == "KAZ"
    assert viewer.get("/api/v1/countries/XYZ").status_code == 404


def test_overlap_of_two_organizations(viewer):
    response = viewer.get("/api/v1/overlap?a=OSCE&b=SCO")
    assert response.status_code == 200
    body = response.json()
    assert (body["a"], body["b"], body["iso3"], body["count"]) == ("OSCE", "SCO", ["KAZ", "RUS"], 2)
    before_sco = viewer.get("/api/v1/overlap?a=osce&b=sco&as_of=2000-01-01").json()
    assert (before_sco["iso3"], before_sco["count"]) == ([], 0)


@pytest.mark.parametrize(("query", "field"), [("a=NOPE&b=SCO", "a"), ("a=OSCE&b=NOPE", "b")])
def test_overlap_with_an_unknown_organization_names_it(viewer, query, field):
    response = viewer.get(f"/api/v1/overlap?{query}")
    assert response.status_code == 422
    assert error_fields(response) == [field]
    assert "NOPE" in error_text(response)


def test_overlap_needs_both_organizations(viewer):
    response = viewer.get("/api/v1/overlap?a=OSCE")
    assert response.status_code == 422
    assert "b" in error_fields(response)


# ---------------------------------------------------------------- bad input


def test_malformed_json_is_400_with_a_json_body(editor):
    response = editor.post("/api/v1/organizations", data="{bad", content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()
    assert not Organization.objects.filter(name="bad").exists()


def test_a_missing_field_is_422_naming_it(editor):
    response = post(editor, "/api/v1/organizations", {"name": "No acronym", "kind": "other"})
    assert response.status_code == 422
    assert error_fields(response) == ["acronym"]


def test_a_wrong_type_is_422_naming_the_field(editor):
    body = {"acronym": "X", "name": "X", "kind": "other", "founded": "long ago"}
    response = post(editor, "/api/v1/organizations", body)
    assert response.status_code == 422
    assert error_fields(response) == ["founded"]
    response = post(editor, "/api/v1/organizations", {**body, "founded": 1990, "kind": "galactic"})
    assert response.status_code == 422
    assert error_fields(response) == ["kind"]
    assert not Organization.objects.filter(acronym="X").exists()


def test_a_bad_date_is_422_naming_as_of(viewer):
    for url in [
        "/api/v1/organizations/OSCE/members?as_of=2020-13-45",
        "/api/v1/countries/FRA/memberships?as_of=2020-13-45",
        "/api/v1/memberships?as_of=2020-13-45",
        "/api/v1/overlap?a=OSCE&b=SCO&as_of=2020-13-45",
    ]:
        response = viewer.get(url)
        assert response.status_code == 422, url
        assert error_fields(response) == ["as_of"]


def test_an_unknown_country_code_is_422_naming_country(editor):
    body = {"organization": "SCO", "country": "XXX", "status": "full"}
    response = post(editor, "/api/v1/memberships", body)
    assert response.status_code == 422
    assert error_fields(response) == ["country"]
    assert "XXX" in error_text(response)


def test_an_overlapping_spell_is_422_naming_the_field_and_the_clash(editor, world):
    body = {"organization": "UN", "country": "FRA", "status": "full", "valid_from": "2000-01-01"}
    response = post(editor, "/api/v1/memberships", body)
    assert response.status_code == 422
    assert error_fields(response) == ["valid_from"]
    assert "1945-10-24" in error_text(response)  # the spell it clashes with
    assert Membership.objects.filter(organization=world.un, country__iso3="FRA").count() == 1


def test_a_spell_ending_before_it_starts_is_422(editor, world):
    body = {
        "organization": "SCO",
        "country": "FRA",
        "status": "observer",
        "valid_from": "2020-01-01",
        "valid_to": "2019-12-31",
    }
    response = post(editor, "/api/v1/memberships", body)
    assert response.status_code == 422
    assert "before" in error_text(response)
    assert not Membership.objects.filter(organization=world.sco, country__iso3="FRA").exists()


def test_patching_a_spell_to_end_before_it_starts_is_422(editor, world):
    spell = Membership.objects.get(organization=world.osce, country__iso3="FRA")
    response = patch(
        editor, f"/api/v1/memberships/{spell.pk}", {"version": 1, "valid_to": "1970-01-01"}
    )
    assert response.status_code == 422
    spell.refresh_from_db()
    assert (spell.valid_to, spell.version) == (None, 1)


# ---------------------------------------------------------------- create, update, delete


def entity_cases(world):
    """Per collection: URL, body to create, key of the created record, a change, a refusal."""
    return {
        "organizations": (
            "/api/v1/organizations",
            {"acronym": "ASEAN", "name": "ASEAN", "kind": "regional", "headquarters": "Jakarta"},
            "acronym",
            {"name": "Association of Southeast Asian Nations"},
            lambda: Organization.objects.get(acronym="ASEAN"),
        ),
        "memberships": (
            "/api/v1/memberships",
            {
                "organization": "SCO",
                "country": "FRA",
                "status": "observer",
                "valid_from": "2020-02-01",
            },
            "id",
            {"note": "Observer since the 2020 summit"},
            lambda: Membership.objects.get(organization=world.sco, country__iso3="FRA"),
        ),
        "partnerships": (
            "/api/v1/partnerships",
            {
                "organization": "UN",
                "partner": "SCO",
                "type": "thematic",
                "basis": ["helsinki-1992"],
                "shared_with": ["UN"],
            },
            "id",
            {"notes": "Counter-terrorism", "priority": "low"},
            lambda: Partnership.objects.get(organization=world.un, partner=world.sco),
        ),
        "persons": (
            "/api/v1/persons",
            {"name": "Ada Contact", "organization": "SCO", "email": "ada@example.org"},
            "id",
            {"title": "Deputy Secretary-General"},
            lambda: Person.objects.get(name="Ada Contact"),
        ),
        "documents": (
            "/api/v1/documents",
            {"key": "charter-2002", "title": "SCO Charter", "year": 2002, "kind": "charter"},
            "id",
            {"place": "St Petersburg"},
            lambda: FrameworkDocument.objects.get(key="charter-2002"),
        ),
    }


COLLECTIONS = ["organizations", "memberships", "partnerships", "persons", "documents"]


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_editor_creates_updates_and_deletes(world, editor, collection):
    url, body, key, change, fetch = entity_cases(world)[collection]
    response = post(editor, url, body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["version"] == 1
    record = fetch()
    assert record.history.get().history_user == world.users.editor
    detail = f"{url}/{created[key]}"
    assert editor.get(detail).json() == created

    response = patch(editor, detail, {"version": 1, **change})
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    assert {k: response.json()[k] for k in change} == change
    record.refresh_from_db()
    assert record.version == 2
    assert {k: getattr(record, k) for k in change} == change
    assert record.history.count() == 2

    response = editor.delete(f"{detail}?version=2")
    assert response.status_code == 204
    assert not type(record).objects.filter(pk=record.pk).exists()
    assert editor.get(detail).status_code == 404


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_viewer_may_not_create_update_or_delete(world, viewer, collection):
    url, body, key, change, fetch = entity_cases(world)[collection]
    response = post(viewer, url, body)
    assert response.status_code == 403
    with pytest.raises(ObjectDoesNotExist):
        fetch()
    existing = {
        "organizations": world.un.acronym,
        "memberships": Membership.objects.filter(organization=world.un).first().pk,
        "partnerships": world.p_un.pk,
        "persons": world.shared_person.pk,
        "documents": world.doc.pk,
    }[collection]
    detail = f"{url}/{existing}"
    before = viewer.get(detail).json()
    assert patch(viewer, detail, {"version": before["version"], **change}).status_code == 403
    assert viewer.delete(f"{detail}?version={before['version']}").status_code == 403
    assert viewer.get(detail).json() == before


def test_patch_with_a_stale_version_is_409_and_changes_nothing(world, editor):
    first = patch(editor, "/api/v1/organizations/UN", {"version": 1, "headquarters": "Geneva"})
    assert first.status_code == 200
    assert first.json()["version"] == 2
    stale = patch(editor, "/api/v1/organizations/UN", {"version": 1, "headquarters": "Nairobi"})
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    world.un.refresh_from_db()
    assert (world.un.headquarters, world.un.version) == ("Geneva", 2)
    assert world.un.history.count() == 2


@pytest.mark.parametrize("collection", ["memberships", "partnerships", "persons", "documents"])
def test_stale_versions_are_refused_for_every_collection(world, editor, collection):
    url, _body, _key, change, _fetch = entity_cases(world)[collection]
    record = {
        "memberships": Membership.objects.filter(organization=world.un).first(),
        "partnerships": world.p_un,
        "persons": world.shared_person,
        "documents": world.doc,
    }[collection]
    detail = f"{url}/{record.pk}"
    assert patch(editor, detail, {"version": 1, **change}).status_code == 200
    response = patch(editor, detail, {"version": 1, **change})
    assert response.status_code == 409
    assert editor.delete(f"{detail}?version=1").status_code == 409
    record.refresh_from_db()
    assert record.version == 2


def test_delete_with_a_stale_version_is_409_and_keeps_the_record(world, editor):
    assert (
        patch(editor, "/api/v1/organizations/SCO", {"version": 1, "founded": 2000}).status_code
        == 200
    )
    response = editor.delete("/api/v1/organizations/SCO?version=1")
    assert response.status_code == 409
    assert Organization.objects.filter(acronym="SCO").exists()


def test_the_home_organization_cannot_be_deleted(editor):
    response = editor.delete("/api/v1/organizations/OSCE")
    assert response.status_code == 422
    assert Organization.objects.filter(acronym="OSCE").exists()


def test_a_referenced_organization_cannot_be_deleted(editor):
    response = editor.delete("/api/v1/organizations/UN")  # Una Shared works there
    assert response.status_code == 422
    assert "1 person (Una Shared)" in error_text(response)
    assert Organization.objects.filter(acronym="UN").exists()


def test_an_unknown_classification_is_422(world, editor):
    body = {"key": "x-1", "title": "X", "year": 2000, "kind": "other", "classification": "top"}
    response = post(editor, "/api/v1/documents", body)
    assert response.status_code == 422
    assert error_fields(response) == ["classification"]


# ---------------------------------------------------------------- nothing returns 500


JUNK_VALUES = [
    None,
    0,
    -1,
    1.5,
    10**30,
    -(10**30),
    "",
    " ",
    "x" * 5000,
    "\x00",
    "nul\x00in the middle",
    "2020-13-45",
    "UN",
    "FRA",
    "²",
    "9" * 40,
    "<script>alert(1)</script>",
    "'; DROP TABLE registry_organization; --",
    [],
    [None],
    ["\x00"],
    ["UN", "UN"],
    {},
    {"version": 1},
    True,
]
JUNK_BODIES = [
    b"",
    b"{",
    b"null",
    b"[]",
    b"123",
    b'"a string"',
    b"\xff\xfe\x00",
    b'{"version": }',
    b'{"a": "\\ud800"}',
    b"[" * 2000 + b"]" * 2000,
    json.dumps({"\x00": 1}).encode(),
]


def write_operations():
    for path, operations in api.get_openapi_schema()["paths"].items():
        for method, operation in operations.items():
            if method in ("post", "put", "patch", "delete"):
                yield method, path, operation


def request_properties(operation) -> list[str]:
    content = operation.get("requestBody", {}).get("content", {})
    ref = content.get("application/json", {}).get("schema", {}).get("$ref")
    if not ref:
        return []
    schema = api.get_openapi_schema()["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    return list(schema.get("properties", {}))


def junk_bodies(rng, properties):
    yield from JUNK_BODIES
    for name in properties:
        for value in rng.sample(JUNK_VALUES, 6):
            yield json.dumps({"version": 1, name: value}).encode()
    for _ in range(15):
        body = {name: rng.choice(JUNK_VALUES) for name in properties if rng.random() < 0.7}
        yield json.dumps(body).encode()


def test_junk_bodies_never_get_a_500(world, editor):
    rng = random.Random(20240601)
    targets = {
        "organizations": "SCO",
        "memberships": Membership.objects.filter(organization=world.sco).first().pk,
        "partnerships": world.p_sco.pk,
        "persons": world.internal_person.pk,
        "documents": world.secret_doc.pk,
        "deleted": world.deletion.pk,
    }
    sent = 0
    for method, path, operation in write_operations():
        segment = path.split("/")[3]
        url = path.replace("{key}", str(targets.get(segment))).replace(
            "{pk}", str(targets.get(segment))
        )
        for body in junk_bodies(rng, request_properties(operation)):
            response = getattr(editor, method)(url, data=body, content_type="application/json")
            # The test client raises on a server error; the status says the rest.
            assert response.status_code < 500, (method, url, body[:200])
            assert response["Content-Type"].startswith("application/json"), (method, url)
            sent += 1
    assert sent > 300


def as_query(value):
    if value is None:
        return ""
    if isinstance(value, list):
        return [as_query(v) for v in value]
    if isinstance(value, dict | bool):
        return json.dumps(value)
    return value


def test_junk_query_parameters_never_get_a_500(world, viewer):
    rng = random.Random(7)
    sent = 0
    for path, operations in api.get_openapi_schema()["paths"].items():
        operation = operations.get("get")
        if operation is None:
            continue
        url = path.replace("{key}", "OSCE").replace("{pk}", "1")
        names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
        for name in names:
            for value in [*rng.sample(JUNK_VALUES, 8), "\x00", 10**30, "9" * 40]:
                query = {"a": "OSCE", "b": "SCO", name: as_query(value)}
                response = viewer.get(url, query)
                assert response.status_code < 500, (url, name, value)
                sent += 1
    assert sent > 100


def test_junk_keys_in_the_path_are_404(viewer):
    for key in ["%00", "²", "9" * 40, "-1", "x" * 500]:
        for url in (
            f"/api/v1/organizations/{key}",
            f"/api/v1/organizations/{key}/members",
            f"/api/v1/countries/{key}",
            f"/api/v1/countries/{key}/memberships",
            f"/organizations/{key}/",
            f"/countries/{key}/",
        ):
            response = viewer.get(url)
            assert response.status_code == 404, url


def test_password_guessing_is_slowed_down(db, client):
    from django.core.cache import cache

    cache.clear()
    try:
        codes = [
            client.post(
                "/api/v1/auth/token",
                # One guess per username: the throttle counts an address across all of them
                # (five wrong passwords for one username lock it out sooner).
                {"username": f"user-{n}", "password": f"guess-{n}"},
                content_type="application/json",
            ).status_code
            for n in range(21)
        ]
    finally:
        cache.clear()
    assert codes[:20] == [401] * 20
    assert codes[20] == 429


# ---------------------------------------------------------------- countries


def test_editor_adds_changes_and_deletes_a_country(editor):
    body = {
        "iso3": "XKX",
        "iso2": "XK",
        "numeric": "983",
        "name": "Kosovo",
        "region": "Europe",
        "borders": ["SRB", "ALB"],
    }
    response = post(editor, "/api/v1/countries", body)
    assert response.status_code == 201, response.content
    assert sorted(response.json()["borders"]) == ["ALB", "SRB"]
    version = response.json()["version"]
    response = patch(editor, "/api/v1/countries/XKX", {"version": version, "capital": "Pristina"})
    assert response.status_code == 200
    assert response.json()["capital"] == "Pristina"
    stale = patch(editor, "/api/v1/countries/XKX", {"version": version, "capital": "X"})
    assert stale.status_code == 409
    assert editor.get("/api/v1/countries/XKX").json()["capital"] == "Pristina"
    assert editor.delete("/api/v1/countries/XKX").status_code == 204
    assert editor.get("/api/v1/countries/XKX").status_code == 404


def test_a_country_with_memberships_is_not_deleted(editor):
    response = editor.delete("/api/v1/countries/FRA")
    assert response.status_code == 422
    assert "memberships" in error_text(response)
    assert editor.get("/api/v1/countries/FRA").status_code == 200


def test_country_input_errors_name_the_field(world, editor):
    response = post(
        editor, "/api/v1/countries", {"iso3": "fr", "iso2": "F", "numeric": "x", "name": ""}
    )
    assert response.status_code == 422
    assert {"iso3", "iso2", "numeric", "name"} <= set(error_fields(response))
    duplicate = {"iso3": "FRA", "iso2": "FX", "numeric": "999", "name": "France again"}
    response = post(editor, "/api/v1/countries", duplicate)
    assert response.status_code == 422
    assert "iso3" in error_fields(response)
    unknown = {"iso3": "XXA", "iso2": "XA", "numeric": "998", "name": "A", "borders": ["NOPE"]}
    response = post(editor, "/api/v1/countries", unknown)
    assert response.status_code == 422
    assert error_fields(response) == ["borders"]
    body = {"iso3": "XXB", "iso2": "XB", "numeric": "997", "name": "B"}
    viewer = Client()
    viewer.force_login(world.users.viewer)
    assert post(viewer, "/api/v1/countries", body).status_code == 403
