"""The knowledge API as clients use it: round trips, versions, filters, partners, bad input."""

import pytest
from django.core import mail

from accord.knowledge.models import Commitment, Practice, PracticeShare, Request
from accord.meetings.tests.conftest import error_fields, patch, post


@pytest.fixture
def editor(world, client_for):
    return client_for(world.users.editor)


def test_a_practice_round_trip(world, kw, editor):
    body = {
        "kind": "lesson_learned",
        "title": "Mediation support in a ceasefire",
        "summary": "What worked.",
        "body": "# Lessons\n\n[link](javascript:alert(1))",
        "themes": ["human-rights"],
        "phases": ["crisis_management", "post_conflict_rehabilitation"],
        "source_organization": "OSCE",
        "recipient_organizations": ["UN", "SCO"],
        "region": "South Caucasus",
        "date": "2024-04-01",
        "classification": "public",
    }
    response = post(editor, "/api/v1/practices", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["source_organization"]["acronym"] == "OSCE"
    assert [o["acronym"] for o in created["recipient_organizations"]] == ["SCO", "UN"]
    assert 'href="javascript' not in created["body_html"] and "<h1>" in created["body_html"]
    url = f"/api/v1/practices/{created['id']}"
    response = patch(editor, url, {"version": 1, "region": None, "themes": None})
    assert response.status_code == 200, response.content
    assert response.json()["region"] == "" and response.json()["themes"] == []
    # A stale version is a 409 naming what changed.
    response = patch(editor, url, {"version": 1, "title": "Stale"})
    assert response.status_code == 409
    assert set(response.json()["changed_fields"]) >= {"region"}
    assert editor.delete(f"{url}?version=1").status_code == 409
    assert editor.delete(f"{url}?version=2").status_code == 204
    assert not Practice.objects.filter(pk=created["id"]).exists()


def test_sharing_through_the_api(world, kw, editor, client_for):
    url = f"/api/v1/practices/{kw.shared.pk}/shares"
    response = post(editor, url, {"organization": "SCO", "shared_on": "2024-05-02", "note": "Hi"})
    assert response.status_code == 201, response.content
    assert response.json()["shared_by"] == "editor"
    assert editor.get(url).json()["count"] == 1
    # The UN's focal point sees the practice but not that it went to the SCO.
    partner = client_for(world.users.partner)
    assert partner.get(url).json() == {"count": 0, "items": []}
    response = post(partner, url, {"organization": "UN"})
    assert response.status_code == 403
    response = post(client_for(world.users.editor), url, {"organization": "NOPE"})
    assert response.status_code == 422 and error_fields(response) == ["organization"]


def test_lists_filter(world, kw, editor):
    def count(url):
        response = editor.get(url)
        assert response.status_code == 200, (url, response.content)
        assert set(response.json()) == {"count", "items"}
        return response.json()["count"]

    assert count("/api/v1/practices") == 4
    assert count("/api/v1/practices?theme=human-rights") == 1
    assert count("/api/v1/practices?phase=conflict_prevention") == 1
    assert count("/api/v1/practices?organization=SCO") == 1
    assert count("/api/v1/practices?kind=lesson_learned") == 2
    assert count("/api/v1/practices?sample=true") == 0
    assert count("/api/v1/requests?status=received") == 3
    assert count("/api/v1/requests?organization=SCO") == 1
    assert count("/api/v1/requests?kind=training") == 1
    assert count("/api/v1/requests?theme=human-rights&phase=early_warning") == 1
    assert count(f"/api/v1/commitments?document={world.doc.pk}") == 1
    assert count("/api/v1/commitments?organization=UN") == 1
    assert count("/api/v1/commitments?theme=human-rights") == 1
    assert count("/api/v1/commitments?stale_on=2025-07-01") == 2
    assert count("/api/v1/commitments?stale_on=2024-07-01") == 1


def test_a_commitment_shows_its_activities_and_engagements(world, kw, client_for):
    partner = client_for(world.users.partner)
    response = partner.get(f"/api/v1/commitments/{kw.commitment.pk}")
    assert response.status_code == 200
    data = response.json()
    assert [a["title"] for a in data["activities"]] == [
        "Send the contact list",
        "Staff talks 2024",
        "Briefing on early warning",
        "Election observation handbook",
    ]
    assert data["last_activity"] == "2024-03-01" and data["stale"] is True
    assert {e["organization"]["acronym"]: e["requests"] for e in data["engagements"]} == {
        "SCO": 0,
        "UN": 1,
    }
    assert b"RESTRICTED" not in response.content and b"SCO-PUBLIC" not in response.content
    hidden = partner.get(f"/api/v1/commitments/{kw.secret_commitment.pk}")
    assert hidden.status_code == 404


def test_a_commitment_round_trip(world, kw, mw, editor):
    body = {
        "document": world.doc.pk,
        "reference": "Chapter IV, para 1",
        "text": "Broaden dialogue with the SCO.",
        "source": "https://www.osce.org/mc/39530",
        "organizations": ["SCO"],
        "meetings": [mw.public.pk],
        "practices": [kw.public.pk],
    }
    response = post(editor, "/api/v1/commitments", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["order"] == 2 and [a["kind"] for a in created["activities"]] == [
        "meeting",
        "practice",
    ]
    url = f"/api/v1/commitments/{created['id']}"
    response = patch(editor, url, {"version": 1, "meetings": None, "requests": [kw.un_request.pk]})
    assert response.status_code == 200, response.content
    assert [a["kind"] for a in response.json()["activities"]] == ["request", "practice"]
    response = post(editor, "/api/v1/commitments", {**body, "document": 987654})
    assert response.status_code == 422 and error_fields(response) == ["document"]
    bad = {**body, "reference": "Other", "source": "javascript:alert(1)"}
    response = post(editor, "/api/v1/commitments", bad)
    assert response.status_code == 422 and error_fields(response) == ["source"]
    # The same place in the same document twice is refused, naming the reference.
    response = post(editor, "/api/v1/commitments", body)
    assert response.status_code == 422 and error_fields(response) == ["reference"]
    assert editor.delete(f"{url}?version=2").status_code == 204
    assert not Commitment.objects.filter(pk=created["id"]).exists()


def test_a_partner_submits_and_follows_a_request(
    world, kw, client_for, django_capture_on_commit_callbacks, settings
):
    settings.ACCORD_REQUEST_NOTIFY = ["office@example.org"]
    partner = client_for(world.users.partner)
    body = {
        "kind": "expert_exchange",
        "subject": "Expert exchange on elections",
        "description": "Two experts, one week.",
        "themes": ["human-rights"],
        "person": world.shared_person.pk,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = post(partner, "/api/v1/requests", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["organization"]["acronym"] == "UN" and created["status"] == "received"
    assert created["classification"] == "internal"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["office@example.org"]
    listing = partner.get("/api/v1/requests").json()
    assert {r["subject"] for r in listing["items"]} == {
        "Briefing on early warning",
        "Expert exchange on elections",
    }
    assert partner.get(f"/api/v1/requests/{kw.sco_request.pk}").status_code == 404
    assert partner.get("/api/v1/requests?organization=SCO").json()["count"] == 0
    # What the office sets, and another organization, are refused naming the field.
    for extra, field in (
        ({"status": "answered"}, "status"),
        ({"classification": "public"}, "classification"),
        ({"organization": "SCO"}, "organization"),
        ({"shared_with": ["SCO"]}, "shared_with"),
    ):
        response = post(partner, "/api/v1/requests", {**body, **extra})
        assert response.status_code == 422, (extra, response.content)
        assert error_fields(response) == [field]
    # The partner does not change or answer it.
    url = f"/api/v1/requests/{created['id']}"
    assert patch(partner, url, {"version": 1, "subject": "x"}).status_code == 403
    assert post(partner, url + "/answer", {"version": 1, "answer": "x"}).status_code == 403
    assert Request.objects.filter(organization=world.un).count() == 3


def test_the_office_answers(world, kw, editor, client_for):
    url = f"/api/v1/requests/{kw.un_request.pk}/answer"
    body = {"version": 1, "answer": "Attached.", "shared_practices": [kw.shared.pk]}
    response = post(editor, url, body)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "answered"
    assert PracticeShare.objects.filter(practice=kw.shared, organization=world.un).exists()
    assert post(editor, url, body).status_code == 409
    response = post(editor, url, {**body, "version": 2, "answer": ""})
    assert response.status_code == 422 and error_fields(response) == ["answer"]
    partner = client_for(world.users.partner)
    seen = partner.get(f"/api/v1/requests/{kw.un_request.pk}").json()
    assert seen["answer"] == "Attached."


def test_an_editor_records_a_request(world, kw, editor):
    body = {"kind": "information", "subject": "By letter", "organization": "SCO"}
    response = post(editor, "/api/v1/requests", {**body, "received": "2024-05-01"})
    assert response.status_code == 201, response.content
    assert response.json()["received"] == "2024-05-01"
    response = post(editor, "/api/v1/requests", {"kind": "information", "subject": "x"})
    assert response.status_code == 422 and error_fields(response) == ["organization"]
    response = post(
        editor, "/api/v1/requests", {**body, "status": "answered", "answered_on": "1999-01-01"}
    )
    assert response.status_code == 422


HUGE = "x" * 200_000
ODD = "\u202e\U0001f600'\"<>;--%00"


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/api/v1/practices", {"kind": "experience", "title": None}),
        ("/api/v1/practices", {"kind": "experience", "title": ""}),
        ("/api/v1/practices", {"kind": "experience", "title": HUGE}),
        ("/api/v1/practices", {"kind": "experience", "title": "a\x01b"}),
        ("/api/v1/practices", {"kind": "nope", "title": "x"}),
        ("/api/v1/practices", {"kind": "experience", "title": "x", "date": "0"}),
        ("/api/v1/practices", {"kind": "experience", "title": "x", "phases": ["x"]}),
        ("/api/v1/practices", {"kind": "experience", "title": "x", "themes": [ODD]}),
        ("/api/v1/practices", {"kind": "experience", "title": "x", "source_organization": ODD}),
        ("/api/v1/practices", {"kind": "experience", "title": "x", "themes": ["a"] * 1000}),
        ("/api/v1/requests", {"kind": "information", "subject": "x", "organization": None}),
        (
            "/api/v1/requests",
            {"kind": "information", "subject": "x", "organization": "UN", "meetings": [2**70]},
        ),
        (
            "/api/v1/requests",
            {"kind": "information", "subject": "x", "organization": "UN", "person": 987654},
        ),
        (
            "/api/v1/requests",
            {"kind": "information", "subject": "x", "organization": "UN", "received": "2024-02-30"},
        ),
        ("/api/v1/commitments", {"document": None, "text": "x"}),
        ("/api/v1/commitments", {"document": 1, "text": ""}),
        ("/api/v1/commitments", {"document": "abc", "text": "x"}),
        ("/api/v1/commitments", {"document": 1, "text": "x", "order": -1}),
    ],
)
def test_bad_input_is_a_422_naming_the_field(world, kw, editor, url, body):
    response = post(editor, url, body)
    assert response.status_code == 422, response.content
    assert error_fields(response)


@pytest.mark.parametrize(
    "query",
    [
        "theme=" + "x" * 500,
        "theme=%00",
        f"theme={ODD}",
        "phase=dusk",
        "kind=",
        "organization=NOPE",
        "limit=0",
        "limit=100000",
        "offset=-1",
        "status=maybe",
        "document=99999999999999999999999",
        "stale_on=2024-13-01",
        "sample=perhaps",
    ],
)
def test_junk_queries_never_break_a_list(world, kw, editor, query):
    for path in ("practices", "requests", "commitments"):
        response = editor.get(f"/api/v1/{path}?{query}")
        assert response.status_code in {200, 422}, (path, query, response.content)


def test_ids_out_of_range_are_404(world, kw, editor):
    for path in ("practices", "requests", "commitments"):
        for pk in (0, 2**63, 987654):
            assert editor.get(f"/api/v1/{path}/{pk}").status_code in {404, 422}


def test_patch_nulls(world, kw, editor):
    url = f"/api/v1/requests/{kw.un_request.pk}"
    for field in ("subject", "received", "kind", "status", "organization"):
        response = patch(editor, url, {"version": 1, field: None})
        assert response.status_code == 422, (field, response.content)
        assert error_fields(response) == [field]
    url = f"/api/v1/commitments/{kw.commitment.pk}"
    for field in ("text", "order"):
        response = patch(editor, url, {"version": 1, field: None})
        assert response.status_code == 422 and error_fields(response) == [field]
