"""The practice pages for each role: what each sees, what editors change, and that nothing
hidden leaks; with a query budget that holds as the practices grow."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils.html import strip_tags

from accord.core.models import Deletion
from accord.knowledge import services
from accord.knowledge.models import Practice, PracticeShare
from accord.search.selectors import search

day = datetime.date
SMALL, LARGE = 3, 30


def text(response) -> str:
    return response.content.decode()


def words(response) -> str:
    """The page's text as a reader sees it: no tags, spaces collapsed."""
    return " ".join(strip_tags(text(response)).split())


def result_count(response) -> int:
    found = re.search(r"(\d+) results?", text(response))
    assert found, text(response)[:2000]
    return int(found.group(1))


def errors(response) -> str:
    return " ".join(re.findall(r'role="alert">([^<]+)<', text(response)))


def titles(response) -> set[str]:
    return set(re.findall(r'<a href="/knowledge/practices/\d+/">([^<]+)</a>', text(response)))


def commitment_pages() -> bool:
    """Whether the commitments' pages are there (they are built beside these)."""
    try:
        reverse("knowledge:commitment_detail", args=[1])
    except NoReverseMatch:
        return False
    return True


def pages(kw):
    return [
        "/knowledge/practices/",
        "/knowledge/practices/?q=handbook&kind=best_practice&phase=conflict_prevention",
        "/knowledge/practices/?theme=human-rights&source=UN&recipient=SCO&year=2023",
        "/knowledge/practices/?sort=-date",
        f"/knowledge/practices/{kw.public.pk}/",
        f"/knowledge/practices/{kw.public.pk}/history/",
    ]


def practice_data(world, kw, **changes):
    data = {
        "kind": "lesson_learned",
        "title": "Mediation in border disputes",
        "summary": "What worked.",
        "body": "Talk **early**.",
        "themes": [kw.rights.pk],
        "phases": ["early_warning", "crisis_management"],
        "source_organization": world.osce.pk,
        "recipient_organizations": [world.un.pk],
        "region": "South Caucasus",
        "date": "2024-04-02",
        "classification": "internal",
        "shared_with": [world.un.pk],
        "version": "",
    }
    data.update(changes)
    return data


# ---------------------------------------------------------------- reading


@pytest.mark.parametrize("role", ["admin", "editor", "viewer", "partner"])
def test_every_page_renders_for_every_role(world, kw, client_for, role):
    client = client_for(getattr(world.users, role))
    for url in pages(kw):
        response = client.get(url)
        assert response.status_code == 200, url
        # The knowledge tabs, with this one current.
        assert 'aria-current="page" href="/knowledge/practices/"' in text(response), url


@pytest.mark.parametrize("role", ["viewer", "partner"])
def test_nothing_restricted_shows_anywhere(world, kw, client_for, role):
    client = client_for(getattr(world.users, role))
    for url in pages(kw):
        assert "RESTRICTED" not in text(client.get(url)), url
    assert client.get(f"/knowledge/practices/{kw.restricted.pk}/").status_code == 404
    assert client.get(f"/knowledge/practices/{kw.restricted.pk}/history/").status_code == 404


def test_each_role_lists_the_practices_it_may_see(world, kw, mw, client_for):
    everything = {
        "Election observation handbook",
        "UN-SHARED-PRACTICE",
        "INTERNAL-PRACTICE",
        "RESTRICTED-PRACTICE",
    }
    seen = {
        world.users.editor: everything,
        world.users.viewer: everything - {"RESTRICTED-PRACTICE"},
        world.users.partner: {"Election observation handbook", "UN-SHARED-PRACTICE"},
        mw.sco_partner: {"Election observation handbook"},
    }
    for user, expected in seen.items():
        response = client_for(user).get("/knowledge/practices/")
        assert titles(response) == expected, user
        assert result_count(response) == len(expected), user
    partner = client_for(world.users.partner)
    assert partner.get(f"/knowledge/practices/{kw.internal.pk}/").status_code == 404
    assert partner.get(f"/knowledge/practices/{kw.shared.pk}/").status_code == 200


