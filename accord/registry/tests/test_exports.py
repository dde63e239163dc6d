"""Exports: every list page as CSV and XLSX, with its filters, sort and the policy applied."""

import csv
import datetime
import io
import zipfile

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accord.core.choices import Classification
from accord.core.exports import content_disposition
from accord.registry import services
from accord.registry.models import Organization

from .test_query_counts import LARGE, SMALL, Hub

TODAY = timezone.localdate().isoformat()
LIST_EXPORTS = [
    "/organizations/export/",
    "/countries/export/",
    "/partnerships/export/",
    "/people/export/",
    "/documents/export/",
    "/organizations/OSCE/members/export/",
    "/organizations/UN/members/export/",
    "/countries/FRA/memberships/export/",
]


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(response) -> list[list[str]]:
    data = body(response)
    assert data.startswith(b"\xef\xbb\xbf"), "no UTF-8 byte-order mark"
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))


def workbook(response):
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return openpyxl.load_workbook(io.BytesIO(body(response))).active


def file_text(response) -> str:
    """What a file holds, as text: a CSV as it is, an XLSX's XML parts unzipped."""
    data = body(response)
    if data[:2] != b"PK":
        return data.decode("utf-8")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "".join(archive.read(name).decode("utf-8") for name in archive.namelist())


# ---------------------------------------------------------------- what the file holds


def test_csv_has_the_page_columns_filters_and_sort_and_every_row(world, client_for):
    client = client_for(world.users.editor)
    response = client.get("/organizations/export/?format=csv&sort=-acronym&per_page=1&page=2")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="organizations-{TODAY}.csv"'
    rows = csv_rows(response)
    assert rows[0] == [
        "Acronym",
        "Name",
        "Kind",
        "Headquarters",
        "Founded (year)",
        "Members",
        "Partner",
        # The column the meetings app adds (accord/meetings/health.py): a partner never met.
        "Engagement",
        "Headquarters country (ISO)",
    ]
    # Not paginated (per_page and page ignored), sorted as asked, choices as their labels.
    assert [r[0] for r in rows[1:]] == ["UN", "SCO", "OSCE"]
    assert rows[1] == ["UN", "United Nations", "Global", "New York, United States", "1945", "7"] + [
        "Yes",
        "30",
        "USA",
    ]
    assert body(client.get("/organizations/export/?kind=global")).count(b"\r\n") == 2
    assert client.get("/organizations/export/?q=shanghai").streaming


def test_translated_headers_and_labels(world, client_for):
    client = client_for(world.users.editor)
    client.cookies["django_language"] = "fr"
    rows = csv_rows(client.get("/organizations/export/?kind=global", HTTP_ACCEPT_LANGUAGE="fr"))
    assert rows[0][0] == "Sigle"
    assert rows[1][2] == "Mondiale"


def test_xlsx_cells_are_typed(world, client_for):
    client = client_for(world.users.editor)
    sheet = workbook(client.get("/organizations/export/?format=xlsx&sort=acronym"))
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Acronym", "Name", "Kind")
    assert rows[1][0] == "OSCE"
    assert isinstance(rows[1][4], int) and rows[1][4] == 1975  # founded
    assert isinstance(rows[1][5], int) and rows[1][5] == 5  # member count
    assert sheet["A1"].font.b
    assert sheet.freeze_panes == "A2"

    response = client.get("/organizations/OSCE/members/export/?format=xlsx&as_of=2000-01-01")
    sheet = workbook(response)
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("State", "ISO", "Status", "Valid from", "Valid to", "ID")
    france = next(r for r in rows if r[0] == "France")
    assert france[3] == datetime.datetime(1975, 8, 1)  # a real date (openpyxl reads datetime)
    assert france[4] is None
    assert isinstance(france[5], int)
    cell = next(c for c in sheet["D"] if c.value == datetime.datetime(1975, 8, 1))
    assert cell.is_date and cell.number_format == "yyyy-mm-dd"


