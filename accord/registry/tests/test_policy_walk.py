"""Every page and API route, walked as each role: who gets in, what they see, what they change.

The URL patterns come from `accord.urls` and the API routes from the OpenAPI schema, so a page or
route added later is walked without editing this file. A route whose parameters the walk cannot
fill fails `test_the_walk_knows_every_route`: teach `records()` about it.
"""

import datetime
import json
import re
from urllib.parse import urlencode

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver

from accord.api import api
from accord.core.models import ApiToken, Deletion
from accord.core.pickers import KINDS
from accord.journal import services as journal
from accord.journal.models import JournalEntry
from accord.knowledge import services as knowledge
from accord.knowledge.models import Commitment, Practice, PracticeShare, RecordAttachment, Request
from accord.knowledge.services_attachments import record_attachment_create
from accord.knowledge.tests.conftest import build_knowledge
from accord.meetings import services as meetings
from accord.meetings.models import (
    Action,
    AgendaItem,
    Meeting,
    Outcome,
    Participant,
    Series,
    SeriesAgendaItem,
)
from accord.meetings.tests.conftest import build_meetings
from accord.registry import services
from accord.registry.models import (
    Country,
    FrameworkDocument,
    Membership,
    Organization,
    Partnership,
    Person,
)

SECRETS = (
    "RESTRICTED-NOTE",
    "RESTRICTED-PERSON",
    "RESTRICTED-MEMO",
    # A restricted journal entry on a visible record, a public one on a hidden record.
    "RESTRICTED-JOURNAL",
    "JOURNAL-ON-HIDDEN",
    # Meetings (accord/meetings/tests/conftest.py): a restricted meeting, series, agenda item,
    # outcome and action, and a public action raised at the restricted meeting.
    "RESTRICTED-MEETING",
    "RESTRICTED-SERIES",
    "RESTRICTED-AGENDA",
    "RESTRICTED-OUTCOME",
    "RESTRICTED-ACTION",
    "ACTION-AT-HIDDEN-MEETING",
    # Knowledge (accord/knowledge/tests/conftest.py): a restricted practice and request, and a
    # commitment of the restricted document.
    "RESTRICTED-PRACTICE",
    "RESTRICTED-REQUEST",
    "RESTRICTED-COMMITMENT",
)
# What the UN's focal point (the walk's partner) may not see but a viewer may: an internal
# person and practice, the SCO's request and the SCO's entry in a practice's share log.
PARTNER_SECRETS = ("Ivo Internal", "INTERNAL-PRACTICE", "SCO-PUBLIC-REQUEST", "SCO-SHARE-NOTE")
# Secrets of records that have API routes but no pages yet (meetings' pages come later):
# the editor meets them in the API (test_an_editor_reads_every_record_through_the_api).
API_ONLY_SECRETS = {
    "RESTRICTED-MEETING",
    "RESTRICTED-SERIES",
    "RESTRICTED-AGENDA",
    "RESTRICTED-OUTCOME",
    "RESTRICTED-ACTION",
    "ACTION-AT-HIDDEN-MEETING",
}
SKIPPED_PREFIXES = ("admin/", "static/", "media/", "i18n/")
# Pages a signed-out visitor may open: the login page itself, and the health check for load
# balancers (engine names and counts only).
PUBLIC_PAGES = {"login", "healthz", "favicon"}
HEALTH = {"healthz", "favicon"}
# API collections for administrators and editors only: what was deleted.
EDITOR_ONLY_API = {"/api/v1/deleted"}
# API routes for the home organization's staff, not a partner's focal point: the engagement
# health, which counted from the few records shared with one partner would mislead
# (accord/meetings/health.py).
STAFF_ONLY_API_SUFFIXES = ("/engagement",)
# The analyses (accord/analytics/): pages and API for the home organization's staff too.
STAFF_ONLY_API_PREFIX = "/api/v1/analytics/"
# (An organization's membership-history chart is reference data, as its page is: for everyone.)
STAFF_ONLY_PAGE_PREFIX = "/analytics/"
OPEN_ANALYTICS_PREFIX = "/analytics/organizations/"
# Logging in and out: the password, the two-factor code, logging out.
LOGIN_PAGES = {"login", "login_verify", "logout"}
# Addresses whose secret part is the credential (a calendar feed read by a calendar program):
# no session counts there. The walk tries an unknown secret (a 404 for anyone, signed in or
# not); accord/meetings/tests/test_feeds.py tests what a real feed holds for each role.
SECRET_ADDRESS_PAGES = {"calendar_feed"}
UNKNOWN_SECRET = "unknown-feed-secret-0123456789abcdef"
# A user's own account (password, tokens, 2FA, calendar feed): every role may post there; an
# empty form is a 400 and changes nothing.
SELF_SERVICE_PAGES = {"password_change", "tokens", "two_factor_setup", "subscription"}
# A partner's focal point's own pages: a request to the office. Other roles are refused, but
# the office's editors, who are sent to their own form.
PARTNER_PAGES = {"request_submit"}
# Pages that only take a form posted from another page (link a meeting to a commitment from
# the meeting's page): a GET is a 405.
POST_ONLY_PAGES = {"commitment_link_record"}
# The API's description and docs page: pages like any other, for users with an account.
API_DOCS = {"openapi-json", "openapi-view"}
# Pickers' searches answer JSON: junk in ?page= or ?q= is a 400 naming the parameter.
JSON_SEARCHES = {"pick"}
# Exports (lists as CSV or XLSX files, names ending in "_export"): junk in a filter is a 400
# page that names it; their files are read as text (XLSX unzipped) for the leak checks.
EXPORT_SUFFIX = "_export"
EXPORT_FORMATS = ("csv", "xlsx")
# Django Ninja's root of the API answers 404 to everyone: there is nothing there.
API_ROOT = "api-root"
# The one API operation that needs no authentication: exchanging a password for a token.
UNAUTHENTICATED_API = {("post", "/api/v1/auth/token")}
# Query parameters that an API operation requires, with a value from the world fixture.
REQUIRED_QUERY = {"a": "OSCE", "b": "SCO", "orgs": "OSCE,UN,SCO", "states": "FRA,RUS"}
# The workspace-wide search answers a 422 without ?q=: the walk searches for terms that,
# between them, match its secret records (every restricted one the search indexes, the
# partner's secrets, the action at the hidden meeting), so that the leak checks see whether a
# search ever shows one (test_searches_find_the_secrets_for_an_editor checks they match).
# The page repeats the query: no term is written as a secret is, or the echo would count.
SEARCH_TERMS = ("RESTRICTED", "INTERNAL", "SCO public request", "Ivo", "action hidden meeting")
# The secrets those searches show an editor: all but those of records the search does not
# index (a partnership's notes, a series, journal entries, a practice's share log).
SEARCHED_SECRETS = {*SECRETS, *PARTNER_SECRETS} - {
    "RESTRICTED-NOTE",
    "RESTRICTED-SERIES",
    "RESTRICTED-JOURNAL",
    "JOURNAL-ON-HIDDEN",
    "SCO-SHARE-NOTE",
}
SEARCH_QUERIES = {
    "/api/v1/search": SEARCH_TERMS,  # the API operation's path
    "search": SEARCH_TERMS,  # the page's URL name
}
WRITE_METHODS = ("post", "put", "patch", "delete")
# The one write a partner's focal point may make: submitting their organization's request
# (accord/knowledge/tests/test_api.py tests what it may and may not send).
PARTNER_WRITES = {("post", "/api/v1/requests")}


