"""`accord import cow-igo DIR`: the Correlates of War IGO data v3.0 as membership spells.

The directory holds the published files (gzipped or not): `igo_year_formatv3.csv` (one row per
IGO and year, a column per state holding its membership code) and `state_year_formatv3.csv`
(one row per state and year in the state system: its COW number and column name). Every cell
is checked before anything is written; a malformed file is refused with its file, line, column
and reason, and nothing is written. Then, in one transaction:

- the states are mapped to countries by the reviewed table `data/cow-states.yaml`: a state that
  no longer exists (the German Democratic Republic, Yugoslavia, the Soviet Union...) is a
  historical country of its own, with its years, created when missing;
- each IGO is matched to an organization by its `cow-igo` identifier, its COW code, its acronym
  or its name, and created when none matches; it keeps its `cow-igo` identifier;
- the spells (consecutive years of one status) replace the data set's previous ones where they
  differ: a second run of the same files changes nothing.

For every IGO and year, the number of full members read back from the spells is the number of
states coded 1 in the IGO-year file.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import connection, transaction
from django.utils import timezone

from accord.core import services as core
from accord.core.names import fold
from accord.registry.models import (
    ACRONYM_PATTERN,
    Country,
    Organization,
    OrganizationIdentifier,
)

from .models import Dataset, SourceMembership, SourceStatus

DATASET_KEY = "cow-igo-v3"
DATASET_NAME = "COW IGO v3.0"
IDENTIFIER_SCHEME = "cow-igo"
CITATION = (
    "Pevehouse, Jon C. W., Timothy Nordstrom, Roseanne W. McManus, and Anne Spencer Jamison. "
    "2020. “Tracking Organizations in the World: The Correlates of War IGO Version 3.0 "
    "Datasets.” Journal of Peace Research 57(3): 492–503. doi:10.1177/0022343319881175."
)
URL = "https://correlatesofwar.org/data-sets/IGOs/"
MAPPING_FILE = Path(__file__).parent / "data" / "cow-states.yaml"
IGO_FILE = "igo_year_formatv3.csv"
STATE_FILE = "state_year_formatv3.csv"
IGO_COLUMNS = ("ioname", "orgname", "year", "sdate", "deaddate")
STATE_COLUMNS = ("ccode", "year", "state")
# The membership codes of both files. -9: no information for a year; -1: the state was not in
# the system, or the IGO did not exist; blank: two cells of the source (see its README).
CODES = {"0": 0, "1": 1, "2": 2, "3": 3, "-9": 0, "-1": 0, "": 0}
VALID_CELLS = frozenset(CODES)
STATUS = {1: SourceStatus.FULL, 2: SourceStatus.ASSOCIATE, 3: SourceStatus.OBSERVER}
MAX_PROBLEMS = 50
ORGANIZATION_SOURCE = "COW IGO v3.0 (Pevehouse et al. 2020)"


# ---------------------------------------------------------------- problems


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    column: int | None
    column_name: str
    reason: str

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(
                f"column {self.column}" + (f" (“{self.column_name}”)" if self.column_name else "")
            )
        return ", ".join(where) + ": " + self.reason


class CowImportError(ValueError):
    """The files cannot be imported; nothing was written. `problems` says where and why."""

    def __init__(self, problems: list[Problem], more: int = 0):
        self.problems = problems
        self.more = more
        lines = [str(p) for p in problems]
        if more:
            lines.append(f"… and {more} more problems.")
        super().__init__("\n".join(lines))


class _Problems:
    def __init__(self):
        self.items: list[Problem] = []
        self.more = 0

    def add(self, file, line, column, column_name, reason) -> None:
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(Problem(file, line, column, column_name, reason))
        else:
            self.more += 1

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise CowImportError(self.items, self.more)


# ---------------------------------------------------------------- the state mapping


@dataclass(frozen=True)
class Entity:
    """A state ISO 3166-1 does not list: historical (with its last year), or Kosovo."""

    key: str
    name: str
    first_year: int | None
    last_year: int | None
    region: str
    subregion: str
    iso3166_3: str | None
    note: str


@dataclass
class Mapping:
    entities: dict[str, Entity]
    # ccode -> [(first year or None, last year or None, country code)]
    periods: dict[int, list[tuple[int | None, int | None, str]]]

    def __post_init__(self):
        # The states with one country in every year (all but those COW codes across a
        # dissolution): answered without looking at years.
        self.simple = {
            ccode: spans[0][2]
            for ccode, spans in self.periods.items()
            if len(spans) == 1 and spans[0][0] is None and spans[0][1] is None
        }

    def country(self, ccode: int, year: int) -> str | None:
        code = self.simple.get(ccode)
        if code is not None:
            return code
        for first, last, code in self.periods.get(ccode, ()):
            if (first is None or year >= first) and (last is None or year <= last):
                return code
        return None

    def codes(self) -> set[str]:
        return {code for periods in self.periods.values() for _f, _l, code in periods}


def read_mapping(path: Path = MAPPING_FILE) -> Mapping:
    """The reviewed COW-state table. It ships with Accord; a broken one is a bug, said plainly."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    entities = {}
    for row in data["entities"]:
        entities[row["key"]] = Entity(
            key=row["key"],
            name=row["name"],
            first_year=row.get("from"),
            last_year=row.get("to"),
            region=row.get("region") or "",
            subregion=row.get("subregion") or "",
            iso3166_3=row.get("iso3166_3"),
            note=row.get("note") or "",
        )
    periods: dict[int, list] = {}
    for row in data["states"]:
        ccode = int(row["ccode"])
        spans = row.get("periods") or [row]
        periods[ccode] = [
            (span.get("from"), span.get("to"), span.get("iso3") or span["entity"]) for span in spans
        ]
    return Mapping(entities=entities, periods=periods)


