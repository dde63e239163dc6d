"""One policy for every read: practices, the share log, requests, commitments, activities."""

import datetime

import pytest

from accord.core.choices import Classification
from accord.knowledge import selectors, services
from accord.knowledge.models import Commitment, Practice, PracticeShare, Request
from accord.meetings import services as meetings

day = datetime.date


def titles(qs, field="title"):
    return {getattr(row, field) for row in qs}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (
            "editor",
            {
                "Election observation handbook",
                "UN-SHARED-PRACTICE",
                "INTERNAL-PRACTICE",
                "RESTRICTED-PRACTICE",
            },
        ),
        (
            "viewer",
            {"Election observation handbook", "UN-SHARED-PRACTICE", "INTERNAL-PRACTICE"},
        ),
        ("partner", {"Election observation handbook", "UN-SHARED-PRACTICE"}),
        ("norole", set()),
    ],
)
def test_practices_per_role(world, kw, role, expected):
    user = getattr(world.users, role)
    assert titles(selectors.practice_list(user)) == expected
    assert Practice.objects.visible_to(user).count() == len(expected)


def test_a_partner_sees_only_their_own_entries_of_the_share_log(world, kw):
    def orgs(user):
        return {s.organization.acronym for s in selectors.practice_shares(user, kw.public)}

    assert orgs(world.users.editor) == {"UN", "SCO"}
    assert orgs(world.users.viewer) == {"UN", "SCO"}
    assert orgs(world.users.partner) == {"UN"}
    assert PracticeShare.objects.visible_to(world.users.norole).count() == 0
    # Entries of a hidden practice are hidden with it.
    services.practice_share(actor=None, practice=kw.internal, organization=world.un)
    assert not PracticeShare.objects.visible_to(world.users.partner).filter(practice=kw.restricted)


def test_a_partner_sees_their_organizations_requests_only(world, kw):
    partner = world.users.partner
    # The SCO's request is public, and still not the UN focal point's to see.
    assert titles(selectors.request_list(partner), "subject") == {"Briefing on early warning"}
    assert titles(selectors.request_list(world.users.viewer), "subject") == {
        "Briefing on early warning",
        "SCO-PUBLIC-REQUEST",
    }
    assert Request.objects.visible_to(world.users.editor).count() == 3
    assert Request.objects.visible_to(world.users.norole).count() == 0


def test_a_partner_follows_their_request_and_its_answer(world, kw, mw):
    partner = world.users.partner
    mine = services.request_submit(actor=partner, kind="briefing", subject="My question")
    services.request_answer(
        actor=world.users.editor,
        request=mine,
        expected_version=1,
        answer="Here is the answer.",
        shared_practices=[kw.internal],
    )
    seen = selectors.request_get(partner, mine.pk)
    assert seen.status == "answered" and seen.answer == "Here is the answer."
    # The practice shared in the answer is now the partner's to read.
    assert [p.title for p in seen.shared_practices.all()] == ["INTERNAL-PRACTICE"]
    assert selectors.practice_get(partner, kw.internal.pk)
    # Another partner's focal point does not see it.
    assert not Request.objects.visible_to(mw.sco_partner).filter(pk=mine.pk).exists()
    assert not selectors.practice_shares(mw.sco_partner, kw.internal).exists()


def test_links_to_hidden_records_are_not_shown(world, kw):
    for role in ("viewer", "partner"):
        user = getattr(world.users, role)
        request = selectors.request_get(user, kw.un_request.pk)
        assert titles(request.shared_practices.all()) == {"Election observation handbook"}
        assert titles(request.shared_documents.all()) == {"Helsinki Document 1992"}
        assert titles(request.meetings.all()) == {"Staff talks 2024"}
        assert titles(request.actions.all()) == {"Send the contact list"}
    viewer_request = selectors.request_get(world.users.viewer, kw.un_request.pk)
    assert viewer_request.person is not None


def test_a_commitment_is_seen_with_its_document(world, kw):
    for role, expected in (("editor", 2), ("viewer", 1), ("partner", 1), ("norole", 0)):
        user = getattr(world.users, role)
        assert Commitment.objects.visible_to(user).count() == expected, role
    assert not Commitment.objects.visible_to(world.users.viewer).filter(pk=kw.secret_commitment.pk)


def test_activities_are_merged_dated_and_filtered(world, kw):
    def seen(role):
        user = getattr(world.users, role)
        return [
            (a.kind, a.title, a.date) for a in selectors.commitment_activities(user, kw.commitment)
        ]

    editor = seen("editor")
    assert len(editor) == 9
    assert editor == sorted(editor, key=lambda a: a[2], reverse=True)
    assert seen("viewer") == [
        ("action", "Send the contact list", day(2024, 3, 1)),
        ("request", "SCO-PUBLIC-REQUEST", day(2024, 2, 1)),
        ("meeting", "Staff talks 2024", day(2024, 1, 16)),
        ("request", "Briefing on early warning", day(2024, 1, 10)),
        ("practice", "Election observation handbook", day(2023, 5, 1)),
    ]
    assert [a[1] for a in seen("partner")] == [
        "Send the contact list",
        "Staff talks 2024",
        "Briefing on early warning",
        "Election observation handbook",
    ]


