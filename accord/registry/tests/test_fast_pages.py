"""Fast pages (issue 6): the map is drawn once and kept, pages stay small and go out compressed,
static files are cached for a year in production."""

import gzip
import re
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from accord.core import mapcache, worldmap
from accord.core.models import Deletion
from accord.core.services import restore_deletion
from accord.importers.demo import DEMO_FILE, load_demo
from accord.registry import services
from accord.registry.models import Country, Membership, Organization

PAGE_LIMIT = 100 * 1024


def map_class(response, iso3: str) -> str | None:
    """The colour class the page's map gives a country (None: not on the map)."""
    html = response.content.decode()
    found = re.search(rf'<(?:use|circle) class="(\w+)" data-iso3="{iso3}"', html)
    return found.group(1) if found else None


@pytest.fixture
def draws():
    """Counts the drawings of the map (the cache is the database's: it rolls back per test)."""
    with mock.patch.object(mapcache.worldmap, "world_map_svg", wraps=worldmap.world_map_svg) as spy:
        yield spy


def test_the_map_is_drawn_once_and_shared_by_users_who_see_the_same(world, client_for, draws):
    first = client_for(world.users.viewer).get("/organizations/UN/")
    assert first.status_code == 200
    assert draws.call_count == 1
    again = client_for(world.users.viewer).get("/organizations/UN/")
    assert draws.call_count == 1
    assert map_class(again, "FRA") == map_class(first, "FRA") == "shared"
    # An editor sees the same rows: same map, not drawn again.
    client_for(world.users.editor).get("/organizations/UN/")
    assert draws.call_count == 1
    # Another day is another map.
    client_for(world.users.viewer).get("/organizations/UN/?as_of=1990-01-01")
    assert draws.call_count == 2
    # The country page's map is kept too.
    client_for(world.users.viewer).get("/countries/FRA/")
    client_for(world.users.viewer).get("/countries/FRA/")
    assert draws.call_count == 3