# ---------------------------------------------------------------- what to walk


def records(world):
    """Records per first path segment: (value in the URL, record, roles that may not see it)."""
    membership = Membership.objects.get(organization=world.osce, country__iso3="FRA")
    hidden = {"viewer", "partner", "norole"}
    token = world.token
    people = [
        (world.shared_person.pk, world.shared_person, {"norole"}),
        (world.internal_person.pk, world.internal_person, {"partner", "norole"}),
        (world.restricted_person.pk, world.restricted_person, hidden),
    ]
    return {
        "organizations": [(o.acronym, o, {"norole"}) for o in (world.osce, world.un, world.sco)],
        "countries": [("FRA", world.countries["FRA"], {"norole"})],
        "memberships": [(membership.pk, membership, {"norole"})],
        "partnerships": [
            (world.p_un.pk, world.p_un, {"norole"}),
            (world.p_sco.pk, world.p_sco, hidden),
        ],
        "people": people,
        "persons": people,
        "documents": [
            (world.doc.pk, world.doc, {"norole"}),
            (world.secret_doc.pk, world.secret_doc, hidden),
        ],
        "deleted": [(world.deletion.pk, world.deletion, hidden)],
        # A user's API token: for its owner, a 404 for everyone else.
        "account": [(token.pk, token, hidden)],
        "auth": [(token.pk, token, hidden)],
        # Journal entries: a public one on a visible record, a restricted one on a visible
        # record, and a public one on a hidden record (hidden with its record).
        "journal": journal_records(world),
        "journal-entries": journal_records(world),
        # Pickers' searches (JSON): each kind, for every role with an account.
        "pick": [(kind, None, {"norole"}) for kind in sorted(KINDS)],
        "calendar": [(UNKNOWN_SECRET, None, set())],
        **meeting_records(world),
        **knowledge_records(world),
        # Charts and their data, of an organization and of the overlap, in every format.
        "membership_chart": [
            ({"key": o.acronym, "fmt": fmt}, o, {"norole"})
            for o in (world.osce, world.un, world.sco)
            for fmt in ("svg", "png", "csv")
        ],
        "overlap_download": [({"fmt": fmt}, None, {"norole"}) for fmt in ("svg", "png", "csv")],
        "neighbourhood_download": [({"fmt": fmt}, None, {"norole"}) for fmt in ("svg", "csv")],
        "advantage_download": [({"fmt": fmt}, None, {"norole"}) for fmt in ("svg", "png", "csv")],
        "network_download": [
            ({"fmt": fmt}, None, {"norole"})
            for fmt in ("svg", "png", "graphml", "csv", "nodes.csv")
        ],
    }


def knowledge_records(world):
    """Practices (with their share log), requests and commitments of each classification."""
    hidden = {"viewer", "partner", "norole"}
    kw = world.kw
    practices = [
        ({"practice_id": kw.public.pk}, kw.public, {"norole"}),
        ({"practice_id": kw.shared.pk}, kw.shared, {"norole"}),
        ({"practice_id": kw.internal.pk}, kw.internal, {"partner", "norole"}),
        ({"practice_id": kw.restricted.pk}, kw.restricted, hidden),
    ]
    requests = [
        ({"request_id": kw.un_request.pk}, kw.un_request, {"norole"}),
        ({"request_id": kw.sco_request.pk}, kw.sco_request, {"partner", "norole"}),
        ({"request_id": kw.restricted_request.pk}, kw.restricted_request, hidden),
    ]
    commitments = [
        ({"commitment_id": kw.commitment.pk}, kw.commitment, {"norole"}),
        ({"commitment_id": kw.secret_commitment.pk}, kw.secret_commitment, hidden),
    ]
    return {
        "practices": practices,
        "requests": requests,
        "commitments": commitments,
        # Files of practices, requests and documents (knowledge/attachments/<pk>/ pages,
        # /record-attachments/{pk} routes), and the upload page of a document's files.
        **{
            segment: [
                (kw.attachment.pk, kw.attachment, {"norole"}),
                (kw.secret_attachment.pk, kw.secret_attachment, hidden),
            ]
            for segment in ("knowledge/attachments", "record-attachments")
        },
        # Their pages (knowledge/practices/<pk>/ ...), the same records.
        **{
            f"knowledge/{segment}": [
                ({"pk": record.pk}, record, hidden_for) for _value, record, hidden_for in rows
            ]
            for segment, rows in (
                ("practices", practices),
                ("requests", requests),
                ("commitments", commitments),
            )
        },
        # A share of the log, under its practice: the UN's, and the SCO's that the UN's focal
        # point does not see.
        "practice_share_delete": [
            ({"pk": kw.public.pk, "share": kw.un_share.pk}, kw.un_share, {"norole"}),
            ({"pk": kw.public.pk, "share": kw.sco_share.pk}, kw.sco_share, {"partner", "norole"}),
        ],
        "knowledge/documents": [
            (world.doc.pk, world.doc, {"norole"}),
            (world.secret_doc.pk, world.secret_doc, hidden),
        ],
    }


def meeting_records(world):
    """Meetings (with an agenda item and its outcome, for the nested routes), series, actions.

    A value may be a dict of the route's parameters by name.
    """
    hidden = {"viewer", "partner", "norole"}
    mw = world.mw
    series = [
        ({"series_id": mw.series.pk, "pk": mw.series.pk}, mw.series, {"norole"}),
        (
            {"series_id": mw.restricted_series.pk, "pk": mw.restricted_series.pk},
            mw.restricted_series,
            hidden,
        ),
    ]

    def nested(meeting, item, outcome):
        # API parameters, and the pages' (meetings/<pk>/agenda/<item>/outcomes/<outcome>/).
        return {
            "meeting_id": meeting.pk,
            "item_id": item.pk,
            "outcome_id": outcome.pk,
            "pk": meeting.pk,
            "item": item.pk,
            "outcome": outcome.pk,
        }

    return {
        "meetings": [
            (nested(mw.public, mw.item, mw.outcome), mw.public, {"norole"}),
            (nested(mw.restricted, mw.secret_item, mw.secret_outcome), mw.restricted, hidden),
        ],
        "series": series,
        "meetings/series": series,
        "meetings/attachments": [
            (mw.attachment.pk, mw.attachment, {"norole"}),
            (mw.secret_attachment.pk, mw.secret_attachment, hidden),
        ],
        "actions": [
            ({"action_id": a.pk, "pk": a.pk}, a, hidden_for)
            for a, hidden_for in (
                (mw.action, {"norole"}),
                (mw.secret_action, hidden),
                (mw.hidden_meeting_action, hidden),
            )
        ],
    }


