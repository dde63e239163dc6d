"""A query budget: every list and detail costs the same number of queries at 5 rows as at 100.

Each case grows the rows a page shows from 5 to 100 and counts the SQL of one request at each
size. A difference means a query per row (N+1): fix it in the selector with `select_related` /
`prefetch_related`, not here.
"""

import datetime
import html
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accord.registry import services
from accord.registry.models import (
    Country,
    FrameworkDocument,
    Membership,
    Organization,
    Partnership,
    Person,
)

SMALL, LARGE = 5, 100


class Hub:
    """An organization HUB whose members, partners, people, documents and history grow on demand.

    Each `grow_*` method adds rows until there are `n` of them, so a test can measure at 5 rows
    and then again at 100 rows of the same kind.
    """

    def __init__(self, world):
        self.world = world
        self.editors = [world.users.editor, world.users.admin]
        # Countries with no spell in the world fixture, so HUB's spells never clash.
        self.countries = list(
            Country.objects.exclude(iso3__in=world.countries).order_by("iso3")[:LARGE]
        )
        self.hub = services.organization_create(
            actor=world.users.editor,
            acronym="HUB",
            name="Hub Organization",
            kind="regional",
            headquarters_country=world.countries["AUT"],
        )
        self.other = services.organization_create(
            actor=world.users.editor, acronym="TWIN", name="Twin Organization", kind="regional"
        )
        self.partners, self.partnerships, self.people, self.documents = [], [], [], []
        self.members, self.twin_members, self.france_orgs = [], [], []
        self.home_partnerships = []
        self.history_words = {
            "Organization": "Seat",
            "Partnership": "Note",
            "Person": "Title",
            "FrameworkDocument": "Place",
            "Membership": "Note",
        }
        self.main_partnership = services.partnership_create(
            actor=world.users.editor,
            organization=self.hub,
            partner=world.un,
            type="strategic",
            classification="public",
        )
        self.main_person = services.person_create(
            actor=world.users.editor,
            name="Main Person",
            organization=self.hub,
            classification="public",
        )
        self.main_document = services.document_create(
            actor=world.users.editor,
            key="main-doc",
            title="Main Document",
            year=2000,
            kind="agreement",
            classification="public",
        )
        self.main_membership = services.membership_create(
            actor=world.users.editor,
            organization=self.hub,
            country=world.countries["FRA"],
            status="full",
            valid_from=datetime.date(1990, 1, 1),
        )

    # Rows a page lists are made in bulk (fast); history entries go through the services.

    def grow_organizations(self, n):
        """`n` partner organizations P001..., seated in different countries."""
        new = [
            Organization(
                acronym=f"P{i:03d}",
                name=f"Partner Organization {i:03d}",
                kind="other",
                headquarters="Somewhere",
                headquarters_country=self.countries[i % len(self.countries)],
            )
            for i in range(len(self.partners) + 1, n + 1)
        ]
        self.partners += Organization.objects.bulk_create(new)
        return [p.acronym for p in self.partners[:n]]

    def grow_members(self, n):
        """`n` member states of HUB (and of TWIN, so the two overlap in `n` states)."""
        countries = self.countries[len(self.members) : n]
        for organization, spells in ((self.hub, self.members), (self.other, self.twin_members)):
            spells += Membership.objects.bulk_create(
                Membership(
                    organization=organization,
                    country=country,
                    status="full",
                    valid_from=datetime.date(2000, 1, 1),
                )
                for country in countries
            )
        return [m.country.iso3 for m in self.members[:n]]

    def share_with_un(self, model, records):
        through = model.shared_with.through
        field = f"{model._meta.model_name}_id"
        through.objects.bulk_create(
            through(**{field: r.pk, "organization_id": self.world.un.pk}) for r in records
        )

    def grow_partnerships(self, n):
        """`n` partnerships HUB – P..., each on the main and its own document, shared with UN."""
        self.grow_organizations(n)
        self.grow_documents(n)
        first = len(self.partnerships)
        new = Partnership.objects.bulk_create(
            Partnership(
                organization=self.hub,
                partner=self.partners[i],
                type="thematic",
                classification="internal",
            )
            for i in range(first, n)
        )
        basis = Partnership.basis.through
        basis.objects.bulk_create(
            basis(partnership_id=p.pk, frameworkdocument_id=d.pk)
            for i, p in enumerate(new, start=first)
            for d in (self.main_document, self.documents[i])
        )
        self.share_with_un(Partnership, new)
        self.partnerships += new
        return [p.partner.acronym for p in self.partnerships[:n]]

    def grow_home_partnerships(self, n):
        """`n` partnerships of the home organization, the dashboard's list."""
        self.grow_organizations(n)
        first = len(self.home_partnerships)
        new = Partnership.objects.bulk_create(
            Partnership(
                organization=self.world.osce,
                partner=self.partners[i],
                type="other",
                classification="public",
            )
            for i in range(first, n)
        )
        basis = Partnership.basis.through
        basis.objects.bulk_create(
            basis(partnership_id=p.pk, frameworkdocument_id=self.main_document.pk) for p in new
        )
        self.home_partnerships += new
        return sorted(p.partner.acronym for p in self.home_partnerships[:n])

    def grow_people(self, n):
        """`n` people at HUB, focal points of the main partnership, shared with UN."""
        new = Person.objects.bulk_create(
            Person(
                name=f"Person Number {i:03d}",
                title="Officer",
                organization=self.hub,
                partnership=self.main_partnership,
                classification="internal",
            )
            for i in range(len(self.people) + 1, n + 1)
        )
        self.share_with_un(Person, new)
        self.people += new
        return [p.name for p in self.people[:n]]

    def grow_documents(self, n):
        new = FrameworkDocument.objects.bulk_create(
            FrameworkDocument(
                key=f"doc-{i:03d}",
                title=f"Document Number {i:03d}",
                year=2000 + i % 20,
                kind="declaration",
                classification="internal",
            )
            for i in range(len(self.documents) + 1, n + 1)
        )
        self.share_with_un(FrameworkDocument, new)
        self.documents += new
        return [d.title for d in self.documents[:n]]

    def grow_france_orgs(self, n):
        """`n` organizations France belongs to, besides the world's."""
        self.grow_organizations(n)
        new = self.partners[len(self.france_orgs) : n]
        Membership.objects.bulk_create(
            Membership(organization=o, country=self.world.countries["FRA"], status="observer")
            for o in new
        )
        self.france_orgs += new
        return [o.acronym for o in self.france_orgs[:n]]

    def grow_history(self, record, n):
        """`n` history entries of a record, by alternating users, changing a relation too."""
        update = {
            "Organization": lambda r, v, i: services.organization_update(
                actor=self.editors[i % 2],
                organization=r,
                expected_version=v,
                headquarters=f"Seat {i}",
                headquarters_country=self.countries[i % 7],
            ),
            "Partnership": lambda r, v, i: services.partnership_update(
                actor=self.editors[i % 2],
                partnership=r,
                expected_version=v,
                notes=f"Note {i}",
                partner=self.world.un if i % 2 else self.world.sco,
                basis=[self.main_document] if i % 2 else [],
                shared_with=[self.world.un, self.world.sco][: i % 3],
            ),
            "Person": lambda r, v, i: services.person_update(
                actor=self.editors[i % 2],
                person=r,
                expected_version=v,
                title=f"Title {i}",
                organization=self.hub if i % 2 else self.world.un,
                shared_with=[self.world.un, self.world.sco][: i % 3],
            ),
            "FrameworkDocument": lambda r, v, i: services.document_update(
                actor=self.editors[i % 2],
                document=r,
                expected_version=v,
                place=f"Place {i}",
                shared_with=[self.world.un, self.world.sco][: i % 3],
            ),
            "Membership": lambda r, v, i: services.membership_update(
                actor=self.editors[i % 2], membership=r, expected_version=v, note=f"Note {i}"
            ),
        }[type(record).__name__]
        while record.history.count() < n:
            record.refresh_from_db()
            update(record, record.version, record.history.count())
        # The newest change, which the record's page and its history page both show.
        return [f"{self.history_words[type(record).__name__]} {n - 1}"]

    def touch_membership(self):
        """Make a membership the newest change, so the dashboard's feed mixes kinds alike."""
        self.main_membership.refresh_from_db()
        services.membership_update(
            actor=self.world.users.editor,
            membership=self.main_membership,
            expected_version=self.main_membership.version,
            note=f"Touched at version {self.main_membership.version}",
        )