def test_the_map_key_has_the_language(world, client_for, draws):
    client = client_for(world.users.viewer)
    english = client.get("/organizations/UN/").content.decode()
    with translation.override("ru"):
        russian = client.get("/organizations/UN/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert draws.call_count == 2
    label = re.compile(r'class="accord-worldmap" role="img" aria-label="([^"]*)"')
    assert label.search(english).group(1) != label.search(russian).group(1)


def test_an_edit_delete_or_restore_shows_on_the_map_at_once(world, client_for, draws):
    editor = world.users.editor
    client = client_for(world.users.viewer)
    ita = Country.objects.get(iso3="ITA")
    assert map_class(client.get("/organizations/SCO/"), "ITA") == "land"

    spell = services.membership_create(
        actor=editor, organization=world.sco, country=ita, status="observer"
    )
    assert map_class(client.get("/organizations/SCO/"), "ITA") == "observer"

    spell = services.membership_update(
        actor=editor, membership=spell, expected_version=spell.version, status="partner"
    )
    assert map_class(client.get("/organizations/SCO/"), "ITA") == "partner"

    services.membership_delete(actor=editor, membership=spell)
    assert map_class(client.get("/organizations/SCO/"), "ITA") == "land"

    restore_deletion(Deletion.objects.latest("pk"), actor=editor)
    assert Membership.objects.filter(pk=spell.pk).exists()
    assert map_class(client.get("/organizations/SCO/"), "ITA") == "partner"

    # Four different maps were shown; the one after the delete was the first one again (and
    # the restore's the update's), so it came from the cache.
    assert draws.call_count == 3

    # The country page's map follows the borders.
    fra = Country.objects.get(iso3="FRA")
    assert map_class(client.get("/countries/FRA/"), "ITA") == "observer"
    services.country_update(
        actor=editor,
        country=fra,
        expected_version=fra.version,
        borders=list(fra.borders.exclude(iso3="ITA")),
    )
    assert map_class(client.get("/countries/FRA/"), "ITA") == "land"


def test_an_import_shows_on_the_map_at_once(db, django_user_model, client_for, tmp_path):
    from accord.core.choices import Role
    from conftest import make_user

    load_demo()
    viewer = make_user(django_user_model, "viewer", Role.VIEWER)
    client = client_for(viewer)
    un = Organization.objects.get(acronym="UN")
    spell = Membership.objects.filter(organization=un, country__iso3="RUS").latest("valid_from")
    before = map_class(client.get("/organizations/UN/"), "RUS")
    assert before == "shared"
    # The same file, with Russia's UN membership now ending in 1991: loaded again, the UN's
    # map of today no longer shows it as a member.
    text = DEMO_FILE.read_text(encoding="utf-8")
    line = re.search(r"- \{country: RUS, status: full, from: 1945-10-24[^\n]*", text).group(0)
    changed = tmp_path / "demo.yaml"
    changed.write_text(
        text.replace(line, line.replace("from: 1945-10-24", "from: 1945-10-24, to: 1991-12-24"), 1),
        encoding="utf-8",
    )
    load_demo(path=changed)
    spell.refresh_from_db()
    assert spell.valid_to is not None
    assert map_class(client.get("/organizations/UN/"), "RUS") == "land"


def test_the_biggest_demo_organization_page_is_under_100_kb(db, django_user_model, client_for):
    from accord.core.choices import Role
    from conftest import make_user

    load_demo()
    biggest = max(
        Organization.objects.all(),
        key=lambda o: Membership.objects.filter(organization=o, valid_to=None).count(),
    )
    client = client_for(make_user(django_user_model, "viewer", Role.VIEWER))
    response = client.get(biggest.get_absolute_url())
    assert response.status_code == 200
    assert len(response.content) < PAGE_LIMIT, (biggest.acronym, len(response.content))
    html = response.content.decode()
    # Still a whole map, without JavaScript: every outline is a <use> of the static file.
    href = mapcache.geometry_href()
    assert html.count(f'href="{href}#') > 170
    assert html.count('class="member"') + html.count('class="shared"') > 100


def test_the_static_outlines_file_is_current():
    """accord/static/accord/worldmap.svg is what the code draws: rewrite it with
    `python -m accord.core.worldmap` after changing the geometry."""
    assert worldmap.GEOMETRY_FILE.read_text(encoding="utf-8") == worldmap.geometry_svg()


def test_every_shape_on_a_page_is_in_the_static_file():
    ids = set(re.findall(r'<path id="([^"]+)"', worldmap.geometry_svg()))
    page = worldmap.world_map_svg({"FRA": "member"}, label="x", geometry_href="/s/w.svg")
    used = re.findall(r'href="/s/w.svg#([^"]+)"', page)
    assert used and set(used) <= ids
    assert "<path" not in page  # no outline inline


def test_pages_are_compressed_for_clients_that_accept_gzip(world, client_for):
    client = client_for(world.users.viewer)
    plain = client.get("/organizations/UN/")
    assert "Content-Encoding" not in plain
    packed = client.get("/organizations/UN/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert packed.status_code == 200
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    body = gzip.decompress(packed.content)
    assert len(packed.content) < len(body) / 3
    assert b'class="accord-worldmap"' in body
    # The security headers still go out with a compressed page.
    assert "Content-Security-Policy" in packed
    api = client.get("/api/v1/organizations/UN/members?limit=500", HTTP_ACCEPT_ENCODING="gzip")
    assert api["Content-Encoding"] == "gzip"


def test_static_files_are_cached_for_a_year_in_production(tmp_path, client):
    from accord.settings import production

    with override_settings(
        STORAGES=production.STORAGES,
        STATIC_ROOT=tmp_path,
        DEBUG=production.DEBUG,
        WHITENOISE_USE_FINDERS=production.WHITENOISE_USE_FINDERS,
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        from django.contrib.staticfiles.storage import staticfiles_storage
        from whitenoise.middleware import WhiteNoiseMiddleware

        url = settings.STATIC_URL + staticfiles_storage.stored_name(worldmap.GEOMETRY_STATIC_NAME)
        assert re.search(r"worldmap\.[0-9a-f]{12}\.svg$", url)
        middleware = WhiteNoiseMiddleware(get_response=lambda request: None)
        from django.test import RequestFactory

        response = middleware(
            RequestFactory().get("/" + url.lstrip("/"), HTTP_ACCEPT_ENCODING="gzip")
        )
        assert response.status_code == 200
        cache_control = response["Cache-Control"]
        assert "max-age=315360000" in cache_control and "immutable" in cache_control
        assert response["Content-Encoding"] == "gzip"
        assert response["Content-Type"].startswith("image/svg+xml")