def journal_records(world):
    hidden = {"viewer", "partner", "norole"}
    return [
        (world.note.pk, world.note, {"norole"}),
        (world.restricted_note.pk, world.restricted_note, hidden),
        (world.hidden_record_note.pk, world.hidden_record_note, hidden),
    ]


@pytest.fixture
def world(world, django_user_model):
    """The shared world, an API token of the editor's for the token routes, journal entries,
    meetings."""
    world.token = ApiToken.issue(user=world.users.editor, name="walk")[0]
    world.mw = build_meetings(world, django_user_model)
    world.kw = build_knowledge(world, world.mw)
    world.mw.secret_outcome = world.mw.secret_item.outcomes.get()
    world.mw.attachment = meetings.attachment_create(
        actor=None, meeting=world.mw.public, file=ContentFile(b"Minutes", name="Minutes.txt")
    )
    world.mw.secret_attachment = meetings.attachment_create(
        actor=None, meeting=world.mw.restricted, file=ContentFile(b"x", name="RESTRICTED-FILE.txt")
    )
    # Files of a practice and of a restricted practice (seen with their records).
    world.kw.attachment = record_attachment_create(
        actor=None, record=world.kw.public, file=ContentFile(b"Notes", name="Notes.txt")
    )
    world.kw.secret_attachment = record_attachment_create(
        actor=None,
        record=world.kw.restricted,
        file=ContentFile(b"x", name="RESTRICTED-PRACTICE-FILE.txt"),
    )
    day = datetime.date(2025, 1, 15)
    world.note = journal.journal_entry_create(
        actor=None, assigned_object=world.un, date=day, text="Public call", classification="public"
    )
    world.restricted_note = journal.journal_entry_create(
        actor=None,
        assigned_object=world.un,
        date=day,
        text="RESTRICTED-JOURNAL",
        classification="restricted",
    )
    world.hidden_record_note = journal.journal_entry_create(
        actor=None,
        assigned_object=world.p_sco,
        date=day,
        text="JOURNAL-ON-HIDDEN",
        classification="public",
    )
    return world