@pytest.fixture
def hub(world):
    return Hub(world)


def shown(response) -> str:
    """The text a client reads: JSON decoded (no escapes), HTML with entities as sent."""
    if response["Content-Type"].startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return html.unescape(response.content.decode())


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured.captured_queries), response


def assert_same_queries(client, urls, grow):
    """Grow to SMALL rows and count each URL's queries; grow to LARGE rows and count again."""
    for url in urls:
        client.get(url)  # warm per-process caches (content types, translations)
    counts = {}
    for n in (SMALL, LARGE):
        expected = grow(n)
        for url in urls:
            counts[url, n], response = count_queries(client, url)
            # A page that shows the first few rows only (and links to the list) needs those.
            visible = expected[:SMALL] if url in CAPPED else expected
            missing = [text for text in visible if text not in shown(response)]
            assert not missing, f"{url} at {n} rows does not show {missing[:5]}"
    grown = [
        f"{url}: {counts[url, SMALL]} queries at {SMALL} rows, {counts[url, LARGE]} at {LARGE}"
        for url in urls
        if counts[url, SMALL] != counts[url, LARGE]
    ]
    assert not grown, "\n".join(grown)


# ---------------------------------------------------------------- lists, pages and API


PAGE = "?per_page=200"
LIMIT = "limit=500"
# Pages that show the first rows of a list only.
CAPPED = {"/organizations/HUB/"}
# Per kind of row: the lists and details that show it, and how to grow it.
LISTS = {
    "organizations": (
        ["/organizations/" + PAGE, f"/api/v1/organizations?{LIMIT}"],
        lambda hub, n: hub.grow_organizations(n),
    ),
    "partnerships": (
        [
            "/partnerships/" + PAGE,
            "/organizations/HUB/",
            "/documents/{main_document}/",
            f"/api/v1/partnerships?organization=HUB&{LIMIT}",
        ],
        lambda hub, n: hub.grow_partnerships(n),
    ),
    "people": (
        [
            "/people/" + PAGE,
            "/organizations/HUB/",
            "/partnerships/{main_partnership}/",
            f"/api/v1/persons?organization=HUB&{LIMIT}",
        ],
        lambda hub, n: hub.grow_people(n),
    ),
    "documents": (
        ["/documents/" + PAGE, f"/api/v1/documents?{LIMIT}"],
        lambda hub, n: hub.grow_documents(n),
    ),
    "members": (
        [
            "/organizations/HUB/" + PAGE,
            f"/api/v1/organizations/HUB/members?{LIMIT}",
            f"/api/v1/memberships?organization=HUB&{LIMIT}",
            "/api/v1/overlap?a=HUB&b=TWIN",
        ],
        lambda hub, n: hub.grow_members(n),
    ),
    "memberships-of-a-country": (
        ["/countries/FRA/" + PAGE, f"/api/v1/countries/FRA/memberships?{LIMIT}"],
        lambda hub, n: hub.grow_france_orgs(n),
    ),
    "home-partnerships": (
        ["/"],
        lambda hub, n: [hub.grow_home_partnerships(n)[:SMALL], hub.touch_membership()][0],
    ),
}