def test_the_detail_page_shows_everything_of_the_practice(world, kw, client_for):
    response = client_for(world.users.viewer).get(f"/knowledge/practices/{kw.public.pk}/")
    page, seen = text(response), words(response)
    assert "Election observation handbook" in seen and "Best practice" in seen
    assert "How observers are trained." in seen
    # The body is Markdown made safe: bold is bold, a script is text at most.
    assert "<strong>Observers</strong>" in page
    assert "<script>alert(1)</script>" not in page
    assert "Human rights" in seen and "Conflict prevention" in seen
    assert "Central Asia" in seen
    assert f'href="{world.un.get_absolute_url()}">UN</a>' in page
    assert f'href="{world.sco.get_absolute_url()}">SCO</a>' in page
    assert 'datetime="2023-05-01"' in page
    assert "text-bg-success" in page and "Public" in seen
    # The share log: both entries, with the note.
    shares = page.split('id="shares"')[1].split("</section>")[0]
    assert "2023-06-01" in shares or "06/01/2023" in shares or "01.06.2023" in shares
    assert "SCO-SHARE-NOTE" in shares
    # A viewer changes nothing: no form, no remove link.
    assert "Log a share" not in page and "/delete/" not in page
    if commitment_pages():
        url = reverse("knowledge:commitment_detail", args=[kw.commitment.pk])
        assert f'href="{url}"' in page
    assert "Chapter VIII, para 3" in seen
    assert "RESTRICTED-COMMITMENT" not in page


def test_a_partner_sees_only_its_own_organizations_share_entries(world, kw, client_for):
    page = text(client_for(world.users.partner).get(f"/knowledge/practices/{kw.public.pk}/"))
    shares = page.split('id="shares"')[1].split("</section>")[0]
    assert ">UN</a>" in shares
    assert ">SCO</a>" not in shares and "SCO-SHARE-NOTE" not in page


def test_a_sample_practice_is_marked(world, kw, client_for):
    sample = services.practice_create(
        actor=None,
        kind="experience",
        title="Made-up practice",
        classification="public",
        is_sample=True,
    )
    client = client_for(world.users.viewer)
    assert "Illustrative sample data" in text(client.get("/knowledge/practices/"))
    page = words(client.get(f"/knowledge/practices/{sample.pk}/"))
    assert "Illustrative sample data" in page and "not a real one" in page
    assert "Illustrative sample data" not in text(
        client.get(f"/knowledge/practices/{kw.public.pk}/")
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=handbook", {"Election observation handbook"}),
        ("q=central+asia", {"Election observation handbook"}),
        ("kind=experience", {"UN-SHARED-PRACTICE"}),
        ("theme=human-rights", {"Election observation handbook"}),
        ("phase=conflict_prevention", {"Election observation handbook"}),
        ("phase=early_warning", set()),
        ("source=UN", {"Election observation handbook"}),
        ("source=SCO", set()),
        ("recipient=SCO", {"Election observation handbook"}),
        ("recipient=UN", set()),
        ("year=2022", {"UN-SHARED-PRACTICE"}),
        ("year=2023&kind=best_practice", {"Election observation handbook"}),
    ],
)
def test_the_filters_narrow_the_list(world, kw, client_for, query, expected):
    response = client_for(world.users.viewer).get(f"/knowledge/practices/?{query}")
    assert titles(response) == expected