def walk_patterns(resolver=None, prefix=""):
    """(route, pattern) of every URL pattern, nested includes flattened."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from walk_patterns(entry, route)
        else:
            assert isinstance(entry, URLPattern)
            yield route, entry


PARAM = re.compile(r"<(?:\w+:)?(\w+)>|\{(\w+)\}")


def substitute(route: str, value) -> str:
    """The route with its parameters filled: one value for all, or a dict by name."""
    if isinstance(value, dict):
        return PARAM.sub(lambda m: str(value[m.group(1) or m.group(2)]), route)
    return PARAM.sub(str(value), route)


def fill(route: str, recs: dict, name: str | None = None):
    """Yield (url, record, hidden_for) for a route, once per known record if it has parameters.

    Records under the route's URL name, when there are some, come first: a route whose
    parameters name two records (a practice and one of its shares) needs pairs that belong.
    """
    if not PARAM.search(route):
        yield route, None, set()
        return
    if name in recs:
        for value, record, hidden_for in recs[name]:
            yield substitute(route, value), record, hidden_for
        return
    parts = route.strip("/").split("/")[2 if route.startswith("/api/v1/") else 0 :]
    # The records of the longer prefix when there are some (pages under meetings/series/).
    segment = "/".join(parts[:2]) if "/".join(parts[:2]) in recs else parts[0]
    assert segment in recs, f"The walk has no records for {route!r}: add them to records()"
    for value, record, hidden_for in recs[segment]:
        yield substitute(route, value), record, hidden_for


def page_routes(recs):
    """(url, name, view class, record, hidden_for) of every page but admin, static and i18n."""
    for route, pattern in walk_patterns():
        if route.startswith(SKIPPED_PREFIXES):
            continue
        if route.startswith("api/") and pattern.name not in API_DOCS:
            continue
        view_class = getattr(pattern.callback, "view_class", None)
        for url, record, hidden_for in fill(route, recs, pattern.name):
            yield "/" + url, pattern.name, view_class, record, hidden_for
            for term in SEARCH_QUERIES.get(pattern.name, ()):
                query = urlencode({"q": term})
                yield f"/{url}?{query}", pattern.name, view_class, record, hidden_for


def api_operations():
    """(method, path template, operation) of every operation in the OpenAPI schema."""
    for path, operations in api.get_openapi_schema()["paths"].items():
        for method, operation in operations.items():
            yield method, path, operation


def api_urls(recs):
    """(method, url, operation, record, hidden_for) for every API operation."""
    for method, path, operation in api_operations():
        query = {}
        for param in operation.get("parameters", []):
            if param["in"] == "query" and param.get("required"):
                assert param["name"] in REQUIRED_QUERY, (
                    f"{method.upper()} {path} requires ?{param['name']}=: add it to REQUIRED_QUERY"
                )
                query[param["name"]] = REQUIRED_QUERY[param["name"]]
        queries = [{**query, "q": term} for term in SEARCH_QUERIES.get(path, ())] or [query]
        for query in queries:
            suffix = "?" + urlencode(query) if query else ""
            for url, record, hidden_for in fill(path, recs):
                yield method, url + suffix, operation, record, hidden_for


def body_schema_name(operation) -> str | None:
    content = operation.get("requestBody", {}).get("content", {})
    if "multipart/form-data" in content:
        return content["multipart/form-data"]["schema"].get("title")  # an upload: "FileParams"
    ref = content.get("application/json", {}).get("schema", {}).get("$ref")
    return ref.rsplit("/", 1)[-1] if ref else None


def valid_body(name, record):
    """A body the schema accepts, so a refusal is the policy's doing, not the validator's."""
    version = getattr(record, "version", None)
    bodies = {
        "OrganizationIn": {"acronym": "NEWORG", "name": "New organization", "kind": "global"},
        "OrganizationPatch": {"version": version, "description": "Changed by the walk"},
        "MembershipIn": {
            "organization": "SCO",
            "country": "FRA",
            "status": "observer",
            "valid_from": "2020-01-01",
        },
        "MembershipPatch": {"version": version, "note": "Changed by the walk"},
        "MembershipBulkIn": {
            "rows": [{"country": "CHN", "status": "observer", "valid_from": "2020-01-01"}],
            "dry_run": False,
        },
        "PartnershipIn": {"organization": "UN", "partner": "SCO", "type": "thematic"},
        "PartnershipPatch": {"version": version, "priority": "low"},
        "PersonIn": {"name": "New Person", "organization": "UN"},
        "PersonPatch": {"version": version, "title": "Changed by the walk"},
        "DocumentIn": {"key": "new-doc", "title": "New document", "year": 2024, "kind": "other"},
        "DocumentPatch": {"version": version, "place": "Changed by the walk"},
        "TokenIn": {"username": "viewer", "password": "wrong"},
        "CountryIn": {"iso3": "XKX", "iso2": "XK", "numeric": "983", "name": "Kosovo"},
        "CountryPatch": {"version": version, "capital": "Changed by the walk"},
        "JournalEntryIn": {
            "assigned_object_type": "registry.organization",
            "assigned_object_id": Organization.objects.get(acronym="UN").pk,
            "date": "2025-02-01",
            "text": "Written by the walk",
        },
        "JournalEntryPatch": {"version": version, "text": "Changed by the walk"},
        **meeting_bodies(record, version),
        **knowledge_bodies(version),
        "FileParams": {"file": SimpleUploadedFile("Walk.txt", b"Written by the walk")},
    }
    if name is None:
        return None
    assert name in bodies, f"The walk has no valid {name} body: add one to valid_body()"
    return bodies[name]


def meeting_bodies(record, version) -> dict:
    """Bodies of the meetings API; nested records' versions are read from the meeting's."""
    item = record.agenda_items.order_by("position").first() if isinstance(record, Meeting) else None
    outcome = item.outcomes.order_by("pk").first() if item is not None else None
    action = Action.objects.filter(title="Send the contact list").first()
    return {
        "MeetingIn": {
            "title": "Meeting of the walk",
            "format": "bilateral",
            "start": "2025-02-01T10:00",
            "time_zone": "Europe/Vienna",
        },
        "MeetingPatch": {"version": version, "place": "Changed by the walk"},
        "AgendaItemIn": {"title": "Item of the walk"},
        "AgendaItemPatch": {"version": getattr(item, "version", 1), "notes": "Changed"},
        "OutcomeIn": {"kind": "information", "text": "Outcome of the walk"},
        "OutcomePatch": {"version": getattr(outcome, "version", 1), "text": "Changed"},
        "SeriesIn": {
            "title": "Series of the walk",
            "format": "visit",
            "cadence": "FREQ=YEARLY",
            "time_zone": "UTC",
        },
        "SeriesPatch": {"version": version, "place": "Changed by the walk"},
        "ActionIn": {"title": "Action of the walk"},
        "ActionPatch": {"version": version, "note": "Changed by the walk"},
        "BulkStatusIn": {"ids": [action.pk if action else 1], "status": "in_progress"},
    }


def knowledge_bodies(version) -> dict:
    document = FrameworkDocument.objects.get(key="helsinki-1992")
    return {
        "PracticeIn": {"kind": "experience", "title": "Practice of the walk"},
        "PracticePatch": {"version": version, "region": "Changed by the walk"},
        "PracticeShareIn": {"organization": "SCO", "note": "Shared by the walk"},
        "RequestIn": {
            "kind": "information",
            "subject": "Request of the walk",
            "organization": "UN",
        },
        "RequestPatch": {"version": version, "description": "Changed by the walk"},
        "RequestAnswerIn": {"version": version, "answer": "Answered by the walk"},
        "CommitmentIn": {"document": document.pk, "text": "Commitment of the walk"},
        "CommitmentPatch": {"version": version, "reference": "Changed by the walk"},
    }


KNOWLEDGE_MODELS = (Practice, PracticeShare, Request, Commitment, RecordAttachment)
MEETING_MODELS = (Meeting, Series, SeriesAgendaItem, AgendaItem, Outcome, Action, Participant)


def snapshot():
    """What a change would alter: row counts, version sums and history rows of every model."""
    state = {}
    models = (Organization, Membership, Partnership, Person, FrameworkDocument, Country)
    for model in (*models, JournalEntry, *MEETING_MODELS, *KNOWLEDGE_MODELS):
        rows = list(model.objects.values_list("version", flat=True))
        state[model.__name__] = (len(rows), sum(rows), model.history.count())
    state["shares"] = sum(
        m.shared_with.through.objects.count()
        for m in (
            Partnership,
            Person,
            FrameworkDocument,
            JournalEntry,
            Meeting,
            Series,
            Action,
            Practice,
            Request,
        )
    )
    state["meeting links"] = (
        Action.carried_to.through.objects.count(),
        Meeting.organizations.through.objects.count(),
        Meeting.themes.through.objects.count(),
        Series.organizations.through.objects.count(),
    )
    state["basis"] = Partnership.basis.through.objects.count()
    state["tokens"] = ApiToken.objects.count()
    state["deletions"] = list(Deletion.objects.values_list("pk", "restored"))
    return state


def content_of(response) -> bytes:
    """A page's bytes; a streamed export read out; an XLSX's XML parts unzipped."""
    import io
    import zipfile

    data = b"".join(response.streaming_content) if response.streaming else response.content
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            data = b"".join(archive.read(name) for name in archive.namelist())
    return data


def leaks(content: bytes, role: str) -> list[str]:
    # A search's snippet marks the words found: "<mark>RESTRICTED</mark>-OUTCOME" leaks too.
    text = content.decode(errors="replace").replace("<mark>", "").replace("</mark>", "")
    found = [s for s in SECRETS if s in text]
    if role == "partner":
        found += [s for s in PARTNER_SECRETS if s in text]
    return found


def send(client, method, url, body=None):
    if body is None:
        return getattr(client, method)(url)
    if any(isinstance(value, SimpleUploadedFile) for value in body.values()):
        return client.post(url, data=body)  # multipart: an upload
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


# ---------------------------------------------------------------- the walk covers everything


def test_the_walk_knows_every_route(world):
    pages = list(page_routes(records(world)))
    operations = list(api_urls(records(world)))
    names = {name for _url, name, *_ in pages}
    assert {"dashboard", "organization_detail", "person_history", "document_delete"} <= names
    assert ("get", "/api/v1/persons") in {(m, u) for m, u, *_ in operations}
    # Every API URL pattern is either an operation in the schema or its documentation.
    schema_paths = {re.sub(r"\{\w+\}", "X", p) for _m, p, _o in api_operations()}
    for route, pattern in walk_patterns():
        if route.startswith("api/") and pattern.name not in {*API_DOCS, API_ROOT}:
            assert re.sub(r"<(?:\w+:)?\w+>", "X", "/" + route) in schema_paths, route
    for method, _url, operation, record, _hidden in operations:
        if method in WRITE_METHODS:
            valid_body(body_schema_name(operation), record)


# ---------------------------------------------------------------- anonymous


def test_anonymous_gets_only_the_login_page(world, client):
    before = snapshot()
    for url, name, _view, _record, _hidden in page_routes(records(world)):
        if name in PUBLIC_PAGES:
            assert client.get(url).status_code == 200
            continue
        if name in SECRET_ADDRESS_PAGES:
            assert client.get(url).status_code == 404, url
            continue
        if name == "openapi-json":
            # API clients get a 401, as from every other API route.
            for method in ("get", "post"):
                assert getattr(client, method)(url).status_code == 401, method
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302, (method, url, response.status_code)
            assert response["Location"].startswith("/login/?next="), (method, url)
    assert snapshot() == before


def test_anonymous_gets_401_from_every_api_route(world, client):
    before = snapshot()
    seen = set()
    for method, url, operation, record, _hidden in api_urls(records(world)):
        path = url.split("?")[0]
        if not operation.get("security"):
            seen.add((method, path))
            continue
        body = valid_body(body_schema_name(operation), record)
        response = send(client, method, url, body)
        assert response.status_code == 401, (method, url, response.status_code)
        assert response.json() == {"detail": "Authentication required."}
        assert not leaks(response.content, "anonymous")
    assert seen == UNAUTHENTICATED_API
    assert snapshot() == before


def test_the_api_root_is_empty_for_everyone(world, client, client_for):
    for user in (None, world.users.viewer):
        if user is not None:
            client = client_for(user)
        response = client.get("/api/v1/")
        assert response.status_code == 404
        assert not leaks(response.content, "partner")


def test_admin_is_for_staff_only(world, client, client_for):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    for role in ("viewer", "partner", "editor", "norole"):
        user_client = client_for(getattr(world.users, role))
        for url in ("/admin/", "/admin/auth/user/"):
            response = user_client.get(url)
            assert response.status_code == 302, (role, url)
            assert response["Location"].startswith("/admin/login/"), (role, url)
            assert b"viewer" not in response.content
    assert client_for(world.users.admin).get("/admin/auth/user/").status_code == 200


# ---------------------------------------------------------------- signed-in roles


def expected_page_status(role, name, view_class, hidden_for):
    editing = getattr(view_class, "edit", False)
    if name in API_DOCS or name in HEALTH:
        return {200}
    if role == "norole":
        return {403}
    if name in PARTNER_PAGES:
        return {200} if role == "partner" else {403}
    if name in POST_ONLY_PAGES:
        return {403, 405}
    if role in hidden_for:
        return {403, 404} if editing else {404}
    return {403} if editing else {200}


@pytest.mark.parametrize("role", ["viewer", "partner", "norole"])
def test_pages_show_each_role_only_what_it_may_see(world, client_for, role):
    client = client_for(getattr(world.users, role))
    problems = []
    for url, name, view_class, _record, hidden_for in page_routes(records(world)):
        if name in LOGIN_PAGES or name in SECRET_ADDRESS_PAGES:
            continue
        response = client.get(url)
        expected = expected_page_status(role, name, view_class, hidden_for)
        if (
            role == "partner"
            and url.startswith(STAFF_ONLY_PAGE_PREFIX)
            and not url.startswith(OPEN_ANALYTICS_PREFIX)
        ):
            expected = {403}
        if response.status_code not in expected:
            problems.append(f"GET {url}: {response.status_code}, expected {sorted(expected)}")
        if found := leaks(content_of(response), role):
            problems.append(f"GET {url} shows {found}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", ["viewer", "partner", "norole"])
def test_pages_change_nothing_for_roles_that_may_not_edit(world, client_for, role):
    client = client_for(getattr(world.users, role))
    before = snapshot()
    problems = []
    for url, name, _view, record, _hidden in page_routes(records(world)):
        if name in LOGIN_PAGES or name in SECRET_ADDRESS_PAGES:
            continue
        data = {"version": record.version} if hasattr(record, "version") else {}
        if name and name.endswith("_history"):
            history = record.history.order_by("history_id").first()
            data = {"history_id": history.history_id, "version": record.version}
        refused = {403, 404, 405}
        if name in SELF_SERVICE_PAGES and role != "norole":
            refused.add(400)
        if name in PARTNER_PAGES and role == "partner":
            refused.add(400)  # an empty request is a form error, and nothing is written
        if name in API_DOCS:
            refused.add(200)  # The docs answer any method alike; the snapshot shows no change.
        for method in ("post", "put", "patch", "delete"):
            if method == "post":
                response = client.post(url, data)
            else:
                response = getattr(client, method)(url)
            if response.status_code not in refused:
                problems.append(f"{method.upper()} {url}: {response.status_code}")
    assert not problems, "\n".join(problems)
    assert snapshot() == before


def test_an_editor_opens_every_page_and_sees_every_record(world, client_for):
    """The walk reaches the restricted records: the leaks it looks for above would show."""
    client = client_for(world.users.editor)
    seen = set()
    for url, name, _view, _record, _hidden in page_routes(records(world)):
        if name in LOGIN_PAGES or name in SECRET_ADDRESS_PAGES:
            continue
        response = client.get(url)
        if name in PARTNER_PAGES:
            assert response.status_code == 302, (url, response.status_code)
            continue
        if name in POST_ONLY_PAGES:
            assert response.status_code == 405, (url, response.status_code)
            continue
        assert response.status_code == 200, (url, response.status_code)
        seen.update(leaks(content_of(response), "partner"))
    assert seen >= {*SECRETS, "Ivo Internal"} - API_ONLY_SECRETS


def test_an_editor_reads_every_record_through_the_api(world, client_for):
    """The API walk reaches the restricted records too: its leak checks would see them."""
    client = client_for(world.users.editor)
    seen = set()
    for method, url, _operation, _record, _hidden in api_urls(records(world)):
        if method == "get":
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            seen.update(leaks(content_of(response), "partner"))
    assert API_ONLY_SECRETS <= seen, API_ONLY_SECRETS - seen


def test_searches_find_the_secrets_for_an_editor(world, client_for):
    """The walk's searches match its secret records: their leak checks above are real."""
    client = client_for(world.users.editor)
    searched = [
        url for _m, url, *_ in api_urls(records(world)) if url.startswith("/api/v1/search?")
    ]
    searched += [url for url, name, *_ in page_routes(records(world)) if "?q=" in url]
    assert len(searched) == 2 * len(SEARCH_TERMS)
    found = set()
    for url in searched:
        response = client.get(url)
        assert response.status_code == 200, url
        found.update(leaks(response.content, "partner"))
    assert found >= SEARCHED_SECRETS, SEARCHED_SECRETS - found


