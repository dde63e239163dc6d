"""The requests pages: the office's list, page, forms, answer, delete and history, and the
partner's own submission; what each reader sees, and a query budget that holds as data grows.

The world (conftest.py): `un_request` (the UN's, internal, shared with the UN, linked to a
public and a restricted practice, document, meeting and action), `sco_request` (the SCO's,
public) and `restricted_request` (the UN's, restricted). The partner is the UN's focal point.
"""

import csv
import datetime
import io
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import strip_tags

from accord.core.choices import Classification
from accord.core.models import Deletion
from accord.knowledge import services
from accord.knowledge.models import PracticeShare, Request
from accord.registry import services as registry

LIST = "/knowledge/requests/"


def detail(obj) -> str:
    return f"/knowledge/requests/{obj.pk}/"


def words(response) -> str:
    return " ".join(strip_tags(response.content.decode()).split())


def errors(response) -> str:
    return " ".join(re.findall(r'role="alert">([^<]+)<', response.content.decode()))


def csv_rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


# ---------------------------------------------------------------- the office's list


def test_the_office_lists_filters_counts_and_exports_requests(world, kw, client_for):
    client = client_for(world.users.editor)
    # The UN's request is open and its due date (2024) has passed: it is overdue.
    response = client.get(LIST)
    assert response.status_code == 200
    page = words(response)
    for subject in ("Briefing on early warning", "SCO-PUBLIC-REQUEST", "RESTRICTED-REQUEST"):
        assert subject in page
    counts = response.content.decode().split('id="request-counts"')[1].split("</ul>")[0]
    assert re.findall(r'badge[^"]*">(\d+)<', counts) == ["3", "1"]

    overdue = words(client.get(LIST + "?overdue=yes"))
    assert "Briefing on early warning" in overdue and "SCO-PUBLIC-REQUEST" not in overdue
    by_org = words(client.get(LIST + "?organization=SCO"))
    assert "SCO-PUBLIC-REQUEST" in by_org and "Briefing on early warning" not in by_org
    by_kind = words(client.get(LIST + "?kind=training"))
    assert "RESTRICTED-REQUEST" in by_kind and "SCO-PUBLIC-REQUEST" not in by_kind
    by_theme = words(client.get(LIST + "?theme=human-rights"))
    assert "Briefing on early warning" in by_theme and "RESTRICTED-REQUEST" not in by_theme
    services.request_answer(
        actor=world.users.editor,
        request=kw.sco_request,
        expected_version=kw.sco_request.version,
        answer="Welcome.",
    )
    answered = words(client.get(LIST + "?status=answered"))
    assert "SCO-PUBLIC-REQUEST" in answered and "Briefing on early warning" not in answered
    open_only = words(client.get(LIST + "?open=yes"))
    assert "SCO-PUBLIC-REQUEST" not in open_only and "RESTRICTED-REQUEST" in open_only
    # Sorted by a column, and a filter that makes no sense is a message, not a 500.
    assert client.get(LIST + "?sort=-due").status_code == 200
    assert "Select a valid choice" in client.get(LIST + "?status=nonsense").content.decode()
    # htmx gets the results only.
    partial = client.get(LIST + "?kind=training", HTTP_HX_REQUEST="true").content.decode()
    assert "RESTRICTED-REQUEST" in partial and "<form" not in partial.split('id="results"')[0]

    # The export holds what the list shows: every row, with the filters.
    rows = csv_rows(client.get(LIST + "export/?format=csv&organization=UN"))
    assert rows[0][:3] == ["Subject", "Kind", "Requesting organization"]
    assert {r[0] for r in rows[1:]} == {"Briefing on early warning", "RESTRICTED-REQUEST"}
    xlsx = client.get(LIST + "export/?format=xlsx")
    assert xlsx.status_code == 200
    assert "spreadsheetml" in xlsx["Content-Type"]


# ---------------------------------------------------------------- what a partner sees


