"""Editors correct a country's facts in the web UI; the change and its borders are kept."""

from accord.registry.models import Country


def test_editor_edits_a_country_and_sees_the_change_in_its_history(world, client_for):
    client = client_for(world.users.editor)
    france = Country.objects.get(iso3="FRA")
    form = client.get("/countries/FRA/edit/")
    assert form.status_code == 200
    data = {
        "name": france.name,
        "official_name": france.official_name,
        "iso3": "FRA",
        "iso2": "FR",
        "numeric": "250",
        "region": france.region,
        "subregion": france.subregion,
        "capital": "Paris (city)",
        "capital_lat": france.capital_lat,
        "capital_lng": france.capital_lng,
        "cow_code": "",
        "borders": [c.pk for c in france.borders.exclude(iso3="AND")],
        "version": france.version,
    }
    response = client.post("/countries/FRA/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    france.refresh_from_db()
    assert france.capital == "Paris (city)"
    assert not france.borders.filter(iso3="AND").exists()
    history = client.get("/countries/FRA/history/").content.decode()
    assert '<td class="diff-new">Paris (city)</td>' in history
    # Only Andorra left the borders: the first entry, from the ISO load, holds them too.
    assert '<td class="diff-old">Andorra; Belgium;' in history
    assert '<td class="diff-new">Belgium;' in history


def test_a_viewer_gets_no_country_form(world, client_for):
    client = client_for(world.users.viewer)
    assert client.get("/countries/FRA/edit/").status_code == 403
    assert client.post("/countries/FRA/delete/", {"version": 1}).status_code == 403
    assert Country.objects.filter(iso3="FRA").exists()
