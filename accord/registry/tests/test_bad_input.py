"""Bad input gets a clear 4xx naming the field, never a 500: each case an outside tester found."""

import json

import pytest

from accord.registry import services
from accord.registry.models import Organization, Partnership, Person


def patch(client, url, body):
    return client.patch(url, data=json.dumps(body), content_type="application/json")


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


# ---------------------------------------------------------------- B1: null in a PATCH

NULLABLE_TEXT = {
    "organizations/UN": ["headquarters", "website", "description", "source", "cow_ioname"],
    "persons/{person}": ["title", "email", "phone", "role", "description"],
    "documents/{doc}": ["place", "description", "source"],
    "countries/FRA": ["official_name", "region", "subregion", "capital"],
    "partnerships/{partnership}": ["notes"],
    "memberships/{membership}": ["source", "note"],
}


def url_of(world, template):
    membership = world.osce.memberships.first()
    return "/api/v1/" + template.format(
        person=world.shared_person.pk,
        doc=world.doc.pk,
        partnership=world.p_un.pk,
        membership=membership.pk,
    )


@pytest.mark.parametrize(("template", "names"), list(NULLABLE_TEXT.items()))
def test_b1_null_empties_a_text_field(world, client_for, template, names):
    client = client_for(world.users.editor)
    url = url_of(world, template)
    for name in names:
        version = client.get(url).json()["version"]
        response = patch(client, url, {"version": version, name: None})
        assert response.status_code == 200, (name, response.content)
        assert response.json().get(name, "") == ""


@pytest.mark.parametrize(
    ("template", "name"),
    [
        ("organizations/UN", "name"),
        ("organizations/UN", "kind"),
        ("organizations/UN", "acronym"),
        ("persons/{person}", "name"),
        ("persons/{person}", "organization"),
        ("persons/{person}", "classification"),
        ("partnerships/{partnership}", "type"),
        ("memberships/{membership}", "status"),
        ("documents/{doc}", "title"),
        ("documents/{doc}", "year"),
        ("countries/FRA", "name"),
    ],
)
def test_b1_null_for_a_field_that_cannot_be_empty_is_a_422(world, client_for, template, name):
    client = client_for(world.users.editor)
    url = url_of(world, template)
    version = client.get(url).json()["version"]
    response = patch(client, url, {"version": version, name: None})
    assert response.status_code == 422, response.content
    assert response.json()["detail"][0]["loc"][-1] == name
    assert client.get(url).json()["version"] == version


def test_b1_null_empties_lists_and_clears_optional_links(world, client_for):
    client = client_for(world.users.editor)
    url = f"/api/v1/partnerships/{world.p_un.pk}"
    body = {"version": world.p_un.version, "basis": None, "shared_with": None, "since": None}
    response = patch(client, url, body)
    assert response.status_code == 200, response.content
    assert response.json()["basis"] == []
    person = f"/api/v1/persons/{world.shared_person.pk}"
    version = client.get(person).json()["version"]
    response = patch(client, person, {"version": version, "partnership": None})
    assert response.status_code == 200
    assert response.json()["partnership"] is None
    org = client.get("/api/v1/organizations/UN").json()
    response = patch(
        client, "/api/v1/organizations/UN", {"version": org["version"], "former_names": None}
    )
    assert response.status_code == 200
    assert response.json()["former_names"] == []


# ---------------------------------------------------------------- B2: empty reference


def test_b2_an_empty_headquarters_country_means_none(world, client_for):
    client = client_for(world.users.editor)
    org = client.get("/api/v1/organizations/UN").json()
    response = patch(
        client, "/api/v1/organizations/UN", {"version": org["version"], "headquarters_country": ""}
    )
    assert response.status_code == 200, response.content
    assert response.json()["headquarters_country"] is None
    created = post(
        client,
        "/api/v1/organizations",
        {"acronym": "NEWO", "name": "New", "kind": "global", "headquarters_country": ""},
    )
    assert created.status_code == 201, created.content
    assert created.json()["headquarters_country"] is None


