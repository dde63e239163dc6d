"""The meeting brief: its sections, as a page and as a Word file, and only what the reader sees."""

import datetime
import io
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document

from accord.core.choices import Classification
from accord.meetings import services
from accord.registry import services as registry_services
from accord.taxonomy.models import Theme

UTC = datetime.UTC
SECRETS = (
    "RESTRICTED-HELD-MEETING",
    "RESTRICTED-OUTCOME-UN",
    "RESTRICTED-UN-ACTION",
    "RESTRICTED-UN-PERSON",
    "RESTRICTED-MEMO",
)


def at(*args):
    return datetime.datetime(*args, tzinfo=UTC)


@pytest.fixture
def briefing(world):
    """A meeting with the UN to brief for, earlier meetings, actions and people."""
    rights = Theme.objects.get(slug="human-rights")
    registry_services.partnership_update(
        actor=None,
        partnership=world.p_un,
        expected_version=None,
        basis=[world.doc, world.secret_doc],
        since=datetime.date(2001, 5, 1),
    )
    meeting = services.meeting_create(
        actor=None,
        title="OSCE–UN staff talks 2026",
        format="staff_talks",
        start=at(2026, 1, 20, 9),
        end=at(2026, 1, 20, 15),
        time_zone="Europe/Vienna",
        place="Hofburg, Vienna",
        host_organization=world.un,
        organizations=[world.osce, world.un],
        themes=[rights],
        classification=Classification.PUBLIC,
        participants=[(world.shared_person, "invited")],
    )
    services.agenda_item_create(actor=None, meeting=meeting, title="Early warning")
    past = []
    for year in (2022, 2023, 2024, 2025):
        held = services.meeting_create(
            actor=None,
            title=f"Staff talks {year}",
            format="staff_talks",
            start=at(year, 1, 18, 9),
            end=at(year, 1, 18, 15),
            time_zone="Europe/Vienna",
            organizations=[world.osce, world.un],
            status="held",
            classification=Classification.PUBLIC,
        )
        item = services.agenda_item_create(actor=None, meeting=held, title=f"Item {year}")
        services.outcome_create(
            actor=None, agenda_item=item, kind="agreement", text=f"OUTCOME-{year}"
        )
        past.append(held)
    hidden = services.meeting_create(
        actor=None,
        title="RESTRICTED-HELD-MEETING",
        format="bilateral",
        start=at(2025, 6, 1, 9),
        end=at(2025, 6, 1, 10),
        organizations=[world.un],
        status="held",
        classification=Classification.RESTRICTED,
    )
    item = services.agenda_item_create(actor=None, meeting=hidden, title="Hidden item")
    services.outcome_create(
        actor=None, agenda_item=item, kind="decision", text="RESTRICTED-OUTCOME-UN"
    )
    open_action = services.action_create(
        actor=None,
        title="OPEN-UN-ACTION",
        organization=world.un,
        owner_user=world.users.editor,
        due=datetime.date(2020, 1, 1),
        classification=Classification.PUBLIC,
    )
    services.action_create(
        actor=None,
        title="DONE-UN-ACTION",
        organization=world.un,
        status="done",
        due=datetime.date(2020, 1, 1),
        classification=Classification.PUBLIC,
    )
    services.action_create(
        actor=None,
        title="RESTRICTED-UN-ACTION",
        organization=world.un,
        due=datetime.date(2030, 1, 1),
        classification=Classification.RESTRICTED,
    )
    registry_services.person_create(
        actor=None,
        name="RESTRICTED-UN-PERSON",
        organization=world.un,
        classification=Classification.RESTRICTED,
    )
    registry_services.person_create(
        actor=None,
        name="Pia Public",
        title="Liaison officer",
        email="pia@un.example.org",
        organization=world.un,
        classification=Classification.PUBLIC,
    )
    return SimpleNamespace(meeting=meeting, past=past, hidden=hidden, open_action=open_action)


def docx_text(response) -> tuple[str, list[str], str]:
    """All text of a .docx (paragraphs and tables), its headings, and its header."""
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    headings = [
        p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))
    ]
    header = " ".join(p.text for p in document.sections[0].header.paragraphs)
    return "\n".join(parts), headings, header