def test_pages_refuse_other_methods_for_an_editor(world, client_for):
    """Pages take GET and POST; anything else is a 405, never an error or a change."""
    client = client_for(world.users.editor)
    before = snapshot()
    problems = []
    for url, name, _view, _record, _hidden in page_routes(records(world)):
        if name in LOGIN_PAGES or name in API_DOCS or name in SECRET_ADDRESS_PAGES:
            continue
        for method in ("put", "patch", "delete"):
            response = getattr(client, method)(url)
            if response.status_code != 405:
                problems.append(f"{method.upper()} {url}: {response.status_code}")
    assert not problems, "\n".join(problems)
    assert snapshot() == before


JUNK_QUERIES = [
    "per_page=0&page=0&m-page=-1&sort=nonexistent&m-sort=%00",
    "per_page=-5&page=abc&as_of=2020-13-45&status=%00&q=%00",
    "per_page=99999999999999999999&page=99999999999999999999&organization=%00&region=%00",
    "per_page=%00&page=%00&kind=%00&home=%00&partner=maybe&area=%00&next=%00",
]


def test_junk_query_strings_never_break_a_page(world, client_for):
    client = client_for(world.users.editor)
    problems = []
    for url, name, _view, _record, _hidden in page_routes(records(world)):
        if name in LOGIN_PAGES or name in API_DOCS or name in SECRET_ADDRESS_PAGES:
            continue
        for query in JUNK_QUERIES:
            response = client.get(f"{url}?{query}")
            if name in PARTNER_PAGES and response.status_code == 302:
                continue  # the editor is sent to the office's own form
            if name in POST_ONLY_PAGES and response.status_code == 405:
                continue
            if name in JSON_SEARCHES and response.status_code == 400:
                if not response.json().get("detail"):
                    problems.append(f"GET {url}?{query}: a 400 that names nothing")
            elif name and name.endswith(EXPORT_SUFFIX) and response.status_code == 400:
                if 'role="alert"' not in response.content.decode():
                    problems.append(f"GET {url}?{query}: a 400 that names nothing")
            elif response.status_code != 200:
                problems.append(f"GET {url}?{query}: {response.status_code}")
    assert not problems, "\n".join(problems)


