"""`accord import cow-igo`: small files the tests write, in the published layout."""

import gzip
import io

import pytest
from django.core.management import CommandError, call_command

from accord.analytics import cow
from accord.analytics.models import Dataset, SourceMembership
from accord.registry import services
from accord.registry.models import Country, Organization, OrganizationIdentifier

from . import cowfiles

pytestmark = pytest.mark.django_db


def counts():
    return (
        Organization.objects.count(),
        Country.objects.count(),
        SourceMembership.objects.count(),
        Dataset.objects.count(),
        OrganizationIdentifier.objects.count(),
        Organization.history.count(),
        Country.history.count(),
    )


@pytest.fixture
def nato(db):
    return services.organization_create(
        actor=None, acronym="NATO", name="North Atlantic Treaty Organization", kind="regional"
    )


def full_members(acronym, year):
    return set(
        SourceMembership.objects.filter(organization__acronym=acronym, status="full")
        .in_year(year)
        .values_list("country__iso3", flat=True)
    )


def test_the_import_reproduces_every_igo_year_and_keeps_historical_states(tmp_path, nato):
    igos = cowfiles.nato_like()
    report = cow.import_cow(cowfiles.write(tmp_path, igos))

    # Every IGO-year: the full members read back are the states coded 1.
    for ioname, (_name, _sdate, years) in igos.items():
        for year, codes in years.items():
            expected = sum(1 for code in codes.values() if code == 1)
            assert len(full_members(ioname, year)) == expected, (ioname, year)

    # In 1990 COW has both Germanys and the Federal Republic: three states, never merged.
    assert full_members("NATO", 1990) == {"USA", "FRA", "GFR", "DEU"}
    assert full_members("NATO", 1991) == {"USA", "FRA", "DEU"}
    # COW's state 365 is the Soviet Union until 1991, then Russia: two states.
    assert full_members("TESTO", 1991) == {"SUN"}
    assert full_members("TESTO", 1992) == {"RUS"}
    assert full_members("TESTO", 1990) == {"SUN", "DDR"}
    gdr = Country.objects.get(iso3="DDR")
    assert (gdr.exists_from, gdr.exists_to, gdr.iso2, gdr.is_historical) == (1954, 1990, None, True)
    assert Country.objects.get(iso3="SUN").exists_to == 1991
    # Observers and associates are spells of their own.
    assert (
        SourceMembership.objects.get(organization__acronym="NATO", country__iso3="RUS").status
        == "observer"
    )
    assert set(
        SourceMembership.objects.filter(
            organization__acronym="TESTO", status="associate"
        ).values_list("country__iso3", "first_year", "last_year")
    ) == {("FRA", 1988, 1993)}

    # The existing NATO was matched (and keeps the identifier); the other IGO was created.
    assert report.organizations_matched == 1 and report.organizations_created == 1
    assert Organization.objects.filter(acronym="NATO").count() == 1
    assert list(nato.identifiers.values_list("scheme", "value")) == [("cow-igo", "NATO")]
    created = Organization.objects.get(acronym="TESTO")
    assert (created.name, created.founded, created.source) == (
        "Test Organization of States",
        1980,
        cow.ORGANIZATION_SOURCE,
    )
    # Created in bulk, as the services would: a first history entry, and found by the search.
    entry = created.history.get()
    assert (entry.history_type, entry.history_change_reason) == ("+", "Imported from COW IGO v3.0")
    from accord.search.models import SearchEntry

    assert SearchEntry.objects.filter(object_id=created.pk, title__contains="TESTO").exists()
    dataset = Dataset.objects.get()
    assert (dataset.key, dataset.first_year, dataset.last_year) == ("cow-igo-v3", 1988, 1993)
    assert set(dataset.files) == {"igo_year_formatv3.csv.gz", "state_year_formatv3.csv.gz"}


def test_a_second_run_changes_nothing(tmp_path, nato):
    directory = cowfiles.write(tmp_path, cowfiles.nato_like())
    cow.import_cow(directory)
    before = counts()
    spells = list(SourceMembership.objects.values_list("pk", flat=True).order_by("pk"))
    imported_at = Dataset.objects.get().imported_at

    report = cow.import_cow(directory)

    assert not report.changed
    assert (report.spells_added, report.spells_removed) == (0, 0)
    assert counts() == before
    assert list(SourceMembership.objects.values_list("pk", flat=True).order_by("pk")) == spells
    assert Dataset.objects.get().imported_at == imported_at


def test_a_changed_file_replaces_only_the_spells_that_differ(tmp_path, nato):
    igos = cowfiles.nato_like()
    cow.import_cow(cowfiles.write(tmp_path / "a", igos))
    kept = SourceMembership.objects.get(organization__acronym="NATO", country__iso3="USA").pk
    # France leaves the NATO-like IGO after 1991.
    for year in (1992, 1993):
        igos["NATO"][2][year]["france"] = 0

    report = cow.import_cow(cowfiles.write(tmp_path / "b", igos))

    assert (report.spells_added, report.spells_removed) == (1, 1)
    france = SourceMembership.objects.get(organization__acronym="NATO", country__iso3="FRA")
    assert (france.first_year, france.last_year) == (1988, 1991)
    assert SourceMembership.objects.filter(pk=kept).exists()