def urls_of(hub, urls):
    ids = {
        "main_document": hub.main_document.pk,
        "main_partnership": hub.main_partnership.pk,
    }
    return [url.format(**ids) for url in urls]


# Classified records go through the policy's sharing subquery: count them for a partner too.
# The grown ones are public or shared with UN, so the partner sees every row the editor sees.
CASES = [(kind, "editor") for kind in LISTS] + [
    (kind, "partner") for kind in ("partnerships", "people", "documents", "home-partnerships")
]


@pytest.mark.parametrize(("kind", "role"), CASES)
def test_lists_cost_the_same_at_5_and_100_rows(world, hub, client_for, kind, role):
    urls, grow = LISTS[kind]
    assert_same_queries(
        client_for(getattr(world.users, role)), urls_of(hub, urls), lambda n: grow(hub, n)
    )


@pytest.mark.parametrize(
    "record", ["hub", "main_partnership", "main_person", "main_document", "main_membership"]
)
def test_details_and_history_cost_the_same_at_5_and_100_changes(world, hub, client_for, record):
    obj = getattr(hub, record)
    urls = [obj.get_absolute_url(), obj.get_absolute_url() + "history/"]
    assert_same_queries(client_for(world.users.editor), urls, lambda n: hub.grow_history(obj, n))