def test_members_export_uses_the_pages_date_and_names_the_file_after_it(world, client_for):
    client = client_for(world.users.editor)
    response = client.get("/organizations/OSCE/members/export/?as_of=1990-01-01&format=xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="OSCE-members-1990-01-01.xlsx"'
    )
    names = [r[0] for r in workbook(response).iter_rows(min_row=2, values_only=True)]
    assert "France" in names and "Kazakhstan" not in names  # Kazakhstan joined in 1992
    # The page links to the export with the day it shows, the status and the sort kept.
    page = client.get("/organizations/OSCE/?as_of=1990-01-01&status=full&m-sort=-iso3&m-page=1")
    html = page.content.decode()
    assert (
        "/organizations/OSCE/members/export/?as_of=1990-01-01&amp;status=full"
        "&amp;m-sort=-iso3&amp;format=xlsx"
    ) in html
    # No date chosen: today's members, today's date in the file name.
    response = client.get("/organizations/OSCE/members/export/?status=full&m-sort=-iso3")
    assert response["Content-Disposition"] == f'attachment; filename="OSCE-members-{TODAY}.csv"'
    rows = csv_rows(response)
    assert [r[1] for r in rows[1:]] == ["USA", "RUS", "KAZ", "FRA", "AUT"]  # full, sorted
    # The UN's page has the "also in the home organization" column: so has its file.
    rows = csv_rows(client.get("/organizations/UN/members/export/?m-sort=iso3"))
    assert rows[0][5] == "Also in the home organization"
    assert rows[1][1] == "AUT" and rows[1][5] == "Yes"
    assert rows[2][1] == "CHN" and rows[2][5] == "No"


def test_country_memberships_export(world, client_for):
    client = client_for(world.users.viewer)
    response = client.get("/countries/FRA/memberships/export/")
    assert response["Content-Disposition"] == 'attachment; filename="FRA-memberships.csv"'
    rows = csv_rows(response)
    assert rows[0][:3] == ["Organization", "Name", "Status"]
    assert [r[0] for r in rows[1:]] == ["OSCE", "UN"]
    assert rows[1][3] == "1975-08-01"  # ISO 8601 in CSV
    response = client.get("/countries/FRA/memberships/export/?as_of=1950-01-01")
    assert response["Content-Disposition"].endswith('filename="FRA-memberships-1950-01-01.csv"')
    assert [r[0] for r in csv_rows(response)[1:]] == ["UN"]


def test_deleted_records_export_is_for_editors(world, client_for):
    client = client_for(world.users.editor)
    rows = csv_rows(client.get("/deleted/export/"))
    assert rows[0] == ["Deleted", "Kind", "Record", "Went with it", "By", "Brought back"]
    assert rows[1][1:3] == ["Framework document", "Withdrawn draft (2023)"]
    sheet = workbook(client.get("/deleted/export/?format=xlsx"))
    assert isinstance(sheet["A2"].value, datetime.datetime)
    assert client_for(world.users.viewer).get("/deleted/export/").status_code == 403


def test_the_list_pages_link_to_their_export_with_the_query(world, client_for):
    client = client_for(world.users.viewer)
    html = client.get("/people/?q=una&page=1&per_page=10").content.decode()
    assert 'href="/people/export/?q=una&amp;format=csv"' in html
    assert 'href="/people/export/?q=una&amp;format=xlsx"' in html
    # htmx swaps the results: the links come with them.
    html = client.get("/people/?q=ivo", HTTP_HX_REQUEST="true").content.decode()
    assert 'href="/people/export/?q=ivo&amp;format=csv"' in html
    html = client.get("/countries/FRA/?as_of=2000-01-01").content.decode()
    assert "/countries/FRA/memberships/export/?as_of=2000-01-01&amp;format=csv" in html


# ---------------------------------------------------------------- CSV injection, names


