"""Review dates on partnerships and framework documents, and the dashboard's "Due for review"."""

import datetime
import json

from django.utils import timezone

from accord.registry import selectors, services


def soon(days):
    return timezone.localdate() + datetime.timedelta(days=days)


def test_reviews_due_is_sorted_respects_the_policy_and_the_horizon(world):
    p_un = services.partnership_update(
        actor=None, partnership=world.p_un, expected_version=None, review_on=soon(30)
    )
    services.partnership_update(
        actor=None, partnership=world.p_sco, expected_version=None, review_on=soon(-3)
    )
    services.document_update(
        actor=None,
        document=world.doc,
        expected_version=None,
        expires_on=soon(10),
        review_on=soon(200),
    )
    due = selectors.reviews_due(user=world.users.editor)
    assert [(r.record, r.kind, r.days) for r in due] == [
        (world.p_sco, "review", -3),
        (world.doc, "expiry", 10),
        (p_un, "review", 30),
    ]
    assert due[0].overdue
    viewer = selectors.reviews_due(user=world.users.viewer)
    assert world.p_sco not in [r.record for r in viewer]  # restricted
    later = selectors.reviews_due(user=world.users.editor, within_days=365)
    assert (world.doc, "review") in [(r.record, r.kind) for r in later]
    assert selectors.reviews_due(user=world.users.editor, today=soon(-100)) == []


def test_dashboard_lists_due_reviews_per_role(world, client_for):
    services.partnership_update(
        actor=None, partnership=world.p_sco, expected_version=None, review_on=soon(5)
    )
    services.partnership_update(
        actor=None, partnership=world.p_un, expected_version=None, review_on=soon(-1)
    )
    editor = client_for(world.users.editor).get("/").content.decode()
    assert "Due for review" in editor and "OSCE – SCO" in editor and "overdue" in editor
    viewer = client_for(world.users.viewer).get("/").content.decode()
    assert "OSCE – UN" in viewer and "OSCE – SCO" not in viewer


def test_review_dates_through_the_api_with_bad_input(world, client_for):
    client = client_for(world.users.editor)
    url = f"/api/v1/partnerships/{world.p_un.pk}"
    body = {"version": world.p_un.version, "review_on": "2031-02-30"}
    bad = client.patch(url, json.dumps(body), content_type="application/json")
    assert bad.status_code == 422 and "review_on" in bad.content.decode()
    body["review_on"] = "2031-02-28"
    ok = client.patch(url, json.dumps(body), content_type="application/json")
    assert ok.status_code == 200 and ok.json()["review_on"] == "2031-02-28"
    assert client.get("/api/v1/partnerships?review_before=2031-03-01").json()["count"] == 1
    assert client.get("/api/v1/partnerships?review_before=2031-02-27").json()["count"] == 0
    doc = f"/api/v1/documents/{world.doc.pk}"
    body = {"version": world.doc.version, "adopted_on": "2000-01-01", "expires_on": "1999-01-01"}
    bad = client.patch(doc, json.dumps(body), content_type="application/json")
    assert bad.status_code == 422 and "expires_on" in bad.content.decode()


def test_lists_filter_on_review(world, client_for):
    services.partnership_update(
        actor=None, partnership=world.p_un, expected_version=None, review_on=soon(-10)
    )
    client = client_for(world.users.editor)
    page = client.get("/partnerships/?review=overdue").content.decode()
    assert "OSCE – UN" in page and "OSCE – SCO" not in page
    page = client.get("/partnerships/?review=none").content.decode()
    assert "OSCE – SCO" in page and "OSCE – UN" not in page
    page = client.get("/documents/?review=due").content.decode()
    assert "Helsinki" not in page