def test_a_partner_sees_only_their_own_organizations_requests(world, kw, mw, client_for):
    client = client_for(world.users.partner)
    page = words(client.get(LIST))
    assert "Briefing on early warning" in page
    # The SCO's request is public, and still not the UN's to see; the restricted one neither.
    assert "SCO-PUBLIC-REQUEST" not in page and "RESTRICTED-REQUEST" not in page
    assert "Submit a request" in page
    rows = csv_rows(client.get(LIST + "export/?format=csv"))
    assert [r[0] for r in rows[1:]] == ["Briefing on early warning"]
    # Filtering by the other organization finds nothing either.
    assert "SCO-PUBLIC-REQUEST" not in words(client.get(LIST + "?organization=SCO"))
    for hidden in (kw.sco_request, kw.restricted_request):
        assert client.get(detail(hidden)).status_code == 404
        assert client.get(detail(hidden) + "history/").status_code == 404
    assert client.get("/knowledge/requests/999999/").status_code == 404

    # The SCO's focal point: the SCO's request, not the UN's.
    other = client_for(mw.sco_partner)
    assert other.get(detail(kw.sco_request)).status_code == 200
    assert other.get(detail(kw.un_request)).status_code == 404
    assert "Briefing on early warning" not in words(other.get(LIST))


def test_a_partner_reads_the_answer_and_only_what_they_may_see(world, kw, client_for):
    services.request_answer(
        actor=world.users.editor,
        request=kw.un_request,
        expected_version=kw.un_request.version,
        answer="**Yes**: see the handbook. <script>alert(1)</script>",
        answered_on=datetime.date(2024, 2, 1),
    )
    client = client_for(world.users.partner)
    response = client.get(detail(kw.un_request))
    assert response.status_code == 200
    html = response.content.decode()
    page = words(response)
    # The answer, rendered and made safe.
    assert "<strong>Yes</strong>" in html and "<script>alert(1)" not in html
    assert "Answered" in page
    # What was shared and linked, as far as the partner may see it.
    assert f'href="/knowledge/practices/{kw.public.pk}/"' in html
    assert "Helsinki Document 1992" in page and "Staff talks 2024" in page
    assert "Send the contact list" in page and "Una Shared" in page
    assert f'href="/knowledge/commitments/{kw.commitment.pk}/"' in html
    for hidden in (
        "RESTRICTED-PRACTICE",
        "RESTRICTED-MEMO",
        "RESTRICTED-MEETING",
        "RESTRICTED-ACTION",
    ):
        assert hidden not in page
    # Office-internal: whom it is shared with, who entered it; and no way to change it.
    assert "Shared with" not in page and "Submitted online by" not in page
    assert "/edit/" not in html and "/delete/" not in html and "/answer/" not in html
    # The partner changes nothing through the office's pages.
    for url in ("add/", f"{kw.un_request.pk}/edit/", f"{kw.un_request.pk}/answer/"):
        assert client.get(LIST + url).status_code == 403
    response = client.post(detail(kw.un_request) + "delete/", {"version": 1})
    assert response.status_code == 403
    assert Request.objects.filter(pk=kw.un_request.pk).exists()
    # Its history, as far as the partner may see it.
    assert client.get(detail(kw.un_request) + "history/").status_code == 200


def test_the_office_sees_everything_on_a_requests_page(world, kw, client_for):
    response = client_for(world.users.editor).get(detail(kw.un_request))
    page = words(response)
    for shown in (
        "Briefing on early warning",
        "What the Conflict Prevention Centre does.",
        "RESTRICTED-PRACTICE",
        "RESTRICTED-MEMO",
        "RESTRICTED-MEETING",
        "RESTRICTED-ACTION",
        "Una Shared",
        "Chapter VIII, para 3",
        "Shared with",
        "Answer the request",
    ):
        assert shown in page, shown
    assert f'action="/knowledge/requests/{kw.un_request.pk}/answer/"' in (response.content.decode())


# ---------------------------------------------------------------- the partner's submission


