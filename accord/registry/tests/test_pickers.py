"""Pickers: the search behind them (/pick/<kind>/), the policy, bad input, and query counts."""

import re

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accord.core.widgets import MultiPicker, Picker
from accord.registry import services
from accord.registry.models import FrameworkDocument, Organization, Person

from .test_query_counts import Hub


def pick(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.content)
    return response.json()


def texts(answer) -> list[str]:
    return [row["text"] for row in answer["results"]]


def test_countries_are_found_by_name_and_code_best_first(world, client_for):
    client = client_for(world.users.viewer)
    found = texts(pick(client, "/pick/countries/?q=ger"))
    assert found[0] == "Germany"
    assert {"Algeria", "Niger", "Nigeria"} <= set(found)
    # By ISO code, which the label does not show: only the server can find it.
    assert texts(pick(client, "/pick/countries/?q=CHN")) == ["China"]
    value = pick(client, "/pick/countries/?q=FRA&key=iso3")["results"][0]["value"]
    assert value == "FRA"


def test_organizations_are_found_by_acronym_name_and_former_name(world, client_for):
    client = client_for(world.users.viewer)
    services.organization_update(
        actor=None,
        organization=world.sco,
        expected_version=world.sco.version,
        former_names=["Shanghai Five"],
    )
    assert texts(pick(client, "/pick/organizations/?q=shanghai five")) == [
        "SCO — Shanghai Cooperation Organisation"
    ]
    answer = pick(client, "/pick/organizations/?q=un&key=acronym")
    assert answer["results"][0] == {"value": "UN", "text": "UN — United Nations"}
    # Whom a record is shared with: never the home organization.
    assert "OSCE" not in str(pick(client, "/pick/partners/?q=osce"))


@pytest.mark.parametrize(
    ("role", "people", "documents", "partnerships"),
    [
        (
            "editor",
            {"Una Shared (UN)", "Ivo Internal (OSCE)", "RESTRICTED-PERSON (OSCE)"},
            {"Helsinki Document 1992 (1992)", "RESTRICTED-MEMO (2020)"},
            {"OSCE – UN", "OSCE – SCO"},
        ),
        (
            "viewer",
            {"Una Shared (UN)", "Ivo Internal (OSCE)"},
            {"Helsinki Document 1992 (1992)"},
            {"OSCE – UN"},
        ),
        ("partner", {"Una Shared (UN)"}, {"Helsinki Document 1992 (1992)"}, {"OSCE – UN"}),
    ],
)
def test_pickers_offer_only_what_the_user_may_see(
    world, client_for, role, people, documents, partnerships
):
    client = client_for(getattr(world.users, role))
    assert set(texts(pick(client, "/pick/people/"))) == people
    assert set(texts(pick(client, "/pick/documents/"))) == documents
    assert set(texts(pick(client, "/pick/partnerships/"))) == partnerships
    # Searching for a hidden record by its exact name finds nothing, as for a missing one.
    searches = [
        ("/pick/people/?q=Ivo", "Ivo Internal (OSCE)", people),
        ("/pick/people/?q=RESTRICTED", "RESTRICTED-PERSON (OSCE)", people),
        ("/pick/documents/?q=MEMO", "RESTRICTED-MEMO (2020)", documents),
        ("/pick/partnerships/?q=SCO", "OSCE – SCO", partnerships),
    ]
    for url, name, visible in searches:
        answer = pick(client, url)
        expected = {"results": [], "more": False} if name not in visible else answer
        assert answer == expected, (role, url)
        assert (name in texts(answer)) == (name in visible), (role, url)


