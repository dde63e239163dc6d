"""Membership dates against the founding year, and bulk entry of memberships (issue 6, 4 and 12)."""

import datetime
import io
import json

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accord.registry import bulk, services
from accord.registry.models import Country, Membership

pytestmark = pytest.mark.django_db

day = datetime.date
URL = "/organizations/SCO/members/bulk/"
API = "/api/v1/organizations/SCO/members/bulk"


# ---------------------------------------------------------------- founding date


def test_a_membership_cannot_begin_before_the_founding(world):
    with pytest.raises(ValidationError) as caught:
        services.membership_create(
            actor=world.users.editor,
            organization=world.sco,
            country=world.countries["USA"],
            status="observer",
            valid_from=day(1950, 1, 1),
        )
    message = " ".join(caught.value.messages)
    assert "2001" in message and "1950-01-01" in message
    assert services.is_before_founding(caught.value)
    assert not Membership.objects.filter(organization=world.sco, country__iso3="USA").exists()
    # Confirmed (a founding member counted from its signature): accepted.
    spell = services.membership_create(
        actor=world.users.editor,
        organization=world.sco,
        country=world.countries["USA"],
        status="observer",
        valid_from=day(1996, 4, 26),
        confirm_before_founding=True,
    )
    # Other edits of that spell are not asked again; a new early start is.
    spell = services.membership_update(
        actor=world.users.editor, membership=spell, expected_version=spell.version, note="x"
    )
    with pytest.raises(ValidationError):
        services.membership_update(
            actor=world.users.editor,
            membership=spell,
            expected_version=spell.version,
            valid_from=day(1990, 1, 1),
        )
    # A start in the founding year itself is fine.
    services.membership_create(
        actor=None,
        organization=world.sco,
        country=world.countries["FRA"],
        status="observer",
        valid_from=day(2001, 1, 1),
    )


def test_the_founding_year_may_not_move_past_memberships(world):
    with pytest.raises(ValidationError) as caught:
        services.organization_update(
            actor=world.users.editor,
            organization=world.un,
            expected_version=world.un.version,
            founded=1950,
        )
    assert caught.value.message_dict["founded"] == [
        "7 memberships of UN begin before 1950 (the first on 1945-10-24): correct them before "
        "moving the founding year."
    ]
    # Earlier is always possible, and so is a later year no membership precedes.
    services.organization_update(
        actor=None, organization=world.un, expected_version=world.un.version, founded=1944
    )
    world.un.refresh_from_db()
    services.organization_update(
        actor=None, organization=world.un, expected_version=world.un.version, founded=1945
    )


