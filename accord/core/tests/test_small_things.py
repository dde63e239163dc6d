"""What a new user stumbled on: no favicon, HTML 404s from the API, "you may see" to editors."""

import pytest


def test_every_page_names_a_favicon_that_is_served(world, client_for):
    client = client_for(world.users.viewer)
    page = client.get("/").content.decode()
    assert 'rel="icon" href="/static/accord/favicon.svg"' in page
    assert client.get("/static/accord/favicon.svg").status_code == 200


def test_favicon_ico_is_served_without_a_login(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content
    assert client.post("/favicon.ico").status_code == 405


@pytest.mark.parametrize("url", ["/api/v1/nothing-here", "/api/v1/organizations/UN/nope", "/api/"])
def test_an_unknown_api_address_is_a_json_404(world, client_for, url):
    response = client_for(world.users.viewer).get(url)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Not found."}


def test_an_unknown_page_is_still_the_404_page(world, client_for):
    response = client_for(world.users.viewer).get("/nothing-here/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_editors_are_not_told_of_records_they_may_not_see(world, client_for):
    """Nothing is hidden from an editor: an empty list just says there is none."""
    doc = world.secret_doc  # no partnership has it as a basis
    editor = client_for(world.users.editor).get(f"/documents/{doc.pk}/").content.decode()
    assert "None you may see" not in editor
    assert "None." in editor
    viewer = client_for(world.users.viewer).get(f"/documents/{world.doc.pk}/history/")
    assert viewer.status_code == 200
    sco = client_for(world.users.viewer).get("/organizations/SCO/").content.decode()
    assert "No contact you may see." in sco
    sco_editor = client_for(world.users.editor).get("/organizations/SCO/").content.decode()
    assert "No contact." in sco_editor and "you may see" not in sco_editor


def test_field_errors_name_the_field_in_one_shape(world, client_for):
    import json

    client = client_for(world.users.editor)
    missing = client.post(
        "/api/v1/organizations", data=json.dumps({"acronym": "X"}), content_type="application/json"
    ).json()["detail"]
    assert {tuple(e["loc"]) for e in missing} == {("body", "name"), ("body", "kind")}
    short = client.patch(
        "/api/v1/organizations/UN",
        data=json.dumps({"version": 1, "name": ""}),
        content_type="application/json",
    ).json()["detail"]
    assert short[0]["loc"] == ["body", "name"]
    # The services' own refusals have the same shape.
    bad = client.post(
        "/api/v1/organizations",
        data=json.dumps({"acronym": "5", "name": "N", "kind": "global"}),
        content_type="application/json",
    ).json()["detail"]
    assert bad[0]["loc"] == ["body", "acronym"]


def test_the_api_docs_page_leads_back_to_the_application(world, client_for):
    page = client_for(world.users.viewer).get("/api/v1/docs").content.decode()
    assert 'href="/"' in page and "Back to Accord" in page
    assert "swagger-ui-bundle.js" in page


def test_a_record_page_does_not_end_with_its_creation_values(world, client_for):
    client = client_for(world.users.editor)
    page = client.get(f"/documents/{world.doc.pk}/").content.decode()
    assert "Created" in page  # the entry is listed ...
    assert '<td class="diff-new">Helsinki</td>' not in page  # ... without its field values
    history = client.get(f"/documents/{world.doc.pk}/history/").content.decode()
    assert '<td class="diff-new">Helsinki</td>' in history  # the history page keeps them