def test_a_partner_submits_a_request_and_the_office_is_told_after_commit(
    world, kw, client_for, django_capture_on_commit_callbacks, settings
):
    settings.ACCORD_REQUEST_NOTIFY = ["office@example.org"]
    partner = world.users.partner
    partner.email = "una@un.example"
    partner.save()
    registry.person_update(
        actor=None, person=world.shared_person, expected_version=None, email="UNA@un.example"
    )
    client = client_for(partner)
    page = client.get("/knowledge/requests/submit/")
    assert page.status_code == 200
    assert "United Nations" in words(page) and "Una Shared" in words(page)
    # No organization nor person is asked; one posted anyway changes nothing.
    assert 'name="organization"' not in page.content.decode()
    data = {
        "kind": "study_visit",
        "subject": "Study visit on border management",
        "description": "Two days in Vienna.",
        "due": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
        "themes": [kw.rights.pk],
        "organization": world.sco.pk,
        "person": world.internal_person.pk,
        "classification": "public",
        "status": "answered",
    }
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post("/knowledge/requests/submit/", data)
        # Not before the commit.
        assert mail.outbox == []
    created = Request.objects.get(subject="Study visit on border management")
    assert response.status_code == 302 and response["Location"] == detail(created)
    assert created.organization == world.un and created.person == world.shared_person
    assert created.status == "received" and created.classification == Classification.INTERNAL
    assert created.submitted_by == partner and created.received == timezone.localdate()
    assert [t.pk for t in created.themes.all()] == [kw.rights.pk]
    assert created.history.first().history_user == partner
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["office@example.org"]
    assert "Study visit on border management" in mail.outbox[0].subject
    # The partner follows it: on the list and on its page.
    assert "Study visit on border management" in words(client.get(LIST))
    shown = words(client.get(detail(created)))
    assert "Received" in shown and "Not answered yet." in shown


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"subject": ""}, "This field is required."),
        ({"kind": "gossip"}, "Select a valid choice"),
        ({"due": "2001-01-01"}, "Choose today or a later day."),
        ({"due": "31/31/2030"}, "Enter a valid date"),
        ({"themes": ["99999999999999999999"]}, "Select a valid choice"),
    ],
)
def test_a_bad_submission_is_a_form_error(
    world, kw, client_for, changes, message, django_capture_on_commit_callbacks
):
    data = {"kind": "information", "subject": "Tell us", "description": "", "due": ""}
    data.update(changes)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.users.partner).post("/knowledge/requests/submit/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Request.objects.filter(subject="Tell us").exists()
    assert mail.outbox == []


def test_only_a_partner_submits_through_the_partners_form(world, kw, client_for):
    response = client_for(world.users.editor).get("/knowledge/requests/submit/")
    assert response.status_code == 302 and response["Location"] == "/knowledge/requests/add/"
    assert client_for(world.users.viewer).get("/knowledge/requests/submit/").status_code == 403
    response = client_for(world.users.viewer).post(
        "/knowledge/requests/submit/", {"kind": "information", "subject": "Viewer's"}
    )
    assert response.status_code == 403
    assert not Request.objects.filter(subject="Viewer's").exists()
    assert client_for(world.users.norole).get(LIST).status_code == 403


# ---------------------------------------------------------------- the office's forms


def request_data(world, kw, **changes):
    data = {
        "kind": "briefing",
        "subject": "Briefing on mediation",
        "description": "By letter of 3 March.",
        "organization": world.un.pk,
        "person": world.shared_person.pk,
        "received": "2025-03-03",
        "due": "2025-04-01",
        "status": "received",
        "themes": [kw.rights.pk],
        "phases": ["conflict_prevention"],
        "answer": "",
        "answered_on": "",
        "shared_practices": [],
        "shared_documents": [],
        "meetings": [],
        "actions": [],
        "classification": "internal",
        "shared_with": [world.un.pk],
        "version": "",
    }
    data.update(changes)
    return data


def test_the_office_records_and_edits_a_request(world, kw, mw, client_for):
    client = client_for(world.users.editor)
    response = client.post("/knowledge/requests/add/", request_data(world, kw))
    assert response.status_code == 302, errors(response)
    created = Request.objects.get(subject="Briefing on mediation")
    assert response["Location"] == detail(created)
    assert created.organization == world.un and created.person == world.shared_person
    assert created.phases == ["conflict_prevention"] and created.received == datetime.date(
        2025, 3, 3
    )
    assert [o.acronym for o in created.shared_with.all()] == ["UN"]
    assert created.history.first().history_user == world.users.editor
    # Edited as shown, then marked answered: the answer date is today unless given.
    data = request_data(
        world,
        kw,
        version=created.version,
        status="answered",
        answer="Done.",
        meetings=[mw.public.pk],
    )
    response = client.post(detail(created) + "edit/", data)
    assert response.status_code == 302, errors(response)
    created.refresh_from_db()
    assert created.status == "answered" and created.answered_on == timezone.localdate()
    assert [m.pk for m in created.meetings.all()] == [mw.public.pk]
    # Back to "in progress": the answer date goes.
    data = request_data(world, kw, version=created.version, status="in_progress")
    data["answered_on"] = "2025-03-10"
    assert client.post(detail(created) + "edit/", data).status_code == 302
    created.refresh_from_db()
    assert created.status == "in_progress" and created.answered_on is None
    # The model's rules are form errors.
    data = request_data(world, kw, version=created.version, due="2025-01-01")
    response = client.post(detail(created) + "edit/", data)
    assert response.status_code == 400
    assert "due on or after the day it was received" in response.content.decode()
    data = request_data(world, kw, version=created.version, person=world.internal_person.pk)
    response = client.post(detail(created) + "edit/", data)
    assert response.status_code == 400
    assert "not of the requesting organization" in response.content.decode()


def test_a_stale_request_edit_is_a_conflict_not_an_overwrite(world, kw, client_for):
    client = client_for(world.users.editor)
    request = kw.un_request
    opened_at = request.version
    services.request_update(
        actor=world.users.admin,
        request=request,
        expected_version=None,
        subject="Briefing on early warning (by admin)",
    )
    data = request_data(
        world,
        kw,
        subject="Briefing on early warning",
        description="Changed by the editor.",
        received="2024-01-10",
        due="2024-03-01",
        phases=["early_warning"],
        version=opened_at,
    )
    response = client.post(detail(request) + "edit/", data)
    assert response.status_code == 409
    request.refresh_from_db()
    assert request.subject == "Briefing on early warning (by admin)"
    assert request.description == "What the Conflict Prevention Centre does."
    body = response.content.decode()
    assert "Someone else changed this record" in body
    # Shown again at the current version, their subject merged in, the phases intact.
    assert f'name="version" value="{request.version}"' in body
    assert "Briefing on early warning (by admin)" in body
    assert re.search(r'<input[^>]*value="early_warning"[^>]*checked', body)
    # Saving the merged form goes through.
    data.update(subject=request.subject, version=request.version)
    response = client.post(detail(request) + "edit/", data)
    assert response.status_code == 302, errors(response)
    request.refresh_from_db()
    assert request.description == "Changed by the editor."
    assert request.subject == "Briefing on early warning (by admin)"


def test_the_office_answers_a_request(world, kw, client_for):
    client = client_for(world.users.editor)
    request = kw.un_request
    assert client.get(detail(request) + "answer/").status_code == 200
    data = {
        "answer": "We sent the *handbook*.",
        "answered_on": "",
        "shared_practices": [kw.shared.pk],
        "shared_documents": [world.doc.pk],
        "version": request.version,
    }
    response = client.post(detail(request) + "answer/", data)
    assert response.status_code == 302, errors(response)
    assert response["Location"] == detail(request) + "#answer"
    request.refresh_from_db()
    assert request.status == "answered" and request.answered_on == timezone.localdate()
    assert [p.pk for p in request.shared_practices.all()] == [kw.shared.pk]
    # The practice is logged as shared with the UN.
    assert PracticeShare.objects.filter(practice=kw.shared, organization=world.un).exists()
    page = client.get(detail(request)).content.decode()
    assert "<em>handbook</em>" in page
    # An empty answer is refused; so is an answer dated before the request came.
    for changes, message in (
        ({"answer": ""}, "This field is required."),
        ({"answered_on": "2020-01-01"}, "answered on or after the day it was received"),
        ({"shared_practices": [kw.restricted.pk]}, "A restricted practice cannot be shared"),
    ):
        response = client.post(
            detail(request) + "answer/", {**data, "version": request.version, **changes}
        )
        assert response.status_code == 400 and message in response.content.decode()
    # A stale answer: compared, not saved over the other.
    services.request_update(
        actor=world.users.admin, request=request, expected_version=None, answer="Admin's answer."
    )
    response = client.post(detail(request) + "answer/", {**data, "answer": "Mine."})
    assert response.status_code == 409
    assert "Admin&#x27;s answer." in response.content.decode() or "Admin's answer." in (
        response.content.decode()
    )
    request.refresh_from_db()
    assert request.answer == "Admin's answer."


def test_a_deleted_request_can_be_brought_back(world, kw, client_for):
    client = client_for(world.users.editor)
    request = kw.un_request
    assert "Delete" in words(client.get(detail(request) + "delete/"))
    # A stale delete is refused.
    response = client.post(detail(request) + "delete/", {"version": request.version - 1 or 99})
    assert response.status_code == 409
    response = client.post(detail(request) + "delete/", {"version": request.version})
    assert response.status_code == 302 and response["Location"] == LIST
    assert not Request.objects.filter(pk=request.pk).exists()
    deletion = Deletion.objects.get(model="knowledge.request", object_id=request.pk)
    listed = client.get(LIST).content.decode()
    assert f'href="/deleted/{deletion.pk}/"' in listed and "Undo" in listed
    response = client.post(f"/deleted/{deletion.pk}/")
    assert response.status_code == 302 and response["Location"] == detail(request)
    restored = Request.objects.get(pk=request.pk)
    assert {p.pk for p in restored.shared_practices.all()} == {kw.public.pk, kw.restricted.pk}


def test_a_requests_history_and_restore(world, kw, client_for):
    client = client_for(world.users.editor)
    request = kw.un_request
    services.request_update(
        actor=world.users.editor, request=request, expected_version=None, subject="Renamed"
    )
    page = client.get(detail(request) + "history/")
    assert page.status_code == 200
    assert "Renamed" in words(page) and "Restore this version" in words(page)
    first = request.history.order_by("history_id").first()
    request.refresh_from_db()
    response = client.post(
        detail(request) + "history/", {"history_id": first.history_id, "version": request.version}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.subject == "Briefing on early warning"


def test_a_request_search_hit_opens_its_page(world, kw):
    from accord.knowledge.search import request_document

    assert request_document(kw.un_request).url == detail(kw.un_request)


# ---------------------------------------------------------------- query budget

SMALL, LARGE = 3, 30


class Grower:
    """Requests of the UN (which the partner sees), each with everything a page shows; and
    one request whose links grow."""

    def __init__(self, world, kw, mw):
        self.world, self.kw, self.mw = world, kw, mw
        self.rows = 0
        self.big = kw.un_request

    def grow(self, n):
        world, kw, mw = self.world, self.kw, self.mw
        while self.rows < n:
            i = self.rows
            person = registry.person_create(
                actor=None,
                name=f"Person {i}",
                organization=world.un,
                classification="public",
            )
            practice = services.practice_create(
                actor=None, kind="experience", title=f"Practice {i}", classification="public"
            )
            document = registry.document_create(
                actor=None,
                key=f"doc-{i}",
                title=f"Document {i}",
                year=2000 + i,
                kind="other",
                classification="public",
            )
            created = services.request_create(
                actor=None,
                notify=False,
                kind="information",
                organization=world.un,
                person=person,
                subject=f"Request {i}",
                received=datetime.date(2024, 1, 1),
                due=datetime.date(2024, 2, 1),
                themes=[kw.rights],
                classification="internal",
                shared_with=[world.un],
                shared_practices=[practice],
                shared_documents=[document],
                meetings=[mw.public],
                actions=[mw.action],
            )
            services.commitment_link(actor=None, commitment=kw.commitment, record=created)
            commitment = services.commitment_create(
                actor=None, document=world.doc, text=f"Commitment {i}", requests=[self.big]
            )
            assert commitment.pk
            self.big = Request.objects.get(pk=self.big.pk)
            services.request_update(
                actor=None,
                request=self.big,
                expected_version=None,
                shared_practices=[*self.big.shared_practices.all(), practice],
                shared_documents=[*self.big.shared_documents.all(), document],
            )
            self.rows += 1


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("role", ["editor", "partner"])
def test_request_pages_cost_the_same_with_3_or_30_rows(world, kw, mw, client_for, role):
    grower = Grower(world, kw, mw)
    client = client_for(getattr(world.users, role))
    pages = [
        LIST,
        LIST + "?overdue=yes&theme=human-rights",
        LIST + "?organization=UN&sort=-due",
        detail(grower.big),
        detail(grower.big) + "history/",
    ]
    grower.grow(SMALL - 1)
    for url in pages:
        count(client, url)
    grower.grow(SMALL)
    small = {url: count(client, url) for url in pages}
    grower.grow(LARGE)
    large = {url: count(client, url) for url in pages}
    assert large == small
    # And the pages show them all.
    listed = words(client.get(LIST + "?per_page=100"))
    assert "Request 29" in listed
    page = words(client.get(detail(grower.big)))
    assert "Practice 29" in page and "Document 29" in page and "Commitment 29" in page