FORMULA = '=HYPERLINK("http://evil.example/","click")'


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formulas_are_neutralised(world, client_for, fmt):
    services.organization_create(actor=None, acronym="EVIL", name=FORMULA, kind="other")
    services.organization_create(
        actor=None, acronym="MORE", name="+1 -2 @3", kind="other", headquarters="-cmd"
    )
    tabs = services.organization_create(actor=None, acronym="TABS", name="Tabs", kind="other")
    # Forms refuse control characters now; rows written before (or by SQL) may hold them.
    Organization.objects.filter(pk=tabs.pk).update(name="\tname\x0bodd")
    client = client_for(world.users.editor)
    response = client.get(f"/organizations/export/?format={fmt}&sort=acronym")
    assert response.status_code == 200
    if fmt == "csv":
        rows = {r[0]: r for r in csv_rows(response)}
        assert rows["EVIL"][1] == "'" + FORMULA
        assert rows["MORE"][1] == "'+1 -2 @3"
        assert rows["MORE"][3] == "'-cmd"
        assert rows["TABS"][1] == "'\tname\x0bodd"
    else:
        sheet = workbook(response)
        cells = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
        assert cells["EVIL"][1].value == "'" + FORMULA
        assert cells["EVIL"][1].data_type == "s"  # text, not a formula
        assert cells["MORE"][3].value == "'-cmd"
        assert cells["TABS"][1].value == "'\tnameodd"  # XML cannot hold \x0b
        assert "<f>" not in file_text(response)


def test_non_ascii_file_names():
    assert content_disposition("OSCE-members.csv") == 'attachment; filename="OSCE-members.csv"'
    header = content_disposition("ОДКБ-members-2026-11-29.xlsx")
    assert header.startswith('attachment; filename="members-2026-11-29.xlsx"; filename*=UTF-8')
    assert "%D0%9E%D0%94%D0%9A%D0%91-members-2026-11-29.xlsx" in header
    assert content_disposition('a"b;\r\n.csv').startswith('attachment; filename="a_b_.csv"')


def test_a_non_ascii_acronym_gets_an_rfc_5987_file_name(world, client_for):
    services.organization_create(actor=None, acronym="ОДКБ", name="CSTO", kind="regional")
    response = client_for(world.users.viewer).get("/organizations/ОДКБ/members/export/")
    assert response.status_code == 200
    assert "filename*=UTF-8''%D0%9E%D0%94%D0%9A%D0%91-members-" in response["Content-Disposition"]


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/organizations/export/?format=pdf", "“pdf” is not an export format"),
        ("/organizations/export/?format=", "“” is not an export format"),
        ("/organizations/export/?kind=bogus", "Select a valid choice. bogus is not one"),
        ("/people/export/?organization=NOPE", "Select a valid choice."),
        ("/documents/export/?q=" + "x" * 300, "at most 200 characters"),
        ("/countries/export/?q=a%00b", "Null characters are not allowed"),
        ("/organizations/OSCE/members/export/?as_of=yesterday", "Enter a valid date"),
        ("/organizations/OSCE/members/export/?as_of=2020-02-30", "Enter a valid date"),
        ("/countries/FRA/memberships/export/?as_of=99999-01-01", "Enter a valid date"),
    ],
)
def test_bad_parameters_get_the_pages_message(world, client_for, url, message):
    client = client_for(world.users.viewer)
    response = client.get(url)
    assert response.status_code == 400
    assert message in response.content.decode()
    if "format=" not in url and "as_of" not in url:
        # The same words the list page shows for the same filter.
        page = client.get(url.replace("export/", ""))
        assert message in page.content.decode()


def test_unknown_sort_and_page_parameters_are_ignored(world, client_for):
    client = client_for(world.users.viewer)
    response = client.get("/organizations/export/?sort=nonsense&page=x&per_page=-1&m-sort=zz")
    assert len(csv_rows(response)) == 4


def test_the_row_limit_gives_a_clear_message(world, client_for, settings):
    settings.ACCORD_EXPORT_MAX_ROWS = 2
    client = client_for(world.users.editor)
    response = client.get("/organizations/export/?format=xlsx")
    assert response.status_code == 400
    assert "This list has 3 rows; an export holds at most 2." in response.content.decode()
    assert client.get("/organizations/export/?kind=global").status_code == 200
    assert client.get("/deleted/export/").status_code == 200


# ---------------------------------------------------------------- the policy