def test_a_page_shows_at_most_200_rows(world, client_for):
    client = client_for(world.users.editor)
    html = client.get("/countries/?per_page=100000").content.decode()
    assert html.count('<a href="/countries/') == 200
    html = client.get("/countries/?per_page=-5").content.decode()
    assert html.count('<a href="/countries/') == 1


def test_a_nul_character_in_a_form_is_a_form_error(world, client_for):
    client = client_for(world.users.editor)
    form = client.get("/organizations/UN/edit/").context["form"]
    data = {f.name: f.field.prepare_value(f.value()) for f in form}
    data = {k: "" if v is None else v for k, v in data.items() if v is not False}
    for field in ("name", "former_names", "headquarters"):
        response = client.post("/organizations/UN/edit/", {**data, field: "Bad\x00name"})
        assert response.status_code == 400, field
        assert "Null characters are not allowed" in response.content.decode()
    assert Organization.objects.get(acronym="UN").version == 1


@pytest.mark.parametrize("role", ["viewer", "partner"])
def test_api_shows_each_role_only_what_it_may_see(world, client_for, role):
    client = client_for(getattr(world.users, role))
    problems = []
    for method, url, _operation, _record, hidden_for in api_urls(records(world)):
        if method != "get":
            continue
        response = client.get(url)
        expected = 404 if role in hidden_for else 200
        if url in EDITOR_ONLY_API:
            expected = 403
        if role == "partner" and (
            url.endswith(STAFF_ONLY_API_SUFFIXES) or url.startswith(STAFF_ONLY_API_PREFIX)
        ):
            expected = 403
        if response.status_code != expected:
            problems.append(f"GET {url}: {response.status_code}, expected {expected}")
        if found := leaks(content_of(response), role):
            problems.append(f"GET {url} shows {found}")
    assert not problems, "\n".join(problems)


def test_api_refuses_a_user_without_a_role(world, client_for):
    client = client_for(world.users.norole)
    for method, url, _operation, _record, _hidden in api_urls(records(world)):
        if method == "get":
            response = client.get(url)
            assert response.status_code == 403, url
            assert not leaks(response.content, "partner")


@pytest.mark.parametrize("role", ["viewer", "partner", "norole"])
def test_api_changes_nothing_for_roles_that_may_not_edit(world, client_for, role):
    client = client_for(getattr(world.users, role))
    before = snapshot()
    problems = []
    for method, url, operation, record, _hidden in api_urls(records(world)):
        if method not in WRITE_METHODS or not operation.get("security"):
            continue
        if role == "partner" and (method, url) in PARTNER_WRITES:
            continue
        response = send(client, method, url, valid_body(body_schema_name(operation), record))
        refused = {403, 404, 405}
        if role == "norole":
            # Someone without a role sees no organization, so naming one is a 422 for them.
            refused.add(422)
        if response.status_code not in refused:
            problems.append(f"{method.upper()} {url}: {response.status_code} {response.content!r}")
        elif found := leaks(content_of(response), role):
            problems.append(f"{method.upper()} {url} shows {found}")
    assert not problems, "\n".join(problems)
    assert snapshot() == before


def throwaway(segment, world, path=""):
    """A record of a collection that an editor may delete without cascading into the world."""
    mw = getattr(world, "mw", None)
    if segment == "meetings":
        return meeting_throwaway(world, path)
    make = {
        "organizations": lambda: services.organization_create(
            actor=None, acronym="DOOMED", name="Doomed", kind="other"
        ),
        "memberships": lambda: services.membership_create(
            actor=None, organization=world.sco, country=world.countries["AUT"], status="observer"
        ),
        "partnerships": lambda: services.partnership_create(
            actor=None, organization=world.un, partner=world.osce, type="other"
        ),
        "persons": lambda: services.person_create(
            actor=None, name="Doomed Person", organization=world.un
        ),
        "documents": lambda: services.document_create(
            actor=None, key="doomed", title="Doomed", year=2000, kind="other"
        ),
        "countries": lambda: services.country_create(
            actor=None, iso3="XDD", iso2="XD", numeric="990", name="Doomed"
        ),
        "auth": lambda: ApiToken.issue(user=world.users.editor, name="doomed")[0],
        "journal-entries": lambda: journal.journal_entry_create(
            actor=None, assigned_object=world.un, date=datetime.date(2025, 1, 1), text="Doomed"
        ),
        "series": lambda: meetings.series_create(
            actor=None, title="Doomed", format="visit", cadence="FREQ=YEARLY", time_zone="UTC"
        ),
        "actions": lambda: meetings.action_create(actor=None, title="Doomed", meeting=mw.public),
        "practices": lambda: knowledge.practice_create(
            actor=None, kind="experience", title="Doomed"
        ),
        "requests": lambda: knowledge.request_create(
            actor=None, notify=False, kind="information", organization=world.un, subject="Doomed"
        ),
        "commitments": lambda: knowledge.commitment_create(
            actor=None, document=world.doc, text="Doomed"
        ),
        "record-attachments": lambda: record_attachment_create(
            actor=None, record=world.kw.public, file=ContentFile(b"x", name="Doomed.txt")
        ),
    }
    assert segment in make, f"No throwaway {segment} to delete: add one to throwaway()"
    record = make[segment]()
    if segment in ("series", "actions"):
        return {{"series": "series_id", "actions": "action_id"}[segment]: record.pk}
    if segment == "organizations":
        return record.acronym
    return record.iso3 if segment == "countries" else record.pk