def test_the_membership_form_asks_to_confirm_an_early_start(world, client_for):
    client = client_for(world.users.editor)
    data = {
        "organization": world.sco.pk,
        "country": world.countries["USA"].pk,
        "status": "observer",
        "valid_from": "1950-01-01",
        "valid_to": "",
        "source": "",
        "note": "",
    }
    response = client.post("/memberships/add/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "SCO was founded in 2001" in html
    assert 'type="checkbox" name="confirm_before_founding"' in html
    response = client.post("/memberships/add/", {**data, "confirm_before_founding": "on"})
    assert response.status_code == 302
    assert Membership.objects.filter(organization=world.sco, valid_from=day(1950, 1, 1)).exists()


def test_the_api_refuses_an_early_start_unless_confirmed(world, client_for):
    client = client_for(world.users.editor)
    body = {
        "organization": "SCO",
        "country": "USA",
        "status": "observer",
        "valid_from": "1950-01-01",
    }
    response = client.post("/api/v1/memberships", body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "valid_from"]
    assert "founded in 2001" in response.json()["detail"][0]["msg"]
    body["confirm_before_founding"] = True
    response = client.post("/api/v1/memberships", body, content_type="application/json")
    assert response.status_code == 201


def test_the_admin_applies_the_founding_rule(world, client_for):
    client = client_for(world.users.admin)
    url = f"/admin/registry/organization/{world.un.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "founded": 1950,
            "former_names": "[]",
            "memberships-TOTAL_FORMS": 0,
            "memberships-INITIAL_FORMS": 0,
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "7 memberships of UN begin before 1950" in response.content.decode()


def test_the_demo_file_marks_its_early_starts(tmp_path):
    from accord.importers import demo

    text = demo.DEMO_FILE.read_text(encoding="utf-8").replace(
        "from: 1958-01-01, before_founding: true", "from: 1958-01-01", 1
    )
    path = tmp_path / "demo.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(demo.DemoDataError) as caught:
        demo.parse(path)
    assert "before EU was founded in 1993" in str(caught.value)


# ---------------------------------------------------------------- bulk entry: the page


def preview(client, text, **extra):
    data = {"rows": text, "status": "observer", "valid_from": "2010-05-01", "source": "", **extra}
    return client.post(URL, data)


def rows_of(response):
    return {item.line: item for item in response.context["judged"]}


def test_paste_preview_then_confirm_writes_the_new_rows(world, client_for):
    client = client_for(world.users.editor)
    page = client.get("/organizations/SCO/")
    assert URL in page.content.decode()
    text = "\n".join(
        [
            "France",  # 1 new, defaults
            "de\tfull\t2015-01-01",  # 2 new, ISO code and columns
            "RUS\tfull\t2001-06-15",  # 3 unchanged
            "Kazakhztan",  # 4 unknown, did you mean
            "AUT\tobserver\t2020-13-01",  # 5 bad date
            "CHN\tobserver\t2020-01-01",  # 6 overlaps the existing membership
            "USA\tobserver\t1990-01-01",  # 7 before the founding
            "France",  # 8 duplicate of line 1
            "",
            "Türkiye\tpartner",  # 10 new, accents
        ]
    )
    before = Membership.objects.count()
    response = preview(client, text)
    assert response.status_code == 200
    rows = rows_of(response)
    assert {n: r.result for n, r in rows.items()} == {
        1: "new", 2: "new", 3: "unchanged", 4: "wrong", 5: "wrong", 6: "wrong", 7: "wrong",
        8: "wrong", 10: "new",
    }  # fmt: skip
    assert "Kazakhstan (KAZ)" in rows[4].reason
    assert "2020-13-01" in rows[5].reason
    assert "overlaps its membership 2001-06-15" in rows[6].reason
    assert "founded in 2001" in rows[7].reason
    assert "line 1" in rows[8].reason
    assert rows[1].status == "observer" and rows[1].valid_from == day(2010, 5, 1)
    assert rows[2].country.iso3 == "DEU" and rows[2].status == "full"
    html = response.content.decode()
    assert "Add 3 new memberships" in html and "5 wrong rows are left out" in html
    assert Membership.objects.count() == before  # nothing written before the confirm

    response = client.post(URL, {"token": response.context["token"]})
    assert response.status_code == 302
    assert Membership.objects.count() == before + 3
    added = Membership.objects.filter(
        organization=world.sco, country__iso3__in=["FRA", "DEU", "TUR"]
    )
    assert added.count() == 3
    for spell in added:
        entry = spell.history.get()
        assert entry.history_user == world.users.editor and entry.history_type == "+"


def test_confirm_writes_nothing_when_the_registry_changed(world, client_for):
    client = client_for(world.users.editor)
    response = preview(client, "France\nAustria")
    token = response.context["token"]
    # Someone adds Austria meanwhile, with other dates.
    services.membership_create(
        actor=None, organization=world.sco, country=world.countries["AUT"], status="partner"
    )
    before = Membership.objects.count()
    response = client.post(URL, {"token": token})
    assert response.status_code == 409
    assert "nothing was written" in response.content.decode()
    assert rows_of(response)[2].result == "wrong"
    assert Membership.objects.count() == before


def test_a_tampered_token_is_refused(world, client_for):
    client = client_for(world.users.editor)
    token = preview(client, "France").context["token"]
    response = client.post(URL, {"token": token[:-3] + "xyz"})
    assert response.status_code == 400
    assert "expired or was altered" in response.content.decode()
    # A token for another organization is no good here either.
    other = client.post("/organizations/UN/members/bulk/", {"rows": "Chad", "status": "full"})
    response = client.post(URL, {"token": other.context["token"]})
    assert response.status_code == 400
    assert not Membership.objects.filter(country__iso3="TCD").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Paste countries or choose a file."),
        ({"rows": "x" * 200_001}, "at most 200000 characters"),
        ({"rows": "Bad\x00name"}, "Null characters are not allowed"),
        ({"rows": "France", "valid_from": "soon"}, "Enter a valid date"),
        ({"rows": "France", "status": "emperor"}, "Select a valid choice"),
        ({"rows": "\n".join(["France"] * 1001)}, "at most 1,000 at once"),
    ],
)
def test_bad_pasted_input_is_a_form_error(world, client_for, data, message):
    client = client_for(world.users.editor)
    response = client.post(URL, {"status": "full", **data})
    assert response.status_code == 400
    assert message in response.content.decode()