# ---------------------------------------------------------------- B3: huge strings


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("post", "/api/v1/memberships", {"organization": "a" * 1_000_000, "country": "FRA"}),
        ("post", "/api/v1/memberships", {"organization": "UN", "country": "F" * 1_000_000}),
        ("post", "/api/v1/persons", {"name": "X", "organization": "a" * 1_000_000}),
        (
            "post",
            "/api/v1/organizations",
            {"acronym": "BIG", "name": "B", "kind": "global", "description": "d" * 1_000_000},
        ),
        (
            "post",
            "/api/v1/partnerships",
            {"organization": "UN", "partner": "SCO", "type": "thematic", "basis": ["k" * 100_000]},
        ),
    ],
)
def test_b3_a_huge_string_is_a_422_naming_the_field(world, client_for, method, url, body):
    body.setdefault("status", "full")
    response = getattr(client_for(world.users.editor), method)(
        url, data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 422, response.content[:300]
    assert response.json()["detail"][0]["loc"][0] == "body"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/memberships?organization=" + "a" * 100_000,
        "/api/v1/organizations?search=" + "a" * 100_000,
        "/api/v1/persons?search=" + "%25_" * 10_000,
        "/api/v1/overlap?a=OSCE&b=" + "b" * 100_000,
    ],
)
def test_b3_a_huge_query_parameter_is_a_422(world, client_for, url):
    response = client_for(world.users.viewer).get(url)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][0] == "query"


# ---------------------------------------------------------------- B4: ids beyond bigint


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/partnerships/{pk}/edit/", "basis"),
        ("/partnerships/{pk}/edit/", "shared_with"),
        ("/countries/FRA/edit/", "borders"),
        ("/people/add/", "organization"),
        ("/people/add/", "partnership"),
    ],
)
def test_b4_a_20_digit_id_in_a_form_is_a_form_error(world, client_for, url, field):
    from accord.registry.tests.test_conflict import open_form

    client = client_for(world.users.editor)
    url = url.format(pk=world.p_un.pk)
    data = (
        open_form(client, url) if "/add/" not in url else {"name": "N", "classification": "public"}
    )
    data[field] = ["99999999999999999999"]
    response = client.post(url, data)
    assert response.status_code == 400
    assert "99999999999999999999" in response.context["form"].errors[field][0] or (
        "valid choice" in response.context["form"].errors[field][0]
    )


# ---------------------------------------------------------------- B5: acronyms


@pytest.mark.parametrize(
    "acronym",
    [
        "A/B",
        "5",
        "12",
        "..",
        "A..B",
        ".A",
        "A.",
        "A\x01B",
        "A B",
        "A\nB",
        "-A",
        "A?",
        "add",
        "export",
    ],
)
def test_b5_an_acronym_that_would_break_addresses_is_refused(world, client_for, acronym):
    client = client_for(world.users.editor)
    response = post(
        client, "/api/v1/organizations", {"acronym": acronym, "name": "Bad", "kind": "global"}
    )
    assert response.status_code == 422, (acronym, response.content)
    assert response.json()["detail"][0]["loc"] == ["body", "acronym"]
    form = client.post("/organizations/add/", {"acronym": acronym, "name": "Bad", "kind": "global"})
    assert form.status_code == 400
    assert "acronym" in form.context["form"].errors
    assert not Organization.objects.filter(name="Bad").exists()
    assert client.get("/").status_code == 200
    assert client.get("/organizations/").status_code == 200


@pytest.mark.parametrize("acronym", ["G-20", "OSCE-ODIHR", "A&B", "ОДКБ", "CoE", "G5.Sahel"])
def test_b5_real_acronyms_are_accepted_and_reachable(world, client_for, acronym):
    client = client_for(world.users.editor)
    response = post(
        client, "/api/v1/organizations", {"acronym": acronym, "name": "Good", "kind": "global"}
    )
    assert response.status_code == 201, response.content
    org = Organization.objects.get(acronym=acronym)
    assert client.get(org.get_absolute_url()).status_code == 200
    assert client.get("/organizations/").status_code == 200


def test_b5_an_id_and_an_acronym_never_meet(world, client_for):
    """A numeric key is always an id: no acronym can be all digits."""
    client = client_for(world.users.viewer)
    un = client.get(f"/api/v1/organizations/{world.un.pk}").json()
    assert un["acronym"] == "UN"