def meeting_throwaway(world, path):
    """A meeting, or an agenda item or outcome of the public meeting, to delete."""
    mw = world.mw
    ids = {"meeting_id": mw.public.pk, "item_id": mw.item.pk}
    if path.endswith("{outcome_id}"):
        outcome = meetings.outcome_create(actor=None, agenda_item=mw.item, kind="action", text="x")
        return {**ids, "outcome_id": outcome.pk}
    if path.endswith("{item_id}"):
        item = meetings.agenda_item_create(actor=None, meeting=mw.public, title="Doomed")
        return {**ids, "item_id": item.pk}
    start = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    meeting = meetings.meeting_create(
        actor=None,
        title="Doomed",
        format="visit",
        start=start,
        end=start + datetime.timedelta(hours=1),
        time_zone="UTC",
    )
    return {"meeting_id": meeting.pk}


def test_the_same_api_writes_succeed_for_an_editor(world, client_for):
    """The bodies the walk sends are valid: a viewer's refusal above is the policy's doing."""
    client = client_for(world.users.editor)
    recs = records(world)
    written = set()
    for method, path, operation in api_operations():
        if method not in WRITE_METHODS or not operation.get("security"):
            continue
        url, record = path, None
        if PARAM.search(path):
            segment = path.split("/")[3]
            if method == "delete":
                url = substitute(path, throwaway(segment, world, path))
            else:
                value, record, _hidden = recs[segment][0]
                record.refresh_from_db()
                url = substitute(path, value)
        before = snapshot()
        response = send(client, method, url, valid_body(body_schema_name(operation), record))
        assert response.status_code in {200, 201, 204}, (method, url, response.content)
        assert snapshot() != before, (method, url)
        written.add((method, path))
    assert len(written) >= 15


# ---------------------------------------------------------------- what each role counts


PEOPLE_STAT = re.compile(r'<div class="stat">(\d+)</div><a href="/people/">')


@pytest.mark.parametrize(
    ("role", "people", "names"),
    [
        ("admin", 3, {"Una Shared", "Ivo Internal", "RESTRICTED-PERSON"}),
        ("editor", 3, {"Una Shared", "Ivo Internal", "RESTRICTED-PERSON"}),
        ("viewer", 2, {"Una Shared", "Ivo Internal"}),
        ("partner", 1, {"Una Shared"}),
    ],
)
def test_people_counts_differ_per_role(world, client_for, role, people, names):
    client = client_for(getattr(world.users, role))
    dashboard = client.get("/")
    assert dashboard.status_code == 200
    assert PEOPLE_STAT.findall(dashboard.content.decode()) == [str(people)]
    listing = client.get("/api/v1/persons").json()
    assert listing["count"] == people
    assert {p["name"] for p in listing["items"]} == names
    page = client.get("/people/").content.decode()
    for name in {"Una Shared", "Ivo Internal", "RESTRICTED-PERSON"}:
        assert (name in page) == (name in names), (role, name)


@pytest.mark.parametrize(
    ("role", "partnerships", "documents"),
    [("editor", 2, 2), ("viewer", 1, 1), ("partner", 1, 1)],
)
def test_partnership_and_document_counts_differ_per_role(
    world, client_for, role, partnerships, documents
):
    client = client_for(getattr(world.users, role))
    assert client.get("/api/v1/partnerships").json()["count"] == partnerships
    assert client.get("/api/v1/documents").json()["count"] == documents


# ------------------------------------------------ hidden records named by visible ones

# Strings that only hidden versions or hidden links carry.
LINK_SECRETS = ("RESTRICTED-PAST", "INTERNAL-UNSHARED-DOC")
# Relation keys in API answers and the model whose ids they carry.
API_REFERENCES = {
    "partnership": Partnership,
    "partnerships": Partnership,
    "basis": FrameworkDocument,
    "document": FrameworkDocument,
    "documents": FrameworkDocument,
    "person": Person,
    "persons": Person,
    "focal_points": Person,
    "owner_person": Person,
    "meeting": Meeting,
    "carried_to": Meeting,
    "series": Series,
    "shared_documents": FrameworkDocument,
    "shared_practices": Practice,
}


@pytest.fixture
def linked_world(world):
    """The world, plus visible records that point at hidden ones or had a hidden past."""
    from accord.core.choices import Classification

    unshared = services.document_create(
        actor=None,
        key="unshared",
        title="INTERNAL-UNSHARED-DOC",
        year=2022,
        kind="memorandum",
        classification=Classification.INTERNAL,
    )
    world.p_un = services.partnership_update(
        actor=None,
        partnership=world.p_un,
        expected_version=world.p_un.version,
        basis=[world.doc, world.secret_doc, unshared],
        shared_with=[world.sco],
    )
    world.linked_person = services.person_create(
        actor=None,
        name="Pia Public",
        organization=world.un,
        partnership=world.p_sco,
        classification=Classification.PUBLIC,
    )
    past = services.person_create(
        actor=None,
        name="RESTRICTED-PAST",
        organization=world.osce,
        partnership=world.p_sco,
        classification=Classification.RESTRICTED,
    )
    world.declassified = services.person_update(
        actor=None,
        person=past,
        expected_version=past.version,
        name="Dora Declassified",
        partnership=world.p_un,
        classification=Classification.PUBLIC,
    )
    world.unshared = unshared
    return world


def linked_records(world):
    recs = records(world)
    extra = [
        (world.linked_person.pk, world.linked_person, {"norole"}),
        (world.declassified.pk, world.declassified, {"norole"}),
    ]
    recs["people"] = recs["persons"] = recs["people"] + extra
    recs["documents"] = recs["documents"] + [
        (world.unshared.pk, world.unshared, {"partner", "norole"})
    ]
    return recs


def hidden_urls(world, role) -> list[str]:
    """Addresses of records the role may not see: a visible page must not link to them."""
    urls = [f"/partnerships/{world.p_sco.pk}/", f"/documents/{world.secret_doc.pk}/"]
    urls.append(f"/people/{world.restricted_person.pk}/")
    if role == "partner":
        urls += [f"/documents/{world.unshared.pk}/", f"/people/{world.internal_person.pk}/"]
    return urls