def test_a_user_without_a_role_or_a_session_gets_nothing(world, client, client_for):
    response = client.get("/pick/people/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    response = client_for(world.users.norole).get("/pick/people/?q=Una")
    assert response.status_code == 403
    assert b"Una Shared" not in response.content


@pytest.mark.parametrize(
    ("query", "status", "names"),
    [
        ("q=" + "x" * 101, 400, "q:"),
        ("q=%00", 400, "q:"),
        ("page=0", 400, "page:"),
        ("page=-1", 400, "page:"),
        ("page=abc", 400, "page:"),
        ("page=99999999999999999999", 400, "page:"),
        ("page=501", 400, "page:"),
        ("key=email", 400, "key:"),
        ("key=%00", 400, "key:"),
    ],
)
def test_bad_input_is_a_clear_400(world, client_for, query, status, names):
    response = client_for(world.users.editor).get(f"/pick/organizations/?{query}")
    assert response.status_code == status
    assert response.json()["detail"].startswith(names)


def test_odd_but_valid_queries_are_answered(world, client_for):
    client = client_for(world.users.editor)
    for query in ("%25", "_", "'; DROP TABLE x; --", "Ü🙂", "  ", "x" * 100, "\\"):
        response = client.get("/pick/organizations/", {"q": query})
        assert response.status_code == 200, query
    assert client.get("/pick/unknown-kind/").status_code == 404
    assert client.get("/pick/unknown-kind/").json()["detail"]
    assert client.post("/pick/countries/").status_code == 405


def test_pages_of_twenty_say_when_there_is_more(world, client_for):
    client = client_for(world.users.viewer)
    first = pick(client, "/pick/countries/")
    assert len(first["results"]) == 20 and first["more"] is True
    second = pick(client, "/pick/countries/?page=2")
    assert not {r["value"] for r in first["results"]} & {r["value"] for r in second["results"]}
    last = pick(client, "/pick/countries/?page=500")
    assert last == {"results": [], "more": False}


# ---------------------------------------------------------------- the widget in a form


class SharingForm(forms.Form):
    people = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(), widget=MultiPicker(kind="people"), required=False
    )
    document = forms.ModelChoiceField(
        queryset=FrameworkDocument.objects.none(), widget=Picker(kind="documents"), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = Person.objects.visible_to(user)
        self.fields["document"].queryset = FrameworkDocument.objects.visible_to(user)


@pytest.mark.parametrize("inline_max", [300, 0])
def test_a_hidden_selected_value_renders_without_its_label(world, settings, inline_max):
    """Short lists render every visible option; long ones the selected visible ones only."""
    settings.ACCORD_PICKER_INLINE_MAX = inline_max
    data = {
        "people": [world.shared_person.pk, world.internal_person.pk, world.restricted_person.pk],
        "document": str(world.secret_doc.pk),
    }
    html = SharingForm(data, user=world.users.partner).as_div()
    assert "Una Shared" in html
    for secret in ("Ivo Internal", "RESTRICTED-PERSON", "RESTRICTED-MEMO"):
        assert secret not in html
    assert f'value="{world.internal_person.pk}"' not in html
    remote = 'data-picker-url="/pick/people/"' in html
    assert remote == (inline_max == 0)
    assert ("Helsinki" in html) == (inline_max == 300)  # visible, not selected


def test_junk_selected_values_render_nothing_and_cost_no_error(world):
    data = {"people": ["abc", "99999999999999999999999", "\x00", "-1", ""], "document": "x" * 500}
    form = SharingForm(data, user=world.users.editor)
    html = form.as_div()
    assert not form.is_valid()
    people = html.split('name="people"')[1].split("</select>")[0]
    assert "selected" not in people


def test_the_membership_form_shows_its_pickers_labelled(world, client_for, settings):
    client = client_for(world.users.editor)
    html = client.get("/memberships/add/?organization=OSCE").content.decode()
    assert 'data-picker="countries"' in html and 'data-picker="organizations"' in html
    assert '<label class="form-label" for="id_country">' in html
    assert html.count("<option") > 200  # every country, for use without JavaScript
    settings.ACCORD_PICKER_INLINE_MAX = 2
    html = client.get("/memberships/add/?organization=OSCE").content.decode()
    organization = html.split('name="organization"')[1].split("</select>")[0]
    assert 'data-picker-url="/pick/organizations/"' in organization
    assert re.findall(r"<option[^>]*>([^<]*)", organization) == [
        "---------",
        "OSCE — Organization for Security and Co-operation in Europe",
    ]
    # A stale or bad value on a bound form renders as a form error, not a page error.
    response = client.post(
        "/memberships/add/", {"organization": "99999999999999999999999", "country": "abc"}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_the_people_filter_keeps_its_chosen_organization(world, client_for, settings):
    settings.ACCORD_PICKER_INLINE_MAX = 1
    html = client_for(world.users.viewer).get("/people/?organization=UN").content.decode()
    select = html.split('name="organization"')[1].split("</select>")[0]
    assert 'data-picker-url="/pick/organizations/?key=acronym"' in select
    assert re.findall(r"<option[^>]*>([^<]*)", select) == ["All", "UN — United Nations"]
    assert "Una Shared" in html and "Ivo Internal" not in html


# ---------------------------------------------------------------- query counts


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


@pytest.mark.parametrize("role", ["editor", "partner"])
def test_searches_cost_the_same_at_5_and_100_rows(world, client_for, role):
    hub = Hub(world)
    client = client_for(getattr(world.users, role))
    urls = [
        "/pick/organizations/?q=o",
        "/pick/partners/?q=o&page=2",
        "/pick/people/?q=e",
        "/pick/documents/?q=d",
        "/pick/partnerships/?q=u",
        "/pick/countries/?q=a",
    ]
    for url in urls:
        client.get(url)  # warm per-process caches
    counts = {}
    for n in (5, 100):
        hub.grow_organizations(n)
        hub.grow_people(n)
        hub.grow_documents(n)
        hub.grow_partnerships(n)
        counts[n] = {url: count(client, url) for url in urls}
    assert counts[5] == counts[100]


@pytest.mark.parametrize("inline_max", [300, 3])
def test_forms_with_pickers_cost_the_same_at_5_and_100_choices(
    world, client_for, settings, inline_max
):
    settings.ACCORD_PICKER_INLINE_MAX = inline_max
    hub = Hub(world)
    client = client_for(world.users.editor)
    partnership = hub.main_partnership
    person = hub.main_person
    urls = [
        f"/partnerships/{partnership.pk}/edit/",
        f"/people/{person.pk}/edit/",
        "/memberships/add/?organization=HUB",
        "/organizations/HUB/edit/",
        "/people/?organization=HUB",
    ]
    for url in urls:
        client.get(url)
    counts = {}
    for n in (5, 100):
        hub.grow_documents(n)
        hub.grow_organizations(n)
        hub.grow_partnerships(n)
        partnership.refresh_from_db()
        partnership = services.partnership_update(
            actor=world.users.editor,
            partnership=partnership,
            expected_version=partnership.version,
            basis=hub.documents[:n],
            shared_with=hub.partners[:n],
        )
        counts[n] = {url: count(client, url) for url in urls}
        page = client.get(f"/partnerships/{partnership.pk}/edit/").content.decode()
        # Every chosen document and partner shows with its label, whatever the list's size.
        assert all(d.title in page for d in hub.documents[:n])
        assert all(o.acronym in page for o in hub.partners[:n])
    assert counts[5] == counts[100]
    assert Organization.objects.count() > 100
