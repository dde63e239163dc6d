"""A stale edit shows the other person's version beside yours, field by field, on every form."""

import datetime
import re

import pytest
from django.forms import CheckboxInput

from accord.core import conflicts
from accord.core.choices import Role
from accord.core.conflicts import Outcome
from accord.registry import services
from accord.registry.models import (
    Country,
    FrameworkDocument,
    Membership,
    Organization,
    Partnership,
    Person,
)
from conftest import make_user

from .test_conflict import logged_in, open_form

LONG_BEFORE = "The participating States adopted the document at the summit in Helsinki."
LONG_THEIRS = "The participating States adopted the document at the July summit in Helsinki."
LONG_MINE = "The participating States adopted this document at the summit in Helsinki, Finland."


def form_data(response) -> dict:
    """What the form on an edit page would submit as it stands."""
    data = {}
    for field in response.context["form"]:
        if field.field.disabled:
            continue
        value = field.field.prepare_value(field.value())
        if isinstance(field.field.widget, CheckboxInput):
            if value:
                data[field.name] = "on"
            continue
        data[field.name] = "" if value is None else value
    return data


def membership(world):
    return Membership.objects.get(organization=world.osce, country__iso3="FRA")


# Per form: the page, and the fields each editor changes. A and B both change (a conflict:
# Bob takes theirs for A and keeps his for B), C only Bob, D only Alice (merged by itself).
CASES = {
    "organization": (
        lambda w: "/organizations/UN/edit/",
        lambda w: Organization.objects.get(acronym="UN"),
        ("headquarters", "Geneva", "Nairobi"),
        ("name", "United Nations A", "United Nations B"),
        ("source", "Bob's source"),
        ("founded", 1944),
    ),
    "country": (
        lambda w: "/countries/FRA/edit/",
        lambda w: Country.objects.get(iso3="FRA"),
        ("capital", "Paris A", "Paris B"),
        ("name", "France A", "France B"),
        ("official_name", "French Republic (Bob)"),
        ("capital_lat", 48.86),
    ),
    "membership": (
        lambda w: f"/memberships/{membership(w).pk}/edit/",
        membership,
        ("status", "associate", "observer"),
        ("note", "Alice's note", "Bob's note"),
        ("source", "Bob's source"),
        ("valid_to", datetime.date(2030, 1, 1)),
    ),
    "partnership": (
        lambda w: f"/partnerships/{w.p_un.pk}/edit/",
        lambda w: Partnership.objects.get(pk=w.p_un.pk),
        ("priority", "low", "medium"),
        ("notes", "Alice's notes", "Bob's notes"),
        ("type", "thematic"),
        ("status", "dormant"),
    ),
    "person": (
        lambda w: f"/people/{w.shared_person.pk}/edit/",
        lambda w: Person.objects.get(pk=w.shared_person.pk),
        ("title", "Liaison officer", "Head of office"),
        ("phone", "+43 1 111", "+43 1 222"),
        ("email", "una@example.org"),
        ("role", "Focal point"),
    ),
    "document": (
        lambda w: f"/documents/{w.doc.pk}/edit/",
        lambda w: FrameworkDocument.objects.get(pk=w.doc.pk),
        ("place", "Helsinki A", "Helsinki B"),
        ("title", "Helsinki Document A", "Helsinki Document B"),
        ("year", 1993),
        ("source", "Alice's source"),
    ),
}


@pytest.fixture
def bob(world, django_user_model):
    user = make_user(django_user_model, "bob", Role.EDITOR)
    user.first_name, user.last_name = "Bob", "Builder"
    user.save()
    return user


@pytest.fixture
def alice(world):
    world.users.editor.first_name, world.users.editor.last_name = "Anna", "Smith"
    world.users.editor.save()
    return world.users.editor