# ---------------------------------------------------------------- reading the files


def _find(directory: Path, stem: str, problems: _Problems) -> Path | None:
    for name in (stem + ".gz", stem):
        if (directory / name).is_file():
            return directory / name
    problems.add(stem, None, None, "", f"missing: {directory} holds neither {stem} nor {stem}.gz")
    return None


def _text(path: Path, problems: _Problems) -> tuple[str | None, str]:
    """The file's text and the sha256 of its bytes; None (with the problem) when unreadable."""
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if path.name.endswith(".gz"):
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            problems.add(path.name, None, None, "", f"not a readable gzip file ({exc})")
            return None, digest
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.add(
            path.name,
            line,
            column,
            "",
            f"not UTF-8: byte 0x{raw[exc.start]:02x} cannot be read (save the file as UTF-8)",
        )
        return None, digest
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        problems.add(path.name, None, None, "", "the file is empty")
        return None, digest
    return text, digest


def _rows(name: str, text: str, problems: _Problems) -> Iterable[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            problems.add(name, reader.line_num, None, "", f"not valid CSV ({exc})")
            return
        if row:
            yield reader.line_num, row


def _int(value: str) -> int | None:
    value = value.strip()
    if re.fullmatch(r"-?\d{1,6}", value):
        return int(value)
    return None


def _header(name, header, required, problems) -> dict[str, int] | None:
    index = {}
    for position, column in enumerate(header):
        column = column.strip()
        if column in index:
            problems.add(name, 1, position + 1, column, "this column name appears twice")
        index[column] = position
    missing = [column for column in required if column not in index]
    if missing:
        problems.add(
            name,
            1,
            None,
            "",
            "not the COW header: no column "
            + ", ".join(f"“{c}”" for c in missing)
            + f" (the header starts “{','.join(header[:4])[:80]}”)",
        )
        return None
    return index


@dataclass
class Igo:
    ioname: str
    name: str
    long_name: str
    founded: int | None
    dissolved: int | None
    # year -> codes of the states, one byte each, in the file's state-column order
    years: dict[int, bytes] = field(default_factory=dict)


@dataclass
class CowData:
    igos: dict[str, Igo]
    ccodes: list[int]  # their COW numbers, same order
    files: dict[str, str]
    first_year: int
    last_year: int


def _read_states(path, text, mapping, problems) -> dict[str, tuple[int, set[int]]]:
    """State column name -> (COW number, years in the system), from the state-year file."""
    name = path.name
    states: dict[str, tuple[int, set[int]]] = {}
    rows = _rows(name, text, problems)
    first = next(iter(rows), None)
    if first is None:
        return states
    index = _header(name, first[1], STATE_COLUMNS, problems)
    if index is None:
        return states
    width = len(first[1])
    igo_positions = [i for c, i in index.items() if c not in STATE_COLUMNS]
    igo_start = max(index[c] for c in STATE_COLUMNS) + 1
    for line, row in rows:
        if len(row) != width:
            problems.add(name, line, None, "", f"{len(row)} fields where the header has {width}")
            continue
        ccode = _int(row[index["ccode"]])
        year = _int(row[index["year"]])
        state = row[index["state"]].strip()
        if ccode is None:
            problems.add(
                name,
                line,
                index["ccode"] + 1,
                "ccode",
                f"“{row[index['ccode']][:20]}” is not a COW state number",
            )
            continue
        if year is None:
            problems.add(
                name, line, index["year"] + 1, "year", f"“{row[index['year']][:20]}” is not a year"
            )
            continue
        if ccode not in mapping.periods:
            problems.add(
                name,
                line,
                index["ccode"] + 1,
                "ccode",
                f"unknown COW state code {ccode} (“{state}”): not in Accord's table of COW states",
            )
            continue
        if not state:
            problems.add(name, line, index["state"] + 1, "state", "the state name is empty")
            continue
        known = states.get(state)
        if known is not None and known[0] != ccode:
            problems.add(
                name,
                line,
                index["ccode"] + 1,
                "ccode",
                f"“{state}” is state {ccode} here but {known[0]} on an earlier line",
            )
            continue
        states.setdefault(state, (ccode, set()))[1].add(year)
        if set(row[igo_start:]) <= VALID_CELLS:
            continue  # every code is a plain one: the usual case, checked at C speed
        for position in igo_positions:
            if row[position].strip() not in CODES:
                header = first[1][position]
                problems.add(
                    name,
                    line,
                    position + 1,
                    header,
                    f"“{row[position][:20]}” is not a membership code (0, 1, 2, 3, -9 or -1)",
                )
                break
    return states


def _read_igos(path, text, states, mapping, problems, progress) -> tuple[dict, list, list]:
    name = path.name
    igos: dict[str, Igo] = {}
    rows = _rows(name, text, problems)
    first = next(iter(rows), None)
    if first is None:
        return igos, [], []
    header = [c.strip() for c in first[1]]
    index = _header(name, header, IGO_COLUMNS, problems)
    if index is None:
        return igos, [], []
    # The state columns: between "year" and "sdate", as published.
    positions = list(range(index["year"] + 1, index["sdate"]))
    columns = [header[p] for p in positions]
    ccodes = []
    for position, column in zip(positions, columns, strict=True):
        if column not in states:
            problems.add(
                name,
                1,
                position + 1,
                column,
                f"unknown state “{column}”: the state-year file has no such state",
            )
            ccodes.append(0)
        else:
            ccodes.append(states[column][0])
    if problems:
        return igos, columns, ccodes
    width = len(header)
    acronym = re.compile(ACRONYM_PATTERN)
    # Only the states whose country depends on the year can lack one in a year.
    split_columns = [j for j, ccode in enumerate(ccodes) if ccode not in mapping.simple]
    total = text.count("\n")
    for line, row in rows:
        if progress and line % 500 == 0:
            progress(line, total)
        if len(row) != width:
            problems.add(name, line, None, "", f"{len(row)} fields where the header has {width}")
            continue
        ioname = row[index["ioname"]].strip()
        if not acronym.match(ioname) or len(ioname) > 20:
            problems.add(
                name,
                line,
                index["ioname"] + 1,
                "ioname",
                f"“{ioname[:30]}” is not an IGO code (a letter, then letters and digits)",
            )
            continue
        year = _int(row[index["year"]])
        if year is None or not 1700 <= year <= 2200:
            problems.add(
                name, line, index["year"] + 1, "year", f"“{row[index['year']][:20]}” is not a year"
            )
            continue
        cells = row[positions[0] : positions[-1] + 1] if positions else []
        if set(cells) <= VALID_CELLS:
            codes = bytes(map(CODES.__getitem__, cells))
            unmapped = next(
                (j for j in split_columns if codes[j] and mapping.country(ccodes[j], year) is None),
                None,
            )
            if unmapped is None:
                _keep(igos, ioname, year, codes, row, index, name, line, problems)
                continue
        codes = bytearray()
        for position, column, ccode in zip(positions, columns, ccodes, strict=True):
            code = CODES.get(row[position].strip())
            if code is None:
                problems.add(
                    name,
                    line,
                    position + 1,
                    column,
                    f"“{row[position][:20]}” is not a membership code (0, 1, 2, 3, -9 or -1)",
                )
                break
            if code and mapping.country(ccode, year) is None:
                problems.add(
                    name,
                    line,
                    position + 1,
                    column,
                    f"state {ccode} is coded a member in {year}, but Accord's table of COW "
                    "states gives it no country in that year",
                )
                break
            codes.append(code)
        else:
            _keep(igos, ioname, year, bytes(codes), row, index, name, line, problems)
    return igos, columns, ccodes


def _keep(igos, ioname, year, codes, row, index, name, line, problems) -> None:
    """Keep one checked row of the IGO-year file."""
    igo = igos.get(ioname)
    if igo is None:
        sdate = _int(row[index["sdate"]])
        dead = row[index["deaddate"]].strip()
        igo = igos[ioname] = Igo(
            ioname=ioname,
            name=unicodedata.normalize("NFC", row[index["orgname"]]).strip(),
            long_name=row[index["longorgname"]].strip() if "longorgname" in index else "",
            founded=sdate,
            dissolved=_int(dead) if dead else None,
        )
        if not igo.name:
            problems.add(name, line, index["orgname"] + 1, "orgname", "no name")
    if year in igo.years:
        problems.add(name, line, index["year"] + 1, "year", f"{ioname} {year} twice")
    igo.years[year] = codes


def read_directory(
    directory: Path, mapping: Mapping | None = None, progress: Callable | None = None
) -> CowData:
    """Read and check both files; raises CowImportError naming every problem found."""
    mapping = mapping or read_mapping()
    problems = _Problems()
    directory = Path(directory)
    if not directory.is_dir():
        problems.add(str(directory), None, None, "", "not a directory")
        problems.raise_if_any()
    state_path = _find(directory, STATE_FILE, problems)
    igo_path = _find(directory, IGO_FILE, problems)
    problems.raise_if_any()
    state_text, state_digest = _text(state_path, problems)
    igo_text, igo_digest = _text(igo_path, problems)
    problems.raise_if_any()
    states = _read_states(state_path, state_text, mapping, problems)
    del state_text
    problems.raise_if_any()
    igos, _columns, ccodes = _read_igos(igo_path, igo_text, states, mapping, problems, progress)
    problems.raise_if_any()
    if not igos:
        problems.add(igo_path.name, None, None, "", "no IGO rows")
        problems.raise_if_any()
    years = [year for igo in igos.values() for year in igo.years]
    return CowData(
        igos=igos,
        ccodes=ccodes,
        files={state_path.name: state_digest, igo_path.name: igo_digest},
        first_year=min(years),
        last_year=max(years),
    )


def spells(data: CowData, mapping: Mapping) -> list[tuple[str, str, str, int, int]]:
    """(ioname, country code, status, first year, last year): runs of consecutive years in
    which a state held one status in an IGO and mapped to one country."""
    import numpy as np

    result = []
    for igo in data.igos.values():
        years = sorted(igo.years)
        table = np.frombuffer(b"".join(igo.years[y] for y in years), dtype=np.uint8)
        table = table.reshape(len(years), len(data.ccodes))
        # Most states were never members of most IGOs: only the columns with a code walk.
        for column in np.flatnonzero(table.any(axis=0)).tolist():
            ccode = data.ccodes[column]
            run = None  # [country, code, first, last]
            for year in years:
                code = igo.years[year][column]
                country = mapping.country(ccode, year) if code else None
                if run is not None and (code != run[1] or country != run[0] or year != run[3] + 1):
                    result.append((igo.ioname, run[0], STATUS[run[1]], run[2], run[3]))
                    run = None
                if code and run is None:
                    run = [country, code, year, year]
                elif code:
                    run[3] = year
            if run is not None:
                result.append((igo.ioname, run[0], STATUS[run[1]], run[2], run[3]))
    return result


# ---------------------------------------------------------------- writing


@dataclass
class ImportReport:
    organizations_matched: int = 0
    organizations_created: int = 0
    countries_created: int = 0
    spells_added: int = 0
    spells_removed: int = 0
    spells_kept: int = 0
    igos: int = 0
    years: tuple[int, int] = (0, 0)
    matched: dict[str, str] = field(default_factory=dict)  # ioname -> acronym, when they differ

    @property
    def changed(self) -> bool:
        return bool(
            self.organizations_created
            or self.countries_created
            or self.spells_added
            or self.spells_removed
        )


def _folded(text: str) -> str:
    """A name as names are compared (core.names.fold), its punctuation dropped, "&" as "and"."""
    return re.sub(r"[^a-z0-9]+", " ", fold(text or "").replace("&", " and ")).strip()


def _countries(mapping: Mapping, codes: set[str], actor, report: ImportReport) -> dict[str, int]:
    """Country id by code: ISO countries as loaded, entities of the table created if missing."""
    ids = dict(Country.objects.filter(iso3__in=codes).values_list("iso3", "pk"))
    for code in sorted(codes - set(ids)):
        entity = mapping.entities.get(code)
        if entity is None:
            raise CowImportError(
                [
                    Problem(
                        MAPPING_FILE.name,
                        None,
                        None,
                        "",
                        f"{code} is neither a country of this workspace nor an entity of the table "
                        "(load the countries first: accord demo or the country import)",
                    )
                ]
            )
        note = entity.note
        if entity.iso3166_3:
            note = f"ISO 3166-3 {entity.iso3166_3}. {note}".strip()
        country = core.create(
            Country(
                iso3=entity.key,
                iso2=None,
                numeric=None,
                name=entity.name,
                region=entity.region,
                subregion=entity.subregion,
                exists_from=entity.first_year,
                exists_to=entity.last_year,
                note=note[:300],
            ),
            actor=actor,
            reason=f"Historical state of {DATASET_NAME}"
            if entity.last_year
            else f"State of {DATASET_NAME}",
        )
        ids[code] = country.pk
        report.countries_created += 1
    return ids


def _organizations(data: CowData, actor, report: ImportReport) -> dict[str, int]:
    """Organization id by COW code: matched by identifier, COW code, acronym or name; the rest
    created in bulk, each with its first history entry and its search entry."""
    by_identifier = dict(
        OrganizationIdentifier.objects.filter(scheme=IDENTIFIER_SCHEME).values_list(
            "value", "organization_id"
        )
    )
    organizations = list(
        Organization.objects.only("pk", "acronym", "name", "former_names", "cow_ioname")
    )
    by_cow = {o.cow_ioname.casefold(): o for o in organizations if o.cow_ioname}
    by_acronym = {o.acronym.casefold(): o for o in organizations}
    by_name: dict[str, Organization] = {}
    for o in organizations:
        for name in [o.name, *(o.former_names or [])]:
            by_name.setdefault(_folded(name), o)
    taken = set(by_identifier.values())
    ids: dict[str, int] = {}
    new: dict[str, Organization] = {}
    for ioname, igo in sorted(data.igos.items()):
        if ioname in by_identifier:
            ids[ioname] = by_identifier[ioname]
            report.organizations_matched += 1
            continue
        key = ioname.casefold()
        match = by_cow.get(key) or by_acronym.get(key) or by_name.get(_folded(igo.name))
        if match is not None and match.pk in taken:
            match = None  # another IGO already holds it: never two IGOs on one organization
        if match is None:
            acronym = ioname if key not in by_acronym else f"{ioname}-COW"[:20]
            new[ioname] = Organization(
                acronym=acronym,
                name=igo.name[:200],
                kind="other",
                founded=igo.founded,
                dissolved=igo.dissolved
                if igo.dissolved and (not igo.founded or igo.dissolved >= igo.founded)
                else None,
                source=ORGANIZATION_SOURCE,
                cow_ioname=ioname,
                former_names=[igo.long_name[:200]]
                if igo.long_name and _folded(igo.long_name) != _folded(igo.name)
                else [],
            )
        else:
            report.organizations_matched += 1
            if match.acronym != ioname:
                report.matched[ioname] = match.acronym
            ids[ioname] = match.pk
            taken.add(match.pk)
    if new:
        ids.update(_create_organizations(new, actor))
        report.organizations_created = len(new)
    OrganizationIdentifier.objects.bulk_create(
        [
            OrganizationIdentifier(organization_id=pk, scheme=IDENTIFIER_SCHEME, value=ioname)
            for ioname, pk in ids.items()
            if ioname not in by_identifier
        ]
    )
    return ids


def _create_organizations(new: dict[str, Organization], actor) -> dict[str, int]:
    """Create the organizations in bulk, as the services would one by one: checked, with the
    names the search looks for, a first history entry each, and their search entries."""
    from accord.registry.names import organization_search_text
    from accord.search import index

    core.require_editor(actor)
    for organization in new.values():
        organization.full_clean(validate_unique=False, validate_constraints=False)
        organization.search_text = organization_search_text(organization)
    created = Organization.objects.bulk_create(new.values(), batch_size=500)
    user = actor if getattr(actor, "is_authenticated", False) else None
    Organization.history.bulk_history_create(
        created,
        batch_size=500,
        default_user=user,
        default_change_reason=f"Imported from {DATASET_NAME}",
    )
    for kind in index.kinds_of(Organization):
        index.reindex_records(kind, [o.pk for o in created])
    return {ioname: organization.pk for ioname, organization in zip(new, created, strict=True)}


# The key of PostgreSQL's advisory lock that makes concurrent imports take turns.
IMPORT_LOCK = 0x434F5749  # "COWI"


def _one_import_at_a_time() -> None:
    """Concurrent imports take turns, each reading what the one before it wrote: on
    PostgreSQL by an advisory lock held until the transaction ends; on SQLite the transaction
    is IMMEDIATE (settings), so it holds the write lock from its start."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])


def import_cow(
    directory: Path,
    *,
    actor=None,
    mapping: Mapping | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> ImportReport:
    """Check the files, then write the spells in one transaction (see the module's doc)."""
    mapping = mapping or read_mapping()

    def step(label):
        return (lambda done, total: progress(label, done, total)) if progress else None

    data = read_directory(directory, mapping, progress=step("Reading"))
    rows = spells(data, mapping)
    report = ImportReport(igos=len(data.igos), years=(data.first_year, data.last_year))
    with transaction.atomic():
        _one_import_at_a_time()
        # Every state of the files has its country, members of some IGO or not: a historical
        # state is kept even where the data hold no membership of it.
        codes = {code for ccode in data.ccodes for _f, _l, code in mapping.periods[ccode]}
        countries = _countries(mapping, codes, actor, report)
        organizations = _organizations(data, actor, report)
        dataset = Dataset.objects.select_for_update().filter(key=DATASET_KEY).first()
        desired = {
            (organizations[ioname], countries[code], status.value, first, last)
            for ioname, code, status, first, last in rows
        }
        existing = {}
        if dataset is not None:
            for pk, *key in dataset.spells.values_list(
                "pk", "organization_id", "country_id", "status", "first_year", "last_year"
            ).iterator(chunk_size=5000):
                existing[tuple(key)] = pk
        gone = [pk for key, pk in existing.items() if key not in desired]
        new = sorted(key for key in desired if key not in existing)
        report.spells_removed = len(gone)
        report.spells_added = len(new)
        report.spells_kept = len(existing) - len(gone)
        if dataset is None or report.changed or dataset.files != data.files:
            values = {
                "name": DATASET_NAME,
                "citation": CITATION,
                "url": URL,
                "first_year": data.first_year,
                "last_year": data.last_year,
                "imported_at": timezone.now(),
                "imported_by": actor if getattr(actor, "is_authenticated", False) else None,
                "files": data.files,
                "counts": {"igos": len(data.igos), "spells": len(desired)},
            }
            dataset, _created = Dataset.objects.update_or_create(key=DATASET_KEY, defaults=values)
        for start in range(0, len(gone), 5000):
            SourceMembership.objects.filter(pk__in=gone[start : start + 5000]).delete()
        # Plain rows: executemany, not model instances (19,000 of them on a first import).
        table = SourceMembership._meta.db_table
        # The table name is the model's; the values are parameters.
        columns = "dataset_id, organization_id, country_id, status, first_year, last_year"
        sql = f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s)"  # noqa: S608
        total = len(new)
        batch = 5000
        with connection.cursor() as cursor:
            for start in range(0, total, batch):
                cursor.executemany(sql, [(dataset.pk, *row) for row in new[start : start + batch]])
                if progress:
                    progress("Writing", min(start + batch, total), total)
    return report
