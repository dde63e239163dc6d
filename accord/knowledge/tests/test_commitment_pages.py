"""The commitment pages for each role, the links from activities to commitments, and the
commitments on the meeting, action and document pages."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from accord.core.models import Deletion
from accord.knowledge import services
from accord.knowledge.models import Commitment
from accord.meetings import services as meetings

day = datetime.date
SMALL, LARGE = 3, 30


def text(response) -> str:
    return response.content.decode()


def words(response) -> str:
    return " ".join(strip_tags(text(response)).split())


def detail(commitment) -> str:
    return reverse("knowledge:commitment_detail", args=[commitment.pk])


LIST = "/knowledge/commitments/"


# ---------------------------------------------------------------- reading


@pytest.mark.django_db
class TestReading:
    def test_the_list_groups_commitments_by_document_with_their_activity(
        self, world, kw, client_for
    ):
        response = client_for(world.users.editor).get(LIST)
        assert response.status_code == 200
        page = words(response)
        assert "Helsinki Document 1992 (1992)" in page
        assert "RESTRICTED-MEMO (2020)" in page
        assert "Chapter VIII, para 3" in page
        # Two meetings, two actions, two practices and three requests implement it.
        row = re.search(r"Chapter VIII, para 3.*?</tr>", text(response), re.S).group(0)
        assert ">9<" in row
        assert "UN" in row and "SCO" in row
        # Its last activity was in 2024: no activity in the last twelve months.
        assert "No activity in 12 months" in row
        assert 'href="/knowledge/commitments/add/"' in text(response)

    def test_a_viewer_sees_the_public_documents_commitments_counted_from_what_they_may_see(
        self, world, kw, client_for
    ):
        response = client_for(world.users.viewer).get(LIST)
        assert response.status_code == 200
        assert "RESTRICTED" not in text(response)
        row = re.search(r"Chapter VIII, para 3.*?</tr>", text(response), re.S).group(0)
        # The public meeting, the public action, the public practice, two requests.
        assert ">5<" in row
        assert 'href="/knowledge/commitments/add/"' not in text(response)

    def test_no_role_no_page(self, world, kw, client_for, client):
        assert client_for(world.users.norole).get(LIST).status_code == 403
        client.logout()
        assert client.get(LIST).status_code == 302

    @pytest.mark.parametrize(
        ("query", "shown", "hidden"),
        [
            ("organization=SCO", "Chapter VIII", "RESTRICTED-COMMITMENT"),
            ("theme=human-rights", "Chapter VIII", "RESTRICTED-COMMITMENT"),
            ("q=regional", "Chapter VIII", "RESTRICTED-COMMITMENT"),
            ("stale=no", "Fresh one", "Chapter VIII"),
            ("stale=yes", "Chapter VIII", "Fresh one"),
        ],
    )
    def test_filters(self, world, kw, mw, client_for, query, shown, hidden):
        fresh = services.commitment_create(actor=None, document=world.doc, text="Fresh one")
        soon = timezone.now() + datetime.timedelta(days=3)
        meeting = meetings.meeting_create(
            actor=None,
            title="Next talks",
            format="bilateral",
            start=soon,
            end=soon + datetime.timedelta(hours=1),
            classification="public",
        )
        services.commitment_link(actor=None, commitment=fresh, record=meeting)
        response = client_for(world.users.editor).get(f"{LIST}?{query}")
        assert response.status_code == 200
        assert shown in text(response) and hidden not in text(response)

    def test_the_document_filter(self, world, kw, client_for):
        response = client_for(world.users.editor).get(f"{LIST}?document={world.secret_doc.pk}")
        assert "RESTRICTED-COMMITMENT" in text(response)
        assert "Chapter VIII" not in text(response)
        # A viewer cannot filter by a document they may not see.
        response = client_for(world.users.viewer).get(f"{LIST}?document={world.secret_doc.pk}")
        assert "RESTRICTED" not in text(response)

    def test_the_list_exports(self, world, kw, client_for):
        response = client_for(world.users.viewer).get(f"{LIST}export/?format=csv")
        assert response.status_code == 200
        body = (
            b"".join(response.streaming_content).decode() if response.streaming else text(response)
        )
        assert "Chapter VIII, para 3" in body and "Helsinki Document 1992 (1992)" in body
        assert "RESTRICTED" not in body

    def test_the_page_of_a_commitment(self, world, kw, client_for):
        response = client_for(world.users.editor).get(detail(kw.commitment))
        assert response.status_code == 200
        html = text(response)
        page = words(response)
        assert world.doc.get_absolute_url() in html
        assert "Co-operation with the United Nations and regional organizations." in page
        # Activities by year, each linked to its page.
        for record in (kw.commitment.meetings.get(title="Staff talks 2024"),):
            assert record.get_absolute_url() in html
        assert "RESTRICTED-MEETING" in page and "RESTRICTED-ACTION" in page
        assert re.search(r"<h3[^>]*>2024</h3>", html)
        # The chart: an inline SVG, one bar per year of activity.
        assert "<svg" in html and "<rect" in html
        assert 'id="stale-warning"' in html
        # Engagements since 1992 with the organizations it names.
        assert "Engagements since 1992" in page
        engagements = html.split('id="engagements"')[1]
        assert world.un.get_absolute_url() in engagements
        assert world.sco.get_absolute_url() in engagements
        # The link form, for editors.
        assert reverse("knowledge:commitment_link", args=[kw.commitment.pk]) in html

    def test_a_viewer_sees_only_the_activities_they_may_see(self, world, kw, client_for):
        response = client_for(world.users.viewer).get(detail(kw.commitment))
        assert response.status_code == 200
        assert "RESTRICTED" not in text(response)
        assert "Staff talks 2024" in text(response)
        assert 'id="link-form"' not in text(response)
        assert "Unlink" not in text(response)

    def test_a_partner_sees_their_share_only(self, world, kw, client_for):
        response = client_for(world.users.partner).get(detail(kw.commitment))
        assert response.status_code == 200
        html = text(response)
        assert "SCO-PUBLIC-REQUEST" not in html and "RESTRICTED" not in html
        assert "Briefing on early warning" in html

    def test_a_hidden_commitment_is_not_found(self, world, kw, client_for):
        for role in ("viewer", "partner"):
            client = client_for(getattr(world.users, role))
            assert client.get(detail(kw.secret_commitment)).status_code == 404
        assert client.get("/knowledge/commitments/99999999/").status_code == 404

    def test_a_commitment_with_recent_activity_has_no_warning(self, world, kw, client_for):
        soon = timezone.now() - datetime.timedelta(days=10)
        meeting = meetings.meeting_create(
            actor=None,
            title="Recent talks",
            format="bilateral",
            start=soon,
            end=soon + datetime.timedelta(hours=1),
            classification="public",
        )
        services.commitment_link(actor=None, commitment=kw.commitment, record=meeting)
        response = client_for(world.users.viewer).get(detail(kw.commitment))
        assert 'id="stale-warning"' not in text(response)
        assert "Recent talks" in text(response)

    def test_the_search_leads_to_the_commitment_page(self, world, kw):
        from accord.knowledge.search import commitment_document

        assert commitment_document(kw.commitment).url == detail(kw.commitment)


# ---------------------------------------------------------------- editing


@pytest.mark.django_db
class TestEditing:
    def test_an_editor_adds_a_commitment_with_themes_and_phases(self, world, kw, client_for):
        client = client_for(world.users.editor)
        add = reverse("knowledge:commitment_add")
        form = client.get(f"{add}?document={world.doc.pk}")
        assert form.status_code == 200
        assert "human-rights" in text(form) or "Human rights" in text(form)
        response = client.post(
            add,
            {
                "document": world.doc.pk,
                "reference": "Chapter IV, para 1",
                "text": "Early warning with partners.",
                "source": "https://www.osce.org/helsinki",
                "themes": [kw.rights.pk],
                "phases": ["early_warning", "crisis_management"],
                "organizations": [world.un.pk],
            },
        )
        assert response.status_code == 302
        created = Commitment.objects.get(reference="Chapter IV, para 1")
        assert response["Location"] == detail(created)
        assert created.phases == ["early_warning", "crisis_management"]
        assert list(created.themes.all()) == [kw.rights]
        assert created.history.first().history_user == world.users.editor

    def test_a_reference_used_twice_in_a_document_is_a_form_error(self, world, kw, client_for):
        response = client_for(world.users.editor).post(
            reverse("knowledge:commitment_add"),
            {"document": world.doc.pk, "reference": "Chapter VIII, para 3", "text": "Again"},
        )
        assert response.status_code == 400
        assert "already has a commitment at this place" in text(response)

    def test_an_edit_keeps_the_document_and_a_stale_one_shows_the_conflict(
        self, world, kw, client_for
    ):
        client = client_for(world.users.editor)
        edit = reverse("knowledge:commitment_edit", args=[kw.commitment.pk])
        version = kw.commitment.version
        data = {
            "document": world.secret_doc.pk,
            "reference": "Chapter VIII, para 4",
            "text": kw.commitment.text,
            "themes": [kw.rights.pk],
            "organizations": [world.un.pk, world.sco.pk],
            "version": version,
        }
        response = client.post(edit, data)
        assert response.status_code == 302
        kw.commitment.refresh_from_db()
        assert kw.commitment.reference == "Chapter VIII, para 4"
        assert kw.commitment.document == world.doc
        # The same form again, from the version before: someone else saved meanwhile.
        response = client.post(edit, data | {"text": "Changed on a stale page."})
        assert response.status_code == 409
        assert "Someone else changed this record" in text(response)
        kw.commitment.refresh_from_db()
        assert kw.commitment.text != "Changed on a stale page."

    def test_delete_can_be_undone_and_history_is_kept(self, world, kw, client_for):
        client = client_for(world.users.editor)
        delete = reverse("knowledge:commitment_delete", args=[kw.commitment.pk])
        assert client.get(delete).status_code == 200
        response = client.post(delete, {"version": kw.commitment.version})
        assert response.status_code == 302 and response["Location"] == LIST
        assert not Commitment.objects.filter(pk=kw.commitment.pk).exists()
        deletion = Deletion.objects.get(model="knowledge.commitment", object_id=kw.commitment.pk)
        response = client.post(reverse("deleted_detail", args=[deletion.pk]))
        assert response.status_code == 302
        assert Commitment.objects.filter(pk=kw.commitment.pk).exists()

    def test_history_page(self, world, kw, client_for):
        url = reverse("knowledge:commitment_history", args=[kw.commitment.pk])
        assert client_for(world.users.viewer).get(url).status_code == 200

    def test_viewers_and_partners_change_nothing(self, world, kw, mw, client_for):
        pk = kw.commitment.pk
        for role in ("viewer", "partner"):
            client = client_for(getattr(world.users, role))
            for name in ("commitment_edit", "commitment_delete", "commitment_link"):
                assert client.get(reverse(f"knowledge:{name}", args=[pk])).status_code == 403
            assert client.get(reverse("knowledge:commitment_add")).status_code == 403
            response = client.post(
                reverse("knowledge:commitment_unlink", args=[pk]),
                {"kind": "meeting", "record": mw.public.pk},
            )
            assert response.status_code == 403
            response = client.post(
                reverse("knowledge:commitment_link_record"),
                {"commitment": pk, "kind": "meeting", "record": mw.internal.pk},
            )
            assert response.status_code == 403
        assert kw.commitment.meetings.filter(pk=mw.public.pk).exists()


# ---------------------------------------------------------------- linking


@pytest.mark.django_db
class TestLinking:
    def test_an_editor_links_and_unlinks_activities(self, world, kw, mw, client_for):
        client = client_for(world.users.editor)
        url = reverse("knowledge:commitment_link", args=[kw.commitment.pk])
        assert client.get(url).status_code == 200
        response = client.post(url, {"meeting": mw.internal.pk, "practice": kw.shared.pk})
        assert response.status_code == 302
        assert kw.commitment.meetings.filter(pk=mw.internal.pk).exists()
        assert kw.commitment.practices.filter(pk=kw.shared.pk).exists()
        page = client.get(detail(kw.commitment))
        assert "INTERNAL-MEETING" in text(page) and "UN-SHARED-PRACTICE" in text(page)
        response = client.post(
            reverse("knowledge:commitment_unlink", args=[kw.commitment.pk]),
            {"kind": "meeting", "record": mw.internal.pk},
        )
        assert response.status_code == 302
        assert not kw.commitment.meetings.filter(pk=mw.internal.pk).exists()
        reasons = [h.history_change_reason for h in kw.commitment.history.all()[:3]]
        assert any(r and r.startswith("Unlinked") for r in reasons)

    def test_linking_nothing_is_a_form_error(self, world, kw, client_for):
        url = reverse("knowledge:commitment_link", args=[kw.commitment.pk])
        response = client_for(world.users.editor).post(url, {"meeting": "99999999"})
        assert response.status_code == 400
        response = client_for(world.users.editor).post(url, {})
        assert response.status_code == 400
        assert "Choose a meeting" in text(response)

    def test_the_meeting_page_lists_the_commitments_it_implements(self, world, kw, mw, client_for):
        services.commitment_link(actor=None, commitment=kw.secret_commitment, record=mw.public)
        response = client_for(world.users.viewer).get(mw.public.get_absolute_url())
        assert response.status_code == 200
        assert "Commitments implemented" in text(response)
        assert detail(kw.commitment) in text(response)
        assert "RESTRICTED-COMMITMENT" not in text(response)
        assert reverse("knowledge:commitment_link_record") not in text(response)
        # Editors see every one, and a form to link another.
        response = client_for(world.users.editor).get(mw.public.get_absolute_url())
        assert "RESTRICTED-MEMO" in text(response)
        assert reverse("knowledge:commitment_link_record") in text(response)

    def test_a_reader_does_not_get_an_empty_panel(self, world, kw, mw, client_for):
        response = client_for(world.users.viewer).get(mw.shared.get_absolute_url())
        assert "Commitments implemented" not in text(response)

    def test_the_action_page_lists_them_too_and_links_from_there(self, world, kw, mw, client_for):
        client = client_for(world.users.editor)
        page = mw.hidden_meeting_action.get_absolute_url()
        response = client.get(page)
        assert "Commitments implemented" in text(response)
        assert "It is not linked to any commitment." in text(response)
        response = client.post(
            reverse("knowledge:commitment_link_record"),
            {
                "commitment": kw.commitment.pk,
                "kind": "action",
                "record": mw.hidden_meeting_action.pk,
                "next": page,
            },
        )
        assert response.status_code == 302 and response["Location"] == page
        assert kw.commitment.actions.filter(pk=mw.hidden_meeting_action.pk).exists()
        assert detail(kw.commitment) in text(client.get(page))
        response = client.post(
            reverse("knowledge:commitment_unlink", args=[kw.commitment.pk]),
            {"kind": "action", "record": mw.hidden_meeting_action.pk, "next": page},
        )
        assert response["Location"] == page
        assert not kw.commitment.actions.filter(pk=mw.hidden_meeting_action.pk).exists()

    def test_the_document_page_lists_its_commitments(self, world, kw, client_for):
        response = client_for(world.users.viewer).get(world.doc.get_absolute_url())
        assert detail(kw.commitment) in text(response)
        assert "Add commitment" not in text(response)
        response = client_for(world.users.editor).get(world.doc.get_absolute_url())
        assert f"{reverse('knowledge:commitment_add')}?document={world.doc.pk}" in text(response)


# ---------------------------------------------------------------- query budget


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["editor", "viewer", "partner"])
def test_list_and_page_cost_the_same_at_3_and_30_rows(world, kw, mw, client_for, role):
    client = client_for(getattr(world.users, role))
    made = []

    def grow(n):
        while len(made) < n:
            i = len(made)
            commitment = services.commitment_create(
                actor=None,
                document=world.doc,
                reference=f"Para {i}",
                text=f"Commitment {i}",
                themes=[kw.rights],
                organizations=[world.un, world.sco],
                meetings=[mw.public],
                actions=[mw.action],
            )
            made.append(commitment)
            start = datetime.datetime(2020 + i % 6, 1 + i % 12, 1, 9, tzinfo=datetime.UTC)
            meeting = meetings.meeting_create(
                actor=None,
                title=f"Talks {i}",
                format="bilateral",
                start=start,
                end=start + datetime.timedelta(hours=1),
                organizations=[world.un],
                classification="public",
            )
            action = meetings.action_create(
                actor=None, title=f"Do {i}", organization=world.un, classification="public"
            )
            for record in (meeting, action):
                services.commitment_link(actor=None, commitment=kw.commitment, record=record)

    from django.core.cache import caches

    counts = {}
    for n in (SMALL, LARGE):
        grow(n)
        caches["pages"].clear()
        counts[n] = (count(client, LIST), count(client, detail(kw.commitment)))
    assert counts[SMALL] == counts[LARGE]