def test_plain_csv_files_are_read_too(tmp_path, nato):
    cow.import_cow(cowfiles.write(tmp_path, cowfiles.nato_like(), gz=False))
    assert full_members("NATO", 1988) == {"USA", "FRA", "GFR"}


def refused(tmp_path, **files):
    igos = cowfiles.nato_like()
    directory = cowfiles.write(tmp_path, igos, **files)
    before = counts()
    with pytest.raises(cow.CowImportError) as caught:
        cow.import_cow(directory)
    assert counts() == before, "nothing is written"
    return str(caught.value)


def igo_bytes(edit) -> bytes:
    rows = cowfiles.igo_rows(cowfiles.nato_like())
    edit(rows)
    return cowfiles.to_csv(rows)


def test_a_bad_header_is_named(tmp_path, nato):
    def rename(rows):
        rows[0][0] = "name"

    message = refused(tmp_path, igo_bytes=igo_bytes(rename))
    assert message.startswith("igo_year_formatv3.csv.gz, line 1: not the COW header: no column")
    assert "“ioname”" in message


def test_an_unknown_state_column_is_named(tmp_path, nato):
    def rename(rows):
        rows[0][4] = "atlantis"

    message = refused(tmp_path, igo_bytes=igo_bytes(rename))
    assert (
        "igo_year_formatv3.csv.gz, line 1, column 5 (“atlantis”): unknown state “atlantis”"
        in message
    )


def test_an_unknown_state_code_is_named(tmp_path, nato):
    rows = cowfiles.state_rows(cowfiles.nato_like())
    rows[3][0] = "999"
    message = refused(tmp_path, state_bytes=cowfiles.to_csv(rows))
    assert (
        "state_year_formatv3.csv.gz, line 4, column 1 (“ccode”): unknown COW state code 999"
        in message
    )


def test_a_short_row_is_named(tmp_path, nato):
    def cut(rows):
        rows[2] = rows[2][:10]

    message = refused(tmp_path, igo_bytes=igo_bytes(cut))
    assert "igo_year_formatv3.csv.gz, line 3: 10 fields where the header has 16" in message


def test_a_wrong_encoding_is_named_with_its_line_and_column(tmp_path, nato):
    data = igo_bytes(lambda rows: None).decode("utf-8").split("\n")
    data[2] = data[2].replace("North Atlantic", "Nord-Atlantique Traité")
    latin1 = "\n".join(data).encode("latin-1")
    message = refused(tmp_path, igo_bytes=latin1)
    column = data[2].index("é") + 1
    assert f"igo_year_formatv3.csv.gz, line 3, column {column}: not UTF-8: byte 0xe9" in message


def test_a_non_numeric_code_is_named(tmp_path, nato):
    def spoil(rows):
        rows[5][4] = "yes"

    message = refused(tmp_path, igo_bytes=igo_bytes(spoil))
    assert (
        "igo_year_formatv3.csv.gz, line 6, column 5 (“france”): “yes” is not a membership code"
        in message
    )


def test_a_missing_file_and_a_broken_gzip_are_named(tmp_path, nato):
    directory = cowfiles.write(tmp_path, cowfiles.nato_like())
    (directory / "state_year_formatv3.csv.gz").unlink()
    with pytest.raises(cow.CowImportError, match="state_year_formatv3.csv: missing"):
        cow.import_cow(directory)
    (directory / "state_year_formatv3.csv.gz").write_bytes(b"not gzip at all")
    with pytest.raises(cow.CowImportError, match="not a readable gzip file"):
        cow.import_cow(directory)


def test_many_problems_are_listed_with_a_count_of_the_rest(tmp_path, nato):
    def spoil(rows):
        for row in rows[1:]:
            row[2] = "year"

    message = refused(tmp_path, igo_bytes=igo_bytes(spoil))
    assert message.count("is not a year") == len(cowfiles.igo_rows(cowfiles.nato_like())) - 1


def test_the_command_prints_what_it_did_and_refuses_with_the_problems(tmp_path, nato):
    directory = cowfiles.write(tmp_path, cowfiles.nato_like())
    out = io.StringIO()
    call_command("import", "cow-igo", str(directory), stdout=out)
    text = out.getvalue()
    assert "COW IGO v3.0: 2 IGOs, 1988–1993." in text
    assert "Organizations: 1 matched, 1 created." in text
    out = io.StringIO()
    call_command("import", "cow-igo", str(directory), stdout=out)
    assert "Nothing changed" in out.getvalue()

    (directory / "igo_year_formatv3.csv.gz").write_bytes(gzip.compress(b"\xff\xfe"))
    with pytest.raises(CommandError) as caught:
        call_command("import", "cow-igo", str(directory), stdout=io.StringIO())
    assert str(caught.value).startswith("Nothing was imported.\nigo_year_formatv3.csv.gz, line 1")
    with pytest.raises(CommandError, match="not a directory"):
        call_command("import", "cow-igo", str(tmp_path / "nowhere"), stdout=io.StringIO())