def test_bad_filters_are_told_not_crashed(world, kw, client_for):
    client = client_for(world.users.viewer)
    for url in (
        "/knowledge/practices/?year=abc",
        "/knowledge/practices/?year=99999999999999999999",
        "/knowledge/practices/?source=NOPE",
        "/knowledge/practices/?recipient=%00",
        "/knowledge/practices/?theme=%00",
        "/knowledge/practices/?kind=sleeping",
        "/knowledge/practices/?phase=war",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "alert-warning" in text(response), url
    for url in (
        "/knowledge/practices/99999999999999999999/",
        "/knowledge/practices/abc/",
        "/knowledge/practices/0/",
    ):
        assert client.get(url).status_code == 404, url


def test_an_htmx_request_gets_the_results_only(world, kw, client_for):
    response = client_for(world.users.viewer).get(
        "/knowledge/practices/?kind=experience", HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    page = text(response)
    assert page.lstrip().startswith('<div id="results"')
    assert "UN-SHARED-PRACTICE" in page


def test_the_list_exports_what_it_shows(world, kw, client_for):
    viewer = client_for(world.users.viewer)
    response = viewer.get("/knowledge/practices/export/?format=csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Election observation handbook" in body and "INTERNAL-PRACTICE" in body
    assert "RESTRICTED" not in body
    assert "Central Asia" in body and "Human rights" in body and "SCO" in body
    response = viewer.get("/knowledge/practices/export/?format=csv&kind=experience")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "UN-SHARED-PRACTICE" in body and "Election observation handbook" not in body
    response = viewer.get("/knowledge/practices/export/?format=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxml")
    partner = client_for(world.users.partner).get("/knowledge/practices/export/?format=csv")
    body = b"".join(partner.streaming_content).decode("utf-8-sig")
    assert "UN-SHARED-PRACTICE" in body and "INTERNAL-PRACTICE" not in body
    assert 'href="/knowledge/practices/export/?format=csv' in text(
        viewer.get("/knowledge/practices/")
    )


def test_the_search_and_the_navbar_lead_to_the_practice_pages(world, kw, client_for):
    [hit] = search(world.users.viewer, "handbook").hits
    assert hit.url == f"/knowledge/practices/{kw.public.pk}/"
    page = text(client_for(world.users.viewer).get("/"))
    assert 'href="/knowledge/practices/"' in page


# ---------------------------------------------------------------- who may change what


def test_without_a_role_or_a_login_there_is_no_page(world, kw, client, client_for):
    url = f"/knowledge/practices/{kw.public.pk}/"
    assert client.get(url).status_code == 302  # to the login page
    assert client_for(world.users.norole).get(url).status_code == 403


@pytest.mark.parametrize("role", ["viewer", "partner"])
def test_viewers_and_partners_change_nothing(world, kw, client_for, role):
    client = client_for(getattr(world.users, role))
    pk, share = kw.public.pk, kw.un_share.pk
    for url in (
        "/knowledge/practices/add/",
        f"/knowledge/practices/{pk}/edit/",
        f"/knowledge/practices/{pk}/delete/",
        f"/knowledge/practices/{pk}/shares/",
        f"/knowledge/practices/{pk}/shares/{share}/delete/",
    ):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"version": 1}).status_code == 403, url
    response = client.post(
        f"/knowledge/practices/{pk}/shares/", {"organization": world.sco.pk, "note": "x"}
    )
    assert response.status_code == 403
    assert client.post(f"/knowledge/practices/{pk}/history/", {}).status_code == 403
    page = text(client.get("/knowledge/practices/"))
    assert 'href="/knowledge/practices/add/"' not in page
    detail = text(client.get(f"/knowledge/practices/{pk}/"))
    assert "/edit/" not in detail and "/delete/" not in detail
    assert PracticeShare.objects.count() == 2


def test_the_editor_sees_the_editing_controls(world, kw, client_for):
    client = client_for(world.users.editor)
    assert 'href="/knowledge/practices/add/"' in text(client.get("/knowledge/practices/"))
    page = text(client.get(f"/knowledge/practices/{kw.public.pk}/"))
    assert f'href="/knowledge/practices/{kw.public.pk}/edit/"' in page
    assert f'href="/knowledge/practices/{kw.public.pk}/delete/"' in page
    assert f'href="/knowledge/practices/{kw.public.pk}/shares/{kw.sco_share.pk}/delete/"' in page
    assert "Log a share" in page
    restricted = text(client.get(f"/knowledge/practices/{kw.restricted.pk}/"))
    assert "Log a share" not in restricted
    assert "A restricted practice cannot be shared" in restricted


# ---------------------------------------------------------------- writing


def test_a_practice_round_trip(world, kw, client_for):
    client = client_for(world.users.editor)
    assert client.get("/knowledge/practices/add/").status_code == 200
    response = client.post("/knowledge/practices/add/", practice_data(world, kw))
    assert response.status_code == 302, errors(response)
    practice = Practice.objects.get(title="Mediation in border disputes")
    assert response["Location"] == f"/knowledge/practices/{practice.pk}/"
    assert practice.phases == ["early_warning", "crisis_management"]
    assert practice.source_organization == world.osce
    assert list(practice.recipient_organizations.all()) == [world.un]
    assert list(practice.shared_with.all()) == [world.un]
    assert practice.date == day(2024, 4, 2)
    assert practice.history.first().history_user == world.users.editor
    # The edit form shows it as stored; a change is saved and written to the history.
    form = text(client.get(f"/knowledge/practices/{practice.pk}/edit/"))
    assert 'value="Mediation in border disputes"' in form
    assert f'name="version" value="{practice.version}"' in form
    assert 'value="crisis_management" class="form-check-input" id="id_phases_2" checked' in form
    response = client.post(
        f"/knowledge/practices/{practice.pk}/edit/",
        practice_data(world, kw, title="Mediation (revised)", version=practice.version),
    )
    assert response.status_code == 302, errors(response)
    practice.refresh_from_db()
    assert practice.title == "Mediation (revised)" and practice.version == 2
    history = words(client.get(f"/knowledge/practices/{practice.pk}/history/"))
    assert "Mediation (revised)" in history and "Mediation in border disputes" in history


@pytest.mark.parametrize(
    ("changes", "field_error"),
    [
        ({"title": ""}, "This field is required."),
        ({"kind": "rumour"}, "Select a valid choice."),
        ({"phases": ["war"]}, "Select a valid choice."),
        ({"date": "31.31.2024"}, "Enter a valid date"),
        ({"source_organization": "99999999999999999999"}, "Select a valid choice."),
        ({"classification": "secret"}, "Select a valid choice."),
    ],
)
def test_bad_practice_input_is_a_form_error(world, kw, client_for, changes, field_error):
    client = client_for(world.users.editor)
    response = client.post("/knowledge/practices/add/", practice_data(world, kw, **changes))
    assert response.status_code == 400
    assert field_error in text(response)
    assert not Practice.objects.filter(title="Mediation in border disputes").exists()


def test_a_stale_practice_edit_is_a_conflict_not_an_overwrite(world, kw, client_for):
    client = client_for(world.users.editor)
    practice = kw.public
    opened = practice.version
    # Someone else changes the region and the phases after this user opened the form.
    services.practice_update(
        actor=world.users.admin,
        practice=practice,
        expected_version=None,
        region="Geneva region",
        phases=["crisis_management"],
    )
    data = practice_data(
        world,
        kw,
        title="Election observation handbook (renamed)",
        region="Central Asia",
        phases=["conflict_prevention"],
        kind="best_practice",
        source_organization=world.un.pk,
        recipient_organizations=[world.sco.pk],
        date="2023-05-01",
        summary="How observers are trained.",
        body=practice.body,
        classification="public",
        shared_with=[],
        version=opened,
    )
    response = client.post(f"/knowledge/practices/{practice.pk}/edit/", data)
    assert response.status_code == 409
    practice.refresh_from_db()
    assert practice.title == "Election observation handbook"
    assert practice.region == "Geneva region"
    page = text(response)
    assert "Someone else changed this record" in page
    assert f'name="version" value="{practice.version}"' in page
    # Only they changed the phases (to theirs), so their value is in the form again.
    assert 'value="crisis_management" class="form-check-input" id="id_phases_2" checked' in page
    # Saving again at the current version keeps both changes.
    merged = dict(data, version=practice.version, region="Geneva region")
    merged["phases"] = ["crisis_management"]
    response = client.post(f"/knowledge/practices/{practice.pk}/edit/", merged)
    assert response.status_code == 302, errors(response)
    practice.refresh_from_db()
    assert practice.title == "Election observation handbook (renamed)"
    assert practice.phases == ["crisis_management"]


def test_deleting_a_practice_can_be_undone(world, kw, client_for):
    client = client_for(world.users.editor)
    url = f"/knowledge/practices/{kw.public.pk}/delete/"
    page = words(client.get(url))
    assert "Delete Election observation handbook?" in page
    assert "practices shared" in page  # the share log goes with it
    stale = client.post(url, {"version": kw.public.version - 1 or 99})
    assert stale.status_code == 409 and Practice.objects.filter(pk=kw.public.pk).exists()
    response = client.post(url, {"version": Practice.objects.get(pk=kw.public.pk).version})
    assert response.status_code == 302 and response["Location"] == "/knowledge/practices/"
    assert not Practice.objects.filter(pk=kw.public.pk).exists()
    assert not PracticeShare.objects.filter(practice_id=kw.public.pk).exists()
    deletion = Deletion.objects.latest("pk")
    response = client.post(f"/deleted/{deletion.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/knowledge/practices/{kw.public.pk}/"
    assert PracticeShare.objects.filter(practice_id=kw.public.pk).count() == 2
    assert "SCO-SHARE-NOTE" in text(client.get(response["Location"]))


def test_an_earlier_version_is_restored_from_the_history(world, kw, client_for):
    client = client_for(world.users.editor)
    practice = kw.shared
    services.practice_update(
        actor=world.users.editor, practice=practice, expected_version=None, title="Renamed"
    )
    practice.refresh_from_db()
    first = practice.history.order_by("history_id").first()
    response = client.post(
        f"/knowledge/practices/{practice.pk}/history/",
        {"history_id": first.history_id, "version": practice.version},
    )
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.title == "UN-SHARED-PRACTICE"


def test_a_share_is_logged_and_removed_from_the_practice_page(world, kw, client_for):
    client = client_for(world.users.editor)
    practice = kw.internal
    url = f"/knowledge/practices/{practice.pk}/shares/"
    response = client.post(
        url, {"organization": world.sco.pk, "shared_on": "2024-05-06", "note": "At the talks"}
    )
    assert response.status_code == 302, errors(response)
    assert response["Location"] == f"/knowledge/practices/{practice.pk}/#shares"
    share = PracticeShare.objects.get(practice=practice)
    assert (share.organization, share.shared_on, share.note) == (
        world.sco,
        day(2024, 5, 6),
        "At the talks",
    )
    assert share.shared_by == world.users.editor
    # An internal practice shared is seen by the organization's focal points.
    assert list(Practice.objects.get(pk=practice.pk).shared_with.all()) == [world.sco]
    page = words(client.get(f"/knowledge/practices/{practice.pk}/"))
    assert "At the talks" in page and "editor" in page
    # Without a date it is today's.
    response = client.post(url, {"organization": world.un.pk})
    assert response.status_code == 302
    assert PracticeShare.objects.filter(practice=practice).count() == 2
    # Removing an entry: a confirm page, then the entry is gone (and can be brought back).
    delete_url = f"/knowledge/practices/{practice.pk}/shares/{share.pk}/delete/"
    assert client.get(delete_url).status_code == 200
    response = client.post(delete_url, {"version": share.version})
    assert response.status_code == 302
    assert response["Location"] == f"/knowledge/practices/{practice.pk}/#shares"
    assert not PracticeShare.objects.filter(pk=share.pk).exists()
    # The entry of another practice is not found under this one.
    other = f"/knowledge/practices/{practice.pk}/shares/{kw.un_share.pk}/delete/"
    assert client.get(other).status_code == 404
    huge = f"/knowledge/practices/{practice.pk}/shares/99999999999999999999/delete/"
    assert client.get(huge).status_code == 404


def test_a_bad_share_is_a_form_error_on_the_practice_page(world, kw, client_for):
    client = client_for(world.users.editor)
    url = f"/knowledge/practices/{kw.internal.pk}/shares/"
    response = client.post(url, {"organization": "", "shared_on": "yesterday"})
    assert response.status_code == 400
    page = text(response)
    assert "This field is required." in page and "Enter a valid date" in page
    assert "INTERNAL-PRACTICE" in page
    # The home organization is not a partner to share with.
    response = client.post(url, {"organization": world.osce.pk})
    assert response.status_code == 400
    # A restricted practice is refused with the reason.
    response = client.post(
        f"/knowledge/practices/{kw.restricted.pk}/shares/", {"organization": world.un.pk}
    )
    assert response.status_code == 400
    assert "A restricted practice cannot be shared" in text(response)
    assert not PracticeShare.objects.filter(practice=kw.internal).exists()
    assert not PracticeShare.objects.filter(practice=kw.restricted).exists()
    # A GET of the share address is the practice's page with its share form open.
    response = client.get(url)
    assert response.status_code == 200 and '<details id="add-share" open>' in text(response)


# ---------------------------------------------------------------- query budget


class Grower:
    """Practices with everything the list shows, and one practice whose page grows: themes,
    recipients, share-log entries and commitments."""

    def __init__(self, world, kw):
        self.world, self.kw = world, kw
        self.n = 0
        self.big = services.practice_create(
            actor=None,
            kind="experience",
            title="BIG",
            body="*grows*",
            source_organization=world.un,
            date=day(2024, 1, 1),
            classification="public",
        )

    def grow(self, n):
        from accord.registry import services as registry
        from accord.taxonomy.models import Theme

        world, kw = self.world, self.kw
        while self.n < n:
            i = self.n
            self.n += 1
            org = registry.organization_create(
                actor=None, acronym=f"ORG{i}", name=f"Organization {i}", kind="regional"
            )
            theme = Theme.objects.create(
                name=f"Theme {i}", slug=f"theme-{i}", parent=kw.rights, dimension="human"
            )
            services.practice_create(
                actor=None,
                kind="best_practice",
                title=f"Practice {i}",
                themes=[kw.rights, theme],
                phases=["early_warning"],
                source_organization=org,
                recipient_organizations=[world.sco, org],
                date=day(2024, 1, 1 + i % 28),
                classification="public",
            )
            services.practice_update(
                actor=None,
                practice=self.big,
                expected_version=None,
                themes=[*self.big.themes.all(), theme],
                recipient_organizations=[*self.big.recipient_organizations.all(), org],
            )
            services.practice_share(
                actor=None,
                practice=self.big,
                organization=org,
                shared_on=day(2024, 2, 1),
                note=f"Note {i}",
            )
            services.commitment_create(
                actor=None, document=world.doc, text=f"Commitment {i}", practices=[self.big]
            )


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def budget_pages(grower):
    return [
        "/knowledge/practices/",
        "/knowledge/practices/?per_page=50",
        "/knowledge/practices/?theme=human-rights&phase=early_warning&recipient=SCO&sort=source_organization",
        f"/knowledge/practices/{grower.big.pk}/",
    ]


@pytest.mark.parametrize("role", ["editor", "viewer", "partner"])
def test_practice_pages_cost_the_same_with_3_or_30_rows(world, kw, client_for, role):
    grower = Grower(world, kw)
    client = client_for(getattr(world.users, role))
    # Once before counting: what a process looks up once (content types) is looked up.
    grower.grow(SMALL - 1)
    for url in budget_pages(grower):
        count(client, url)
    grower.grow(SMALL)
    small = {url: count(client, url) for url in budget_pages(grower)}
    grower.grow(LARGE)
    large = {url: count(client, url) for url in budget_pages(grower)}
    assert large == small
    # And the pages show them all.
    listing = words(client.get("/knowledge/practices/?per_page=50"))
    assert "Practice 29" in listing and "ORG29" in listing and "Theme 29" in listing
    page = words(client.get(f"/knowledge/practices/{grower.big.pk}/"))
    assert "Theme 29" in page and "ORG29" in page and "Commitment 29" in page
    if role != "partner":  # a partner sees its own organization's entries only
        assert "Note 29" in page