def test_partnership_basis_and_sharing_cost_the_same_at_any_size(world, hub, client_for):
    url = hub.main_partnership.get_absolute_url()

    def grow(n):
        titles = hub.grow_documents(n)
        organizations = hub.grow_organizations(n)
        hub.main_partnership.refresh_from_db()
        services.partnership_update(
            actor=world.users.editor,
            partnership=hub.main_partnership,
            expected_version=hub.main_partnership.version,
            basis=hub.documents[:n],
            shared_with=hub.partners[:n],
        )
        return titles + organizations

    assert_same_queries(client_for(world.users.editor), [url, url + "history/"], grow)


def test_countries_cost_the_same_at_any_size(world, client_for):
    """Countries are reference data: count at 100 of them, then with all but 7 removed."""
    client = client_for(world.users.editor)
    urls = ["/countries/" + PAGE, f"/api/v1/countries?{LIMIT}"]
    keep = [c.pk for c in world.countries.values()]
    others = list(Country.objects.exclude(pk__in=keep).order_by("iso3"))
    Country.objects.filter(pk__in=[c.pk for c in others[LARGE - len(keep) :]]).delete()
    for url in urls:
        client.get(url)
    large = {url: count_queries(client, url) for url in urls}
    assert large[urls[1]][1].json()["count"] == LARGE
    Country.objects.exclude(pk__in=keep).delete()
    small = {url: count_queries(client, url) for url in urls}
    assert small[urls[1]][1].json()["count"] == len(keep)
    assert "France" in shown(small[urls[0]][1])
    for url in urls:
        assert small[url][0] == large[url][0], (url, small[url][0], large[url][0])


def test_the_hub_grows_what_it_says(world, hub):
    """The growers above really add rows: a budget test on an empty page would prove nothing."""
    assert len(hub.grow_partnerships(SMALL)) == SMALL
    assert Membership.objects.filter(organization=hub.hub).count() == 1
    hub.grow_members(SMALL)
    assert Membership.objects.filter(organization=hub.hub).count() == SMALL + 1
    hub.grow_history(hub.main_person, SMALL)
    assert hub.main_person.history.count() == SMALL


def test_deleted_records_cost_the_same_at_any_size(world, client_for):
    """The "recently deleted" page (25 a page) and the API list, at 5 and 100 deletions."""
    made = []

    def grow(n):
        while len(made) < n:
            i = len(made)
            doc = services.document_create(
                actor=None, key=f"gone-{i}", title=f"Gone {i:03d}", year=2000, kind="other"
            )
            services.document_delete(actor=world.users.editor, document=doc)
            made.append(f"Gone {i:03d}")
        return made[::-1][:20]  # the newest ones, on the first page

    assert_same_queries(
        client_for(world.users.editor), ["/deleted/", f"/api/v1/deleted?{LIMIT}"], grow
    )


def test_a_deletion_page_costs_the_same_whatever_went_with_it(world, hub, client_for):
    """An organization deleted with 5 or with 100 spells: its deletion page costs the same."""
    client = client_for(world.users.editor)
    counts = {}
    for n in (SMALL, LARGE):
        org = services.organization_create(
            actor=None, acronym=f"GONE{n}", name=f"Gone {n}", kind="other"
        )
        for country in hub.countries[:n]:
            services.membership_create(actor=None, organization=org, country=country, status="full")
        deletion = services.organization_delete(actor=world.users.editor, organization=org)
        url = deletion.get_absolute_url()
        client.get(url)
        counts[n], response = count_queries(client, url)
        assert f"{n} memberships" in shown(response)
    assert counts[SMALL] == counts[LARGE], counts