def as_form_value(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


@pytest.mark.parametrize("kind", CASES)
def test_a_stale_save_shows_theirs_beside_yours_and_saves_the_chosen_mix(world, alice, bob, kind):
    url_of, fetch, (a, a_alice, a_bob), (b, b_alice, b_bob), (c, c_bob), (d, d_alice) = CASES[kind]
    url = url_of(world)
    alice_client, bob_client = logged_in(alice), logged_in(bob)
    alice_form, bob_form = open_form(alice_client, url), open_form(bob_client, url)
    saved = alice_client.post(
        url, {**alice_form, a: a_alice, b: b_alice, d: as_form_value(d_alice)}
    )
    assert saved.status_code == 302, saved.content.decode()[:2000]
    history_before = fetch(world).history.count()

    response = bob_client.post(url, {**bob_form, a: a_bob, b: b_bob, c: c_bob})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else changed this record while you were editing it" in page
    assert "Theirs" in page and "Yours" in page
    comparison = response.context["comparison"]
    outcomes = {f.name: f.outcome for f in comparison.fields}
    assert outcomes == {
        a: Outcome.CONFLICT,
        b: Outcome.CONFLICT,
        c: Outcome.MINE,
        d: Outcome.THEIRS,
    }
    assert f'name="resolve-{a}"' in page and f'name="resolve-{b}"' in page
    assert f'name="resolve-{c}"' not in page and f'name="resolve-{d}"' not in page
    assert "Changed by Anna Smith at" in page
    # The form is shown again at the current version, Alice's change merged in, Bob's kept.
    again = form_data(response)
    assert str(again["version"]) == "2"
    assert str(again[d]) == str(as_form_value(d_alice))
    assert again[c] == c_bob and again[a] == a_bob

    # Bob takes Alice's value for A and keeps his own for B.
    response = bob_client.post(url, {**again, f"resolve-{a}": "theirs", f"resolve-{b}": "mine"})
    assert response.status_code == 302, response.content.decode()[:3000]
    record = fetch(world)
    assert getattr(record, a) == a_alice
    assert getattr(record, b) == b_bob
    assert getattr(record, c) == c_bob
    assert getattr(record, d) == d_alice
    assert record.version == 3
    assert record.history.count() == history_before + 1
    assert record.history.first().history_user == bob


def test_long_texts_are_compared_word_by_word(world, alice, bob):
    services.document_update(
        actor=None, document=world.doc, expected_version=1, description=LONG_BEFORE
    )
    url = f"/documents/{world.doc.pk}/edit/"
    alice_client, bob_client = logged_in(alice), logged_in(bob)
    alice_form, bob_form = open_form(alice_client, url), open_form(bob_client, url)
    assert alice_client.post(url, {**alice_form, "description": LONG_THEIRS}).status_code == 302
    response = bob_client.post(url, {**bob_form, "description": LONG_MINE})
    assert response.status_code == 409
    (field,) = response.context["comparison"].fields
    assert field.words
    assert '<ins class="diff-ins">July </ins>' in str(field.theirs)
    assert '<ins class="diff-ins">this</ins>' in str(field.mine)
    assert field.base == LONG_BEFORE
    page = response.content.decode()
    assert '<ins class="diff-ins">July </ins>' in page


def test_a_third_change_meanwhile_is_compared_again(world, alice, bob, django_user_model):
    carol = logged_in(make_user(django_user_model, "carol", Role.EDITOR))
    url = "/organizations/UN/edit/"
    alice_client, bob_client = logged_in(alice), logged_in(bob)
    alice_form, bob_form = open_form(alice_client, url), open_form(bob_client, url)
    assert alice_client.post(url, {**alice_form, "headquarters": "Geneva"}).status_code == 302
    response = bob_client.post(url, {**bob_form, "headquarters": "Nairobi"})
    assert response.status_code == 409
    again = form_data(response)

    carol_form = open_form(carol, url)
    assert (
        carol.post(url, {**carol_form, "headquarters": "Vienna", "founded": 1940}).status_code
        == 302
    )

    # Bob took Alice's Geneva; Carol's Vienna came in meanwhile: compared again from version 2.
    response = bob_client.post(url, {**again, "resolve-headquarters": "theirs"})
    assert response.status_code == 409
    comparison = response.context["comparison"]
    fields = {f.name: f for f in comparison.fields}
    assert fields["headquarters"].outcome == Outcome.THEIRS  # Bob's choice was Alice's value
    assert fields["headquarters"].theirs == "Vienna"
    assert fields["founded"].outcome == Outcome.THEIRS
    assert comparison.current_version == 3
    response = bob_client.post(url, form_data(response))
    assert response.status_code == 302
    un = Organization.objects.get(acronym="UN")
    assert (un.headquarters, un.founded, un.version) == ("Vienna", 1940, 4)


def test_related_records_are_shown_by_name_never_by_id(world, alice, bob):
    url = f"/people/{world.shared_person.pk}/edit/"
    alice_client, bob_client = logged_in(alice), logged_in(bob)
    alice_form, bob_form = open_form(alice_client, url), open_form(bob_client, url)
    alice_form["organization"] = world.osce.pk
    assert alice_client.post(url, alice_form).status_code == 302
    response = bob_client.post(url, {**bob_form, "organization": world.sco.pk})
    assert response.status_code == 409
    (field,) = response.context["comparison"].fields
    assert (field.theirs, field.mine, field.base) == (
        str(world.osce),
        str(world.sco),
        str(world.un),
    )
    section = response.content.decode().split('id="conflict-heading"')[1].split("<label")[0]
    for pk in (world.osce.pk, world.sco.pk, world.un.pk):
        assert not re.search(rf">\s*{pk}\s*<", section)


def test_a_related_record_hidden_from_the_user_is_left_out(world, alice):
    """The comparison names related records through the policy, as every page does."""
    services.partnership_update(
        actor=alice,
        partnership=world.p_un,
        expected_version=1,
        basis=[world.doc, world.secret_doc],
        notes="Alice",
    )
    p_un = Partnership.objects.get(pk=world.p_un.pk)
    mine = {"basis": [world.doc], "notes": "Mine"}
    for user, secret_shown in ((world.users.viewer, False), (alice, True)):
        comparison = conflicts.compare(p_un, user=user, base_version=1, mine=mine)
        basis = {f.name: f for f in comparison.fields}["basis"]
        assert ("RESTRICTED-MEMO" in basis.theirs) is secret_shown
        assert "Helsinki Document 1992" in basis.theirs


def test_a_viewer_cannot_post_an_edit_form(world):
    viewer = logged_in(world.users.viewer)
    response = viewer.post(
        "/organizations/UN/edit/", {"version": 1, "resolve-name": "theirs", "name": "X"}
    )
    assert response.status_code == 403
    assert Organization.objects.get(acronym="UN").name == "United Nations"


@pytest.mark.parametrize("choice", ["theirs", "mine", "", "nonsense", "x" * 5000])
def test_odd_choices_and_versions_are_not_a_server_error(world, alice, bob, choice):
    url = "/organizations/UN/edit/"
    form = open_form(logged_in(bob), url)
    services.organization_update(
        actor=alice, organization=world.un, expected_version=1, headquarters="Geneva"
    )
    client = logged_in(bob)
    for version in ("1", "", "abc", "99999999999999999999999"):
        response = client.post(
            url, {**form, "version": version, "resolve-headquarters": choice, "resolve-id": choice}
        )
        assert response.status_code in (400, 409)
    assert Organization.objects.get(acronym="UN").headquarters == "Geneva"


def test_stale_api_patch_names_the_changed_fields_and_the_version(world, alice, client):
    client.force_login(alice)
    services.organization_update(
        actor=alice, organization=world.un, expected_version=1, headquarters="Geneva", founded=1944
    )
    response = client.patch(
        "/api/v1/organizations/UN",
        {"version": 1, "name": "United Nations (API)"},
        content_type="application/json",
    )
    assert response.status_code == 409
    body = response.json()
    assert body["current_version"] == 2
    assert sorted(body["changed_fields"]) == ["founded", "headquarters"]
    assert "Geneva" not in response.content.decode()
    assert "Someone else changed this record" in body["detail"]


def test_stale_api_patch_of_links(world, alice, client):
    client.force_login(alice)
    services.partnership_update(
        actor=alice, partnership=world.p_un, expected_version=1, basis=[], shared_with=[world.un]
    )
    response = client.patch(
        f"/api/v1/partnerships/{world.p_un.pk}",
        {"version": 1, "notes": "x"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert sorted(response.json()["changed_fields"]) == ["basis", "shared_with"]


def stale_post_queries(world, alice, bob, changes: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = f"/partnerships/{world.p_un.pk}/edit/"
    client = logged_in(bob)
    form = open_form(client, url)
    version = Partnership.objects.get(pk=world.p_un.pk).version
    for i in range(changes):
        services.partnership_update(
            actor=alice,
            partnership=world.p_un,
            expected_version=version + i,
            notes=f"Change {i}",
            basis=[world.doc, world.secret_doc] if i % 2 else [world.doc],
            shared_with=[world.un] if i % 2 else [],
        )
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {**form, "notes": "Bob", "priority": "low"})
    assert response.status_code == 409
    return len(queries)


def test_a_stale_post_costs_the_same_queries_after_one_change_or_many(world, alice, bob):
    few = stale_post_queries(world, alice, bob, 1)
    many = stale_post_queries(world, alice, bob, 13)
    assert few == many


def test_the_comparison_is_translated(world, alice, bob):
    from django.conf import settings

    url = "/organizations/UN/edit/"
    alice_client, bob_client = logged_in(alice), logged_in(bob)
    alice_form, bob_form = open_form(alice_client, url), open_form(bob_client, url)
    assert alice_client.post(url, {**alice_form, "headquarters": "Geneva"}).status_code == 302
    bob_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    response = bob_client.post(url, {**bob_form, "headquarters": "Nairobi", "source": "x"})
    assert response.status_code == 409
    page = response.content.decode()
    for text in ("Взять их", "Оставить моё", "Их версия", "Ваша версия", "Изменено: Anna Smith"):
        assert text in page
    assert "Take theirs" not in page