def link_leaks(content: bytes, role: str, world) -> list[str]:
    text = content.decode(errors="replace")
    found = leaks(content, role)
    found += [s for s in LINK_SECRETS if s in text]
    if role == "viewer":  # the viewer may see the internal document
        found = [s for s in found if s != "INTERNAL-UNSHARED-DOC"]
    found += [f"link {u}" for u in hidden_urls(world, role) if f'href="{u}' in text]
    found += [name for name in ("OSCE – SCO", "Shared with") if name in text]
    return found


@pytest.mark.parametrize("role", ["viewer", "partner"])
def test_visible_pages_name_no_hidden_record(linked_world, client_for, role):
    """Every page, history pages included, as seen by a role that has hidden records."""
    world = linked_world
    client = client_for(getattr(world.users, role))
    problems = []
    shown = set()
    for url, _name, view_class, _record, hidden_for in page_routes(linked_records(world)):
        if role in hidden_for or getattr(view_class, "edit", False):
            continue
        response = client.get(url)
        if response.status_code != 200:  # redirects (log-in steps); statuses are walked above
            continue
        shown.add(url)
        if found := link_leaks(content_of(response), role, world):
            problems.append(f"GET {url} shows {found}")
    must = {
        f"/people/{world.linked_person.pk}/history/",
        f"/people/{world.declassified.pk}/history/",
        f"/partnerships/{world.p_un.pk}/history/",
        "/people/",
    }
    assert must <= shown
    assert not problems, "\n".join(problems)


def hidden_ids(world, role) -> dict:
    ids = {
        Partnership: {world.p_sco.pk},
        FrameworkDocument: {world.secret_doc.pk},
        Person: {world.restricted_person.pk},
        Meeting: {world.mw.restricted.pk},
        Series: {world.mw.restricted_series.pk},
        Practice: {world.kw.restricted.pk},
    }
    if role == "partner":
        ids[Practice].add(world.kw.internal.pk)
        ids[FrameworkDocument].add(world.unshared.pk)
        ids[Person].add(world.internal_person.pk)
        ids[Meeting].add(world.mw.internal.pk)
    return ids


def referenced_hidden_ids(data, hidden, key=None) -> list[str]:
    """Ids of hidden records anywhere in an API answer, under a key that names their model."""
    found = []
    model = API_REFERENCES.get(key)
    if isinstance(data, dict):
        if model is not None and data.get("id") in hidden.get(model, ()):
            found.append(f"{key}: {data['id']}")
        for k, v in data.items():
            found += referenced_hidden_ids(v, hidden, k)
    elif isinstance(data, list):
        for item in data:
            found += referenced_hidden_ids(item, hidden, key)
    elif isinstance(data, int) and model is not None and data in hidden.get(model, ()):
        found.append(f"{key}: {data}")
    return found


@pytest.mark.parametrize("role", ["viewer", "partner"])
def test_api_answers_carry_no_id_of_a_hidden_record(linked_world, client_for, role):
    world = linked_world
    client = client_for(getattr(world.users, role))
    hidden = hidden_ids(world, role)
    problems = []
    for method, url, _operation, _record, hidden_for in api_urls(linked_records(world)):
        if method != "get" or role in hidden_for:
            continue
        response = client.get(url)
        if response.status_code != 200:
            continue
        if response.streaming:  # a file's download: its bytes, not JSON
            if found := link_leaks(content_of(response), role, world):
                problems.append(f"GET {url} shows {found}")
            continue
        data = response.json()
        if found := referenced_hidden_ids(data, hidden):
            problems.append(f"GET {url} names {found}")
        if found := link_leaks(content_of(response), role, world):
            problems.append(f"GET {url} shows {found}")
    assert not problems, "\n".join(problems)


# Query parameters that name a record of a model that can be hidden.
FILTERS_ON_HIDDEN = {
    "partnership": Partnership,
    "document": FrameworkDocument,
    "person": Person,
    "meeting": Meeting,
    "series": Series,
}


@pytest.mark.parametrize("role", ["viewer", "partner"])
def test_filters_on_a_hidden_id_answer_as_on_a_missing_one(linked_world, client_for, role):
    """A hidden record and a missing one are told apart by no filter of any collection."""
    world = linked_world
    client = client_for(getattr(world.users, role))
    hidden = hidden_ids(world, role)
    checked = 0
    problems = []
    for method, path, operation in api_operations():
        if method != "get" or "{" in path:
            continue
        for param in operation.get("parameters", []):
            model = FILTERS_ON_HIDDEN.get(param["name"])
            if param["in"] != "query" or model is None:
                continue
            for pk in hidden[model]:
                a = client.get(f"{path}?{param['name']}={pk}")
                b = client.get(f"{path}?{param['name']}=987654")
                checked += 1
                same_status = a.status_code == b.status_code
                same_body = a.content.decode().replace(str(pk), "N") == (
                    b.content.decode().replace("987654", "N")
                )
                if not (same_status and same_body):
                    problems.append(f"GET {path}?{param['name']}={pk}: {a.status_code} {a.content}")
    assert checked, "no collection filters on a record that can be hidden"
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- exports


@pytest.mark.parametrize("role", ["viewer", "partner", "editor"])
def test_exports_hold_only_what_each_role_may_see(linked_world, client_for, role):
    """Every export route in both formats: the file names no record the role may not see."""
    world = linked_world
    client = client_for(getattr(world.users, role))
    exported = set()
    problems = []
    for url, name, view_class, _record, hidden_for in page_routes(linked_records(world)):
        if not (name or "").endswith(EXPORT_SUFFIX):
            continue
        for fmt in EXPORT_FORMATS:
            response = client.get(f"{url}?format={fmt}")
            expected = (
                {200}
                if role == "editor"
                else expected_page_status(role, name, view_class, hidden_for)
            )
            if response.status_code not in expected:
                problems.append(f"GET {url}?format={fmt}: {response.status_code}")
            if response.status_code != 200:
                continue
            exported.add(name)
            if role != "editor" and (found := link_leaks(content_of(response), role, world)):
                problems.append(f"GET {url}?format={fmt} holds {found}")
    lists = {"organization", "country", "partnership", "person", "document"}
    must = {f"registry:{n}_export" for n in lists} | {
        "registry:organization_members_export",
        "registry:country_memberships_export",
    }
    must = {m.split(":")[1] for m in must} | ({"deleted_export"} if role == "editor" else set())
    assert must <= exported, must - exported
    if role == "editor":  # the checks above would see a leak: the editor's files hold them
        people = content_of(client.get("/people/export/?format=xlsx"))
        assert leaks(people, "partner") == ["RESTRICTED-PERSON", "Ivo Internal"]
    assert not problems, "\n".join(problems)