def test_stale_commitments_count_only_visible_activity(world, kw, mw):
    editor, viewer = world.users.editor, world.users.viewer
    # The editor's latest activity is the restricted action due 2024-06-01.
    assert kw.commitment in selectors.stale_commitments(editor, day(2025, 7, 1))
    assert kw.commitment not in selectors.stale_commitments(editor, day(2025, 5, 1))
    # The viewer's latest is the public action due 2024-03-01: stale sooner.
    assert kw.commitment in selectors.stale_commitments(viewer, day(2025, 5, 1))
    assert kw.commitment not in selectors.stale_commitments(viewer, day(2025, 2, 1))
    # A commitment with nothing linked is stale; one of a hidden document is not listed.
    lonely = services.commitment_create(actor=None, document=world.doc, text="Nothing yet")
    assert lonely in selectors.stale_commitments(viewer, day(2025, 2, 1))
    assert kw.secret_commitment not in selectors.stale_commitments(viewer, day(2030, 1, 1))
    # A new restricted meeting keeps it fresh for the editor only.
    start = datetime.datetime(2025, 6, 1, 9, tzinfo=datetime.UTC)
    secret = meetings.meeting_create(
        actor=None,
        title="Later secret",
        format="bilateral",
        start=start,
        end=start + datetime.timedelta(hours=1),
        time_zone="UTC",
        classification=Classification.RESTRICTED,
    )
    services.commitment_link(actor=None, commitment=lonely, record=secret)
    assert lonely not in selectors.stale_commitments(editor, day(2025, 7, 1))
    assert lonely in selectors.stale_commitments(viewer, day(2025, 7, 1))


def test_engagements_per_organization_named_count_only_what_is_visible(world, kw, mw):
    def counts(role):
        rows = selectors.commitment_engagements(getattr(world.users, role), kw.commitment)
        return {
            r["organization"].acronym: (
                r["meetings"],
                r["actions"],
                r["practices_shared"],
                r["requests"],
            )
            for r in rows
        }

    # Editor: the UN took part in the public, shared and internal meetings, has one action,
    # one practice shared and two requests (one restricted); the SCO a restricted meeting,
    # a restricted action, a share and a public request.
    assert counts("editor") == {"UN": (3, 1, 1, 2), "SCO": (1, 1, 1, 1)}
    assert counts("viewer") == {"UN": (3, 1, 1, 1), "SCO": (0, 0, 1, 1)}
    # The UN's focal point: their shared meeting and the public one, nothing of the SCO's.
    assert counts("partner") == {"UN": (2, 1, 1, 1), "SCO": (0, 0, 0, 0)}
    # Only engagement since the document's date counts.
    old = services.request_create(
        actor=None,
        notify=False,
        kind="information",
        organization=world.sco,
        subject="Before the document",
        received=day(1990, 1, 1),
        classification="public",
    )
    assert old.pk and counts("viewer")["SCO"] == (0, 0, 1, 1)


def test_filters(world, kw):
    editor = world.users.editor
    practices = selectors.practice_list(editor)
    assert titles(selectors.filter_practices(practices, theme=kw.rights)) == {
        "Election observation handbook"
    }
    assert titles(selectors.filter_practices(practices, phase="conflict_prevention")) == {
        "Election observation handbook"
    }
    assert titles(selectors.filter_practices(practices, organization=world.sco)) == {
        "Election observation handbook"
    }
    assert titles(selectors.filter_practices(practices, kind="lesson_learned")) == {
        "INTERNAL-PRACTICE",
        "RESTRICTED-PRACTICE",
    }
    requests = selectors.request_list(editor)
    assert titles(selectors.filter_requests(requests, phase="early_warning"), "subject") == {
        "Briefing on early warning"
    }
    assert selectors.filter_requests(requests, organization=world.sco).count() == 1
    commitments = selectors.commitment_list(editor)
    assert selectors.filter_commitments(commitments, organization=world.sco).count() == 1
    assert selectors.filter_commitments(commitments, document=world.secret_doc).count() == 1


def test_the_last_engagement_is_one_that_has_happened(world, kw, mw):
    """A meeting planned with a named organization counts as an engagement, but the "last
    engagement" the commitment page shows is the latest one so far."""
    editor = world.users.editor

    def last():
        rows = selectors.commitment_engagements(editor, kw.commitment)
        return {r["organization"].acronym: (r["meetings"], r["last"]) for r in rows}["SCO"]

    meetings_before, last_before = last()
    start = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=60)
    meetings.meeting_create(
        actor=None,
        title="Planned talks with the SCO",
        format="bilateral",
        start=start,
        end=start + datetime.timedelta(hours=1),
        time_zone="UTC",
        classification=Classification.PUBLIC,
        organizations=[world.sco],
    )
    assert last() == (meetings_before + 1, last_before)
    assert last_before is None or last_before <= datetime.date.today()