def upload(client, name, content, **extra):
    file = SimpleUploadedFile(name, content)
    return client.post(URL, {"file": file, "status": "observer", **extra})


def workbook(*sheets, formula=False) -> bytes:
    book = openpyxl.Workbook()
    book.active.title = "Members"
    book.active.append(["Country", "Status", "From", "To"])
    book.active.append(["France", "observer", datetime.datetime(2010, 1, 1), None])
    book.active.append(["Germany", "full", "2012-03-04", ""])
    if formula:
        book.active.append(['=UPPER("aut")', "observer", "2011-01-01"])
    for title in sheets:
        book.create_sheet(title).append(["ignored"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_files_in_the_encodings_offices_have(world, client_for):
    client = client_for(world.users.editor)
    text = "country;status;from\nFrance;observer;2010-01-01\nÅland Islands;observer;2010-01-01\n"
    for name, data, notice in [
        ("bom.csv", b"\xef\xbb\xbf" + text.encode(), None),
        ("unicode.txt", text.replace(";", "\t").encode("utf-16"), None),
        ("latin.csv", text.encode("cp1252"), "read as Windows-1252"),
    ]:
        response = upload(client, name, data)
        assert response.status_code == 200, (name, response.content[:500])
        rows = rows_of(response)
        assert [r.country.iso3 for r in rows.values()] == ["FRA", "ALA"], name
        assert list(rows) == [2, 3], name
        if notice:
            assert notice in response.content.decode()


def test_a_workbook_with_sheets_and_formulas(world, client_for):
    client = client_for(world.users.editor)
    response = upload(client, "members.xlsx", workbook("Notes", formula=True))
    assert response.status_code == 200
    html = response.content.decode()
    assert "only the first, “Members”, was read" in html
    rows = rows_of(response)
    assert rows[2].country.iso3 == "FRA" and rows[2].valid_from == day(2010, 1, 1)
    assert rows[3].country.iso3 == "DEU" and rows[3].status == "full"
    # openpyxl saves no result for a formula: the row says so instead of guessing.
    assert rows[4].result == "wrong" and "formula without a saved result" in rows[4].reason


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.csv", b"", "The submitted file is empty."),
        ("blank.csv", b"\n\n  \n", "The file is empty."),
        ("photo.csv", bytes(range(256)) * 20, "The file is not text"),
        ("fake.xlsx", b"country\nFrance\n", "not a readable XLSX workbook"),
        ("broken.xlsx", b"PK\x03\x04" + b"\x00" * 100, "not a readable XLSX workbook"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old Excel (.xls)"),
        ("big.csv", b"France\n" * 300_000, "too large"),
        ("many.csv", b"France\n" * 1001, "at most 1,000 at once"),
        ("header.csv", b"country,status\n", "The file holds no rows."),
    ],
)
def test_bad_files_get_a_clear_message(world, client_for, name, data, message):
    client = client_for(world.users.editor)
    response = upload(client, name, data)
    assert response.status_code == 400, response.status_code
    assert message in response.content.decode()


@pytest.mark.parametrize("role", ["viewer", "partner"])
def test_only_editors_enter_in_bulk(world, client_for, role):
    client = client_for(getattr(world.users, role))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"rows": "France", "status": "full"}).status_code == 403
    assert "members/bulk" not in client.get("/organizations/SCO/").content.decode()


