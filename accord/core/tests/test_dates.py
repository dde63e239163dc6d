"""One date format per interface language, in text and in inputs; addresses keep ISO 8601."""

import datetime
import re

import pytest
from babel.dates import get_date_format
from django.conf import settings
from django.utils import formats, translation

from accord.core.forms import DateField
from accord.registry.forms import AsOfForm
from accord.registry.models import Membership

DAY = datetime.date(2026, 11, 29)
# What each language shows for DAY, in text and in inputs.
SHOWN = {
    "en": "2026-11-29",
    "fr": "29/11/2026",
    "de": "29.11.2026",
    "it": "29/11/2026",
    "ru": "29.11.2026",
    "es": "29/11/2026",
}
ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def test_every_interface_language_has_a_format_module():
    assert {code for code, _name in settings.LANGUAGES} == set(SHOWN)


@pytest.mark.parametrize("language", sorted(SHOWN))
def test_text_and_input_show_the_same_format(language):
    with translation.override(language):
        shown = formats.date_format(DAY, "SHORT_DATE_FORMAT")
        assert shown == SHOWN[language]
        assert formats.date_format(DAY) == shown  # DATE_FORMAT, what {{ day }} prints
        inputs = formats.get_format("DATE_INPUT_FORMATS")
        assert DAY.strftime(inputs[0]) == shown
        assert "%Y-%m-%d" in inputs  # ISO is always accepted
        html = AsOfForm(initial={"as_of": DAY})["as_of"].as_widget()
        assert f'value="{shown}"' in html
        assert 'type="text"' in html and 'inputmode="numeric"' in html


@pytest.mark.parametrize("language", ["fr", "de", "it", "ru", "es"])
def test_formats_follow_cldr_order_and_separator(language):
    """Day first, then month, with CLDR's separator (the year written in full)."""
    pattern = get_date_format("short", locale=language).pattern
    separator = re.sub(r"[dMy]", "", pattern)[0]
    assert SHOWN[language] == separator.join(["29", "11", "2026"])


@pytest.mark.parametrize(
    ("language", "typed"),
    [("ru", "29.11.2026"), ("ru", "2026-11-29"), ("fr", "29/11/2026"), ("en", "2026-11-29")],
)
def test_the_language_format_and_iso_are_accepted(language, typed):
    with translation.override(language):
        assert DateField().clean(typed) == DAY


@pytest.mark.parametrize(
    "typed", ["31.02.2026", "11/29/2026", "tomorrow", "29.11.2026\x00", "9" * 100_000, "<b>"]
)
def test_a_wrong_date_says_how_to_write_one_in_the_language(typed):
    with translation.override("ru"):
        form = AsOfForm({"as_of": typed})
        assert not form.is_valid()
        assert form.errors["as_of"] == [
            "Введите правильную дату в формате ДД.ММ.ГГГГ, например 29.11.2026."
        ]
    with translation.override("de"):
        assert "TT.MM.JJJJ" in AsOfForm({"as_of": typed}).errors["as_of"][0]


def russian(client):
    client.cookies["django_language"] = "ru"
    return client


def test_a_date_typed_in_the_language_leads_to_an_iso_address(world, client_for):
    client = russian(client_for(world.users.viewer))
    response = client.get("/organizations/UN/?as_of=01.01.1995&status=full")
    assert response.status_code == 302
    assert response["Location"] == "/organizations/UN/?as_of=1995-01-01&status=full"
    page = client.get(response["Location"]).content.decode()
    assert 'value="01.01.1995"' in page and 'placeholder="ДД.ММ.ГГГГ"' in page
    assert "Члены на 01.01.1995" in page
    # Sorting and paging links keep the ISO day.
    assert "as_of=1995-01-01" in page and "as_of=01.01.1995" not in page
    # htmx swaps the members table in place and puts the ISO address in the browser's bar.
    fragment = client.get(
        "/countries/FRA/?as_of=24.10.1950", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="memberships"
    )
    assert fragment.status_code == 200
    assert fragment["HX-Push-Url"] == "/countries/FRA/?as_of=1950-10-24"


def test_a_wrong_as_of_date_is_a_message_not_an_error(world, client_for):
    client = russian(client_for(world.users.viewer))
    response = client.get("/organizations/UN/?as_of=45.13.2020")
    assert response.status_code == 200
    assert "Введите правильную дату в формате ДД.ММ.ГГГГ" in response.content.decode()


def test_russian_pages_show_no_iso_dates(world, client_for):
    client = russian(client_for(world.users.editor))
    membership = Membership.objects.get(organization=world.un, country=world.countries["FRA"])
    for url in [
        f"/memberships/{membership.pk}/",
        "/organizations/UN/",
        "/organizations/UN/history/",
        "/countries/FRA/",
        "/deleted/",
        f"/memberships/{membership.pk}/edit/",
    ]:
        page = client.get(url).content.decode()
        # <time datetime="..."> and addresses are for machines; the text is for people.
        text = re.sub(r'(datetime|href|hx-[a-z]+|action)="[^"]*"', "", page)
        assert ISO.findall(text) == [], url
    assert "24.10.1945" in client.get(f"/memberships/{membership.pk}/").content.decode()


def test_a_membership_entered_in_russian_is_stored_as_that_day(world, client_for):
    client = russian(client_for(world.users.editor))
    response = client.post(
        "/memberships/add/",
        {
            "organization": world.sco.pk,
            "country": world.countries["AUT"].pk,
            "status": "observer",
            "valid_from": "29.11.2026",
            "valid_to": "",
            "source": "",
            "note": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    membership = Membership.objects.get(organization=world.sco, country=world.countries["AUT"])
    assert membership.valid_from == DAY
    # The API keeps ISO 8601 whatever the language.
    api = client.get(f"/api/v1/memberships/{membership.pk}")
    assert api.status_code == 200
    assert api.json()["valid_from"] == "2026-11-29"