@pytest.mark.django_db
def test_brief_docx_has_its_sections(world, client_for, briefing):
    client = client_for(world.users.editor)
    response = client.get(reverse("meeting_feeds:brief_docx", args=[briefing.meeting.pk]))
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert "attachment;" in response["Content-Disposition"]
    text, headings, header = docx_text(response)
    assert headings[:2] == ["Brief: OSCE–UN staff talks 2026", "The meeting"]
    for heading in (
        "Themes",
        "UN — United Nations (host)",
        "Profile",
        "Members shared with OSCE",
        "Basis of the partnership",
        "Last meetings",
        "Open actions",
        "Focal points",
    ):
        assert heading in headings
    assert "Classification: PUBLIC" in header
    assert "Prepared by editor on" in text
    assert "contains only records visible to this user" in text
    # The profile, the shared members (the five states in both), the basis.
    assert "Global" in text and "New York" in text and "1945" in text
    assert "5 states: Austria, France, Kazakhstan, Russian Federation, United States" in text
    assert "Helsinki Document 1992" in text
    # The last three held meetings, not the fourth, not the meeting itself.
    assert "OUTCOME-2025" in text and "OUTCOME-2024" in text
    assert "OUTCOME-2022" not in text
    # Open and overdue actions only, and the focal points.
    assert "OPEN-UN-ACTION" in text and "Overdue" in text
    assert "DONE-UN-ACTION" not in text
    assert "Pia Public" in text and "pia@un.example.org" in text
    assert "Human rights" in text
    assert "1. Early warning" in text or "Early warning" in text
    # An editor sees the restricted records: the brief holds them (the held meeting makes one
    # of the last three).
    for secret in ("RESTRICTED-OUTCOME-UN", "RESTRICTED-UN-ACTION", "RESTRICTED-UN-PERSON"):
        assert secret in text
    assert "RESTRICTED-MEMO" in text


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["viewer", "partner"])
def test_brief_holds_only_what_the_reader_sees(world, client_for, briefing, who):
    client = client_for(getattr(world.users, who))
    text, headings, _header = docx_text(
        client.get(reverse("meeting_feeds:brief_docx", args=[briefing.meeting.pk]))
    )
    assert f"Prepared by {who} on" in text
    assert "Last meetings" in headings
    for secret in SECRETS:
        assert secret not in text
    page = client.get(reverse("meeting_feeds:brief", args=[briefing.meeting.pk]))
    assert page.status_code == 200
    for secret in SECRETS:
        assert secret not in page.text
    assert "OUTCOME-2025" in page.text


@pytest.mark.django_db
def test_brief_page(world, client_for, briefing):
    client = client_for(world.users.viewer)
    page = client.get(reverse("meeting_feeds:brief", args=[briefing.meeting.pk]))
    assert page.status_code == 200
    assert page["Cache-Control"] == "private, no-store"
    for text in (
        "Brief: OSCE–UN staff talks 2026",
        "Classification: Public",
        "Prepared by viewer on",
        "Members shared with OSCE",
        "Basis of the partnership",
        "Helsinki Document 1992",
        "OPEN-UN-ACTION",
        "Pia Public",
        reverse("meeting_feeds:brief_docx", args=[briefing.meeting.pk]),
    ):
        assert text in page.text, text


@pytest.mark.django_db
def test_brief_of_a_hidden_meeting_is_404(world, client_for, briefing):
    for name in ("brief", "brief_docx"):
        url = reverse(f"meeting_feeds:{name}", args=[briefing.hidden.pk])
        assert client_for(world.users.viewer).get(url).status_code == 404
        assert client_for(world.users.editor).get(url).status_code == 200
        assert client_for(world.users.norole).get(url).status_code == 403


@pytest.mark.django_db
def test_restricted_meeting_brief_carries_its_classification(world, client_for, briefing):
    response = client_for(world.users.editor).get(
        reverse("meeting_feeds:brief_docx", args=[briefing.hidden.pk])
    )
    _text, _headings, header = docx_text(response)
    assert "Classification: RESTRICTED" in header


@pytest.mark.django_db
def test_brief_query_count_does_not_grow(world, client_for, briefing):
    client = client_for(world.users.viewer)
    urls = [
        reverse(f"meeting_feeds:{name}", args=[briefing.meeting.pk])
        for name in ("brief_docx", "brief")
    ]

    def count() -> list[int]:
        counts = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries.captured_queries))
        return counts

    few = count()
    for i in range(6):
        services.action_create(
            actor=None,
            title=f"More {i}",
            organization=world.un,
            due=datetime.date(2027, 1, 1 + i),
            classification=Classification.PUBLIC,
        )
        registry_services.person_create(
            actor=None, name=f"Person {i}", organization=world.un, classification="public"
        )
        held = services.meeting_create(
            actor=None,
            title=f"Extra {i}",
            format="bilateral",
            start=at(2025, 10, 1 + i, 9),
            end=at(2025, 10, 1 + i, 10),
            organizations=[world.un],
            status="held",
            classification=Classification.PUBLIC,
        )
        item = services.agenda_item_create(actor=None, meeting=held, title="Item")
        services.outcome_create(actor=None, agenda_item=item, kind="information", text="x")
    assert count() == few


@pytest.mark.django_db
def test_a_conference_is_briefed_on_its_first_partners(world, client_for, briefing):
    from accord.meetings import brief

    others = [
        registry_services.organization_create(
            actor=None, acronym=f"ORG{i}", name=f"Organization {i}", kind="regional"
        )
        for i in range(brief.MAX_PARTNERS + 2)
    ]
    services.meeting_update(
        actor=None,
        meeting=briefing.meeting,
        expected_version=None,
        organizations=[world.osce, world.un, *others],
    )
    client = client_for(world.users.viewer)
    text, headings, _header = docx_text(
        client.get(reverse("meeting_feeds:brief_docx", args=[briefing.meeting.pk]))
    )
    assert headings.count("Profile") == brief.MAX_PARTNERS
    assert "UN — United Nations (host)" in headings  # the host first
    assert "3 more organizations take part; this brief covers the first 8." in text