def test_the_preview_costs_the_same_queries_for_5_and_100_rows(world, client_for):
    client = client_for(world.users.editor)
    codes = list(Country.objects.values_list("iso3", flat=True)[:100])
    counts = []
    for n in (5, 100):
        preview(client, "\n".join(codes[:n]))  # warm up the session and caches
        with CaptureQueriesContext(connection) as queries:
            response = preview(client, "\n".join(codes[:n]))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


# ---------------------------------------------------------------- bulk entry: the API


def post(client, body):
    return client.post(API, json.dumps(body), content_type="application/json")


def test_api_dry_run_write_and_refusal(world, client_for):
    client = client_for(world.users.editor)
    rows = [
        {"country": "FR", "status": "observer", "valid_from": "2010-01-01", "valid_to": None},
        {"country": "RU", "status": "full", "valid_from": "2001-06-15"},
    ]
    before = Membership.objects.count()
    response = post(client, {"rows": rows, "dry_run": True})
    assert response.status_code == 200
    answer = response.json()
    assert [(r["line"], r["result"]) for r in answer["rows"]] == [(1, "new"), (2, "unchanged")]
    assert answer["written"] == 0 and Membership.objects.count() == before

    wrong = rows + [{"country": "Atlantis", "status": "full"}]
    response = post(client, {"rows": wrong, "dry_run": False})
    assert response.status_code == 422
    answer = response.json()
    assert answer["rows"][2]["result"] == "wrong" and "Atlantis" in answer["rows"][2]["reason"]
    assert answer["detail"][0]["loc"] == ["body", "rows", 2]
    assert Membership.objects.count() == before

    response = post(client, {"rows": rows, "dry_run": False})
    assert response.status_code == 200
    assert response.json()["written"] == 1
    assert Membership.objects.count() == before + 1


@pytest.mark.parametrize(
    "body",
    [
        {"rows": []},
        {"rows": [{"country": "x" * 101}]},
        {"rows": [{"country": "France"}] * 1001},
        {"rows": "France"},
        {"rows": [{"country": None}]},
        {"rows": [{"country": "France"}], "dry_run": "no"},
    ],
)
def test_api_bad_bodies_are_422(world, client_for, body):
    client = client_for(world.users.editor)
    response = post(client, body)
    assert response.status_code == 422
    assert response.json()["detail"]


@pytest.mark.parametrize("role", ["viewer", "partner"])
def test_api_bulk_is_for_editors(world, client_for, role):
    client = client_for(getattr(world.users, role))
    response = post(client, {"rows": [{"country": "France"}], "dry_run": False})
    assert response.status_code == 403
    assert not Membership.objects.filter(organization=world.sco, country__iso3="FRA").exists()


def test_common_and_former_names_find_their_country(world):
    index = bulk.country_index(user=world.users.editor)
    found = {name: index.find(name) for name in ("Turkey", "Russia", "Swaziland", "Ivory Coast")}
    assert {name: c.iso3 for name, c in found.items() if c} == {
        "Turkey": "TUR",
        "Russia": "RUS",
        "Swaziland": "SWZ",
        "Ivory Coast": "CIV",
    }