def test_b5_control_characters_are_refused_in_any_text(world, client_for):
    client = client_for(world.users.editor)
    org = client.get("/api/v1/organizations/UN").json()
    response = patch(
        client, "/api/v1/organizations/UN", {"version": org["version"], "name": "United\x07"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "name"]
    # Line breaks stay allowed in a longer text.
    response = patch(
        client,
        "/api/v1/organizations/UN",
        {"version": org["version"], "description": "One\nTwo\tthree"},
    )
    assert response.status_code == 200


# ---------------------------------------------------------------- X1: ?next=


@pytest.mark.parametrize(
    "target",
    ["javascript:alert(document.cookie)", "https://elsewhere.example/", "//elsewhere.example/"],
)
def test_x1_next_never_leaves_the_site(world, client_for, target):
    client = client_for(world.users.editor)
    for url in ("/organizations/add/", "/people/add/", "/memberships/add/", "/documents/add/"):
        response = client.get(url, {"next": target})
        assert response.status_code == 200
        assert response.context["cancel_url"] == "/"
        assert target not in response.content.decode()


def test_x1_next_on_this_site_is_kept(world, client_for):
    response = client_for(world.users.editor).get("/people/add/", {"next": "/people/?q=x"})
    assert response.context["cancel_url"] == "/people/?q=x"


# ---------------------------------------------------------------- B6 and R1: restore


def test_b6_restoring_a_basis_with_a_deleted_document_says_what_it_leaves_out(world, client_for):
    doomed = services.document_create(
        actor=None, key="doomed", title="Doomed Doc", year=2000, kind="other"
    )
    p = services.partnership_update(
        actor=None, partnership=world.p_un, expected_version=world.p_un.version, basis=[doomed]
    )
    with_doomed = p.history.order_by("-history_id").first().history_id
    p = services.partnership_update(
        actor=None, partnership=p, expected_version=p.version, basis=[world.doc]
    )
    services.document_delete(actor=None, document=doomed)
    client = client_for(world.users.editor)
    response = client.post(
        f"/partnerships/{p.pk}/history/",
        {"history_id": with_doomed, "version": p.version},
        follow=True,
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Restored the earlier version." in text
    assert "could not be brought back in: basis" in text
    p = Partnership.objects.get(pk=p.pk)
    assert list(p.basis.all()) == []
    assert p.version == 4


def test_b6_a_required_relation_gone_refuses_the_restore(world, client_for):
    person = services.person_create(actor=None, name="Mover", organization=world.sco)
    first = person.history.get().history_id
    temp = services.organization_create(actor=None, acronym="TMP", name="Temp", kind="other")
    person = services.person_update(
        actor=None, person=person, expected_version=person.version, organization=temp
    )
    person = services.person_update(
        actor=None, person=person, expected_version=person.version, organization=world.un
    )
    # The middle version names TMP; delete TMP and try to restore that version.
    middle = person.history.order_by("-history_id")[1].history_id
    services.organization_delete(actor=None, organization=temp)
    client = client_for(world.users.editor)
    response = client.post(
        f"/people/{person.pk}/history/",
        {"history_id": middle, "version": person.version},
        follow=True,
    )
    assert "no longer exists" in response.content.decode()
    assert Person.objects.get(pk=person.pk).organization == world.un
    # The first version is still restorable.
    response = client.post(
        f"/people/{person.pk}/history/", {"history_id": first, "version": person.version}
    )
    assert Person.objects.get(pk=person.pk).organization == world.sco


def test_r1_restore_keeps_the_no_overlap_rule(world, client_for):
    import datetime

    day = datetime.date
    fra = world.countries["FRA"]
    spell = services.membership_create(
        actor=None,
        organization=world.sco,
        country=fra,
        status="observer",
        valid_from=day(2000, 1, 1),
        valid_to=day(2005, 12, 31),
        confirm_before_founding=True,  # before SCO's founding (2001) on purpose
    )
    old = spell.history.get().history_id
    spell = services.membership_update(
        actor=None, membership=spell, expected_version=spell.version, valid_to=day(2001, 12, 31)
    )
    services.membership_create(
        actor=None, organization=world.sco, country=fra, status="full", valid_from=day(2003, 1, 1)
    )
    client = client_for(world.users.editor)
    response = client.post(
        f"/memberships/{spell.pk}/history/",
        {"history_id": old, "version": spell.version},
        follow=True,
    )
    assert "overlaps" in response.content.decode()
    spell.refresh_from_db()
    assert spell.valid_to == day(2001, 12, 31)
    # Every later edit still works.
    response = patch(
        client,
        f"/api/v1/memberships/{spell.pk}",
        {"version": spell.version, "note": "still editable"},
    )
    assert response.status_code == 200


def test_b3_a_huge_text_in_a_web_form_is_a_form_error(world, client_for):
    from accord.registry.tests.test_conflict import open_form

    client = client_for(world.users.editor)
    data = open_form(client, "/organizations/UN/edit/")
    response = client.post("/organizations/UN/edit/", {**data, "description": "d" * 1_000_000})
    assert response.status_code == 400
    assert "description" in response.context["form"].errors
    assert Organization.objects.get(acronym="UN").version == 1


@pytest.mark.parametrize("page", ["/organizations/", "/people/", "/partnerships/", "/countries/"])
def test_b3_a_huge_search_on_a_list_page_finds_nothing_without_breaking(world, client_for, page):
    response = client_for(world.users.viewer).get(page, {"q": "%_" * 50_000})
    assert response.status_code == 200