@pytest.mark.parametrize("role", ["viewer", "partner"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_hold_only_what_the_role_sees(world, client_for, role, fmt):
    services.person_update(
        actor=None,
        person=world.restricted_person,
        expected_version=world.restricted_person.version,
        partnership=world.p_sco,
    )
    client = client_for(getattr(world.users, role))
    hidden = ["RESTRICTED-PERSON", "RESTRICTED-MEMO", "RESTRICTED-NOTE", "OSCE – SCO"]
    if role == "partner":
        hidden.append("Ivo Internal")
    for url in LIST_EXPORTS:
        response = client.get(f"{url}?format={fmt}")
        assert response.status_code == 200, url
        text = file_text(response)
        assert not [name for name in hidden if name in text], url
    people = file_text(client.get(f"/people/export/?format={fmt}"))
    assert "Una Shared" in people
    assert ("Ivo Internal" in people) == (role == "viewer")


def test_a_hidden_partnership_is_an_empty_cell(world, client_for):
    public = services.person_create(
        actor=None,
        name="Pia Public",
        organization=world.un,
        partnership=world.p_sco,
        classification=Classification.PUBLIC,
    )
    rows = csv_rows(client_for(world.users.viewer).get("/people/export/?q=pia"))
    assert rows[1][0] == "Pia Public" and rows[1][3] == "" and rows[1][-1] == str(public.pk)
    rows = csv_rows(client_for(world.users.editor).get("/people/export/?q=pia"))
    assert rows[1][3] == "OSCE – SCO"


@pytest.mark.parametrize("role", ["viewer", "partner", "editor"])
def test_export_and_api_agree_on_the_rows(world, client_for, role):
    client = client_for(getattr(world.users, role))
    for export, api in (
        ("/people/export/", "/api/v1/persons"),
        ("/partnerships/export/", "/api/v1/partnerships"),
        ("/documents/export/", "/api/v1/documents"),
    ):
        rows = csv_rows(client.get(export))
        ids = {int(r[rows[0].index("ID")]) for r in rows[1:]}
        assert ids == {item["id"] for item in client.get(api).json()["items"]}, export


def test_a_user_without_a_role_gets_nothing(world, client_for):
    client = client_for(world.users.norole)
    for url in LIST_EXPORTS:
        assert client.get(url).status_code == 403, url


# ---------------------------------------------------------------- query counts


def export_queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200, url
        text = file_text(response)  # a streamed CSV runs its queries while it is read
    return len(captured.captured_queries), text


EXPORT_CASES = {
    "organizations": ("/organizations/export/", lambda hub, n: hub.grow_organizations(n)),
    "partnerships": ("/partnerships/export/?q=HUB", lambda hub, n: hub.grow_partnerships(n)),
    "people": ("/people/export/?organization=HUB", lambda hub, n: hub.grow_people(n)),
    "documents": ("/documents/export/", lambda hub, n: hub.grow_documents(n)),
    "members": ("/organizations/HUB/members/export/", lambda hub, n: hub.grow_members(n)),
    "memberships": ("/countries/FRA/memberships/export/", lambda hub, n: hub.grow_france_orgs(n)),
}


@pytest.fixture
def hub(world):
    return Hub(world)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", list(EXPORT_CASES))
@pytest.mark.parametrize("role", ["editor", "partner"])
def test_exports_cost_the_same_at_5_and_100_rows(world, hub, client_for, kind, role, fmt):
    url, grow = EXPORT_CASES[kind]
    url += ("&" if "?" in url else "?") + f"format={fmt}"
    client = client_for(getattr(world.users, role))
    client.get(url)  # warm per-process caches
    counts = {}
    for n in (SMALL, LARGE):
        expected = grow(hub, n)
        counts[n], text = export_queries(client, url)
        if role == "editor" or kind in ("partnerships", "people", "documents"):
            missing = [name for name in expected if name not in text]
            assert not missing, f"{url} at {n} rows lacks {missing[:5]}"
    assert counts[SMALL] == counts[LARGE], counts


def test_deleted_export_costs_the_same_at_any_size(world, client_for):
    client = client_for(world.users.editor)
    counts = []
    made = 0
    for n in (SMALL, LARGE):
        while made < n:
            doc = services.document_create(
                actor=None, key=f"gone-{made}", title=f"Gone {made}", year=2000, kind="other"
            )
            services.document_delete(actor=None, document=doc)
            made += 1
        count, text = export_queries(client, "/deleted/export/")
        assert f"Gone {n - 1} (2000)" in text
        counts.append(count)
    assert counts[0] == counts[1]
