"""Bulk entry of memberships: read pasted text, CSV or XLSX into rows, and judge each row.

Reading turns the input into plain rows (line, country, status, from, to) or refuses the whole
input with one message (too big, not text, not a workbook). Judging marks each row new,
unchanged or wrong against the registry, with the reason; writing is
services.membership_bulk_create(), which takes only the rows judged new.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import difflib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

import pycountry
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .choices import MembershipStatus
from .models import Country, Membership
from .names import country_aliases

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 1000
MAX_TEXT = 200_000
# Columns read from a table; more are ignored.
MAX_COLUMNS = 20

NEW, UNCHANGED, WRONG = "new", "unchanged", "wrong"
RESULT_LABELS = {
    NEW: gettext_lazy("new"),
    UNCHANGED: gettext_lazy("unchanged"),
    WRONG: gettext_lazy("wrong"),
}

# Header names (any of the six interface languages) for the four columns.
HEADERS = {
    "country": {
        "country", "countries", "state", "member", "name", "iso", "iso2", "iso3", "code",
        "pays", "etat", "land", "staat", "paese", "stato membro", "pais", "estado miembro",
        "страна", "государство",
    },
    "status": {"status", "statut", "stato", "estado", "статус"},
    "valid_from": {
        "from", "valid from", "valid_from", "start", "since", "joined", "member from",
        "depuis", "de", "von", "ab", "dal", "da", "desde", "с",
    },
    "valid_to": {
        "to", "valid to", "valid_to", "end", "until", "left", "jusqu'a", "a", "bis",
        "al", "fino a", "hasta", "по", "до",
    },
}  # fmt: skip
COLUMNS = ("country", "status", "valid_from", "valid_to")


class BulkInputError(Exception):
    """The whole input is refused; the message says why."""


@dataclass
class Row:
    """One row as read: text (or a date from a workbook), and a reading problem if any."""

    line: int
    country: str
    status: str = ""
    valid_from: object = ""
    valid_to: object = ""
    problem: str = ""

    def as_list(self) -> list:
        def plain(value):
            return value.isoformat() if isinstance(value, datetime.date) else str(value or "")

        return [
            self.line,
            self.country,
            self.status,
            plain(self.valid_from),
            plain(self.valid_to),
            self.problem,
        ]

    @classmethod
    def from_list(cls, values: list) -> Row:
        line, country, status, valid_from, valid_to, problem = values
        return cls(int(line), str(country), str(status), valid_from, valid_to, str(problem))


@dataclass
class Reading:
    rows: list[Row]
    notices: list[str] = field(default_factory=list)


@dataclass
class Judged:
    """A row and what bulk entry would do with it."""

    line: int
    given: str
    result: str
    reason: str = ""
    country: Country | None = None
    status: str = ""
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None
    suggestions: list[str] = field(default_factory=list)

    @property
    def result_label(self) -> str:
        return str(RESULT_LABELS[self.result])

    def status_label(self) -> str:
        return str(MembershipStatus(self.status).label) if self.status else ""


# ---------------------------------------------------------------- reading


def _cell(value) -> str | datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _norm_header(value) -> str:
    return _fold(str(value)).replace("_", " ").strip() if value is not None else ""


def _rows_from_table(records, index: CountryIndex | None = None) -> Reading:
    """Rows from (line, cells) records: a header row names the columns, else they are in order."""
    rows: list[Row] = []
    columns = None
    headers = {column: {_fold(h) for h in HEADERS[column]} for column in COLUMNS}
    for line, cells in records:
        values = [_cell(v) for v in cells[:MAX_COLUMNS]]
        if not any(values):
            continue
        if columns is None and not rows:
            names = [_norm_header(v) if isinstance(v, str) else "" for v in values]
            found = {}
            for position, name in enumerate(names):
                for column in COLUMNS:
                    if name in headers[column] and column not in found:
                        found[column] = position
            first_is_country = index is not None and index.find(str(values[0])) is not None
            if "country" in found and not first_is_country:
                columns = found
                continue
            columns = {column: position for position, column in enumerate(COLUMNS)}
        if len(rows) >= MAX_ROWS:
            raise BulkInputError(
                _("The input has more than %(max)s rows; enter at most %(max)s at once.")
                % {"max": f"{MAX_ROWS:,}"}
            )
        picked = {
            column: values[position] if position < len(values) else ""
            for column, position in columns.items()
        }
        rows.append(
            Row(
                line=line,
                country=str(picked.get("country", "")),
                status=str(picked.get("status", "")),
                valid_from=picked.get("valid_from", ""),
                valid_to=picked.get("valid_to", ""),
            )
        )
    return Reading(rows)


def read_text(text: str, index: CountryIndex | None = None) -> Reading:
    """Pasted text: one country a line, or tab-separated columns as pasted from a spreadsheet."""
    if len(text) > MAX_TEXT:
        raise BulkInputError(
            _("The text is too long (at most %(max)s characters).") % {"max": f"{MAX_TEXT:,}"}
        )
    lines = text.splitlines()
    if "\t" in text:
        records = [(n, line.split("\t")) for n, line in enumerate(lines, 1)]
    elif ";" in text:
        records = [(n, line.split(";")) for n, line in enumerate(lines, 1)]
    else:
        # A name may hold a comma ("Korea, Republic of"): a line without tabs is one country.
        records = [(n, [line]) for n, line in enumerate(lines, 1)]
    return _rows_from_table(records, index)


def _decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and a notice about its encoding ("" for UTF-8)."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode text": UTF-16 with tabs.
        try:
            return data.decode("utf-16"), ""
        except UnicodeDecodeError:
            raise BulkInputError(_("The file claims UTF-16 but cannot be read as it.")) from None
    if b"\x00" in data:
        raise BulkInputError(
            _("The file is not text (it holds binary data). Upload a CSV or XLSX file.")
        )
    try:
        return data.decode("utf-8"), ""
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    notice = _(
        "The file is not UTF-8; it was read as Windows-1252 (Western European). Check "
        "names with accents, or save the file as “CSV UTF-8”."
    )
    return text, notice


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    controls = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\t\r\n")
    return controls > max(2, len(sample) // 100)


def read_csv(data: bytes, index: CountryIndex | None = None) -> Reading:
    text, notice = _decode(data)
    if _looks_binary(text):
        raise BulkInputError(
            _("The file is not text (it holds binary data). Upload a CSV or XLSX file.")
        )
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        first = sample.splitlines()[0] if sample.splitlines() else ""
        delimiter = "\t" if "\t" in first else ";" if ";" in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records = []
    try:
        for cells in reader:
            records.append((reader.line_num, cells))
            if len(records) > MAX_ROWS * 2:
                break
    except csv.Error as exc:
        raise BulkInputError(
            _("Line %(line)s of the file cannot be read as CSV: %(error)s")
            % {"line": reader.line_num, "error": exc}
        ) from None
    reading = _rows_from_table(records, index)
    if notice:
        reading.notices.append(notice)
    return reading


def read_xlsx(data: bytes, index: CountryIndex | None = None) -> Reading:
    import openpyxl

    def open_workbook(values: bool):
        return openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=values, keep_links=False
        )

    try:
        values_book = open_workbook(True)
        formulas_book = open_workbook(False)
    except Exception:  # noqa: BLE001 - a damaged upload fails in many ways inside openpyxl
        raise BulkInputError(
            _("The file is not a readable XLSX workbook. Save it again from Excel, or as CSV.")
        ) from None
    notices = []
    try:
        names = values_book.sheetnames
        if not names:
            raise BulkInputError(_("The workbook has no sheet."))
        if len(names) > 1:
            notices.append(
                _("The workbook has %(count)s sheets; only the first, “%(name)s”, was read.")
                % {"count": len(names), "name": names[0]}
            )
        values_sheet = values_book[names[0]]
        formulas_sheet = formulas_book[names[0]]
        records, unsaved, formulas = [], {}, False
        pairs = zip(
            values_sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True),
            formulas_sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True),
            strict=False,
        )
        for number, (values, raw) in enumerate(pairs, 1):
            cells = list(values)
            for position, source in enumerate(raw):
                if isinstance(source, str) and source.startswith("="):
                    formulas = True
                    if position < len(cells) and cells[position] is None:
                        unsaved[number] = source
            records.append((number, cells))
            if len(records) > MAX_ROWS * 2:
                break
    except BulkInputError:
        raise
    except Exception:  # noqa: BLE001
        raise BulkInputError(
            _("The file is not a readable XLSX workbook. Save it again from Excel, or as CSV.")
        ) from None
    finally:
        values_book.close()
        formulas_book.close()
    if formulas:
        notices.append(_("Cells with formulas were read as their saved results."))
    reading = _rows_from_table(records, index)
    for row in reading.rows:
        if row.line in unsaved:
            row.problem = _(
                "a formula without a saved result (%(formula)s): open and save the file in "
                "Excel, or paste the values"
            ) % {"formula": unsaved[row.line][:40]}
    reading.notices = notices + reading.notices
    return reading


def read_upload(upload, index: CountryIndex | None = None) -> Reading:
    """A CSV or XLSX upload, told apart by its content, not only its name."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise BulkInputError(
            _("The file is too large (%(size)s MB); the limit is 2 MB.")
            % {"size": f"{upload.size / 1024 / 1024:.1f}"}
        )
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise BulkInputError(_("The file is too large; the limit is 2 MB."))
    if not data.strip():
        raise BulkInputError(_("The file is empty."))
    name = (upload.name or "").lower()
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise BulkInputError(
            _("This is an old Excel (.xls) file: save it as .xlsx or CSV and upload that.")
        )
    if zipfile.is_zipfile(io.BytesIO(data)):
        reading = read_xlsx(data, index)
    elif name.endswith((".xlsx", ".xlsm")):
        raise BulkInputError(
            _("The file is not a readable XLSX workbook. Save it again from Excel, or as CSV.")
        )
    else:
        reading = read_csv(data, index)
    if not reading.rows:
        raise BulkInputError(_("The file holds no rows."))
    return reading


# ---------------------------------------------------------------- countries


def _fold(text: str) -> str:
    """Lower case without accents or punctuation: "Türkiye" and "turkiye" match."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("&", " and ")
    return re.sub(r"[^\w']+", " ", text).strip()


class CountryIndex:
    """Countries by ISO codes, names, official and common names (ours and pycountry's) and
    the reviewed aliases that the list searches use."""

    def __init__(self, countries):
        self.keys: dict[str, Country] = {}
        self.names: dict[str, Country] = {}
        for country in countries:
            for code in (country.iso2, country.iso3, country.numeric):
                if code:
                    self.keys[_fold(code)] = country
            if country.numeric:
                self.keys[str(int(country.numeric))] = country
            names = {country.name, country.official_name}
            known = pycountry.countries.get(alpha_3=country.iso3)
            if known is not None:
                for attribute in ("name", "official_name", "common_name"):
                    names.add(getattr(known, attribute, "") or "")
            names.update(country_aliases().get(country.iso3, ()))  # Turkey, Russia, Swaziland
            for name in names:
                if name:
                    self.names.setdefault(_fold(name), country)
                    if _fold(name).startswith("the "):
                        self.names.setdefault(_fold(name)[4:], country)

    def find(self, text: str) -> Country | None:
        key = _fold(text)
        if not key:
            return None
        return self.keys.get(key) or self.names.get(key) or self.names.get(f"the {key}")

    def suggest(self, text: str) -> list[str]:
        key = _fold(text)
        if not key:
            return []
        matches = difflib.get_close_matches(key, list(self.names), n=6, cutoff=0.7)
        # Names that start with what was typed ("bosnia" → Bosnia and Herzegovina).
        matches += [name for name in self.names if len(key) >= 4 and name.startswith(key)]
        found = []
        for match in matches:
            country = self.names[match]
            label = f"{country.name} ({country.iso3})"
            if label not in found:
                found.append(label)
        return found[:3]


def country_index(*, user) -> CountryIndex:
    return CountryIndex(
        Country.objects.visible_to(user).only("iso2", "iso3", "numeric", "name", "official_name")
    )


# ---------------------------------------------------------------- judging


def _status_names() -> dict[str, str]:
    """Status values and labels (English and the active language) → value."""
    names = {"member": MembershipStatus.FULL}
    for value, label in MembershipStatus.choices:
        names[_fold(value)] = value
        names[_fold(str(label))] = value
        with translation.override("en"):
            names[_fold(str(label))] = value
    return names


def _date(value) -> datetime.date | None:
    """A date from a workbook cell, ISO text or the language's own format; ValueError if not."""
    if isinstance(value, datetime.date):
        return value
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return forms.DateField().clean(text)
    except ValidationError:
        raise ValueError(text) from None


def _overlap(a_from, a_to, b_from, b_to) -> bool:
    low, high = datetime.date.min, datetime.date.max
    return (a_from or low) <= (b_to or high) and (b_from or low) <= (a_to or high)


def _span(start, end) -> str:
    first = start.isoformat() if start else _("unknown")
    last = end.isoformat() if end else _("open")
    return f"{first} – {last}"


def judge(
    *,
    user,
    organization,
    rows: list[Row],
    default_status: str = MembershipStatus.FULL,
    default_from: datetime.date | None = None,
    confirm_before_founding: bool = False,
    index: CountryIndex | None = None,
) -> list[Judged]:
    """Mark each row new, unchanged or wrong, in two queries whatever the number of rows."""
    index = index or country_index(user=user)
    statuses = _status_names()
    judged: list[Judged] = []
    for row in rows:
        item = Judged(line=row.line, given=row.country.strip(), result=NEW)
        problems = []
        if row.problem:
            problems.append(row.problem)
        if not item.given:
            problems.append(_("no country"))
        else:
            item.country = index.find(item.given)
            if item.country is None:
                item.suggestions = index.suggest(item.given)
                if item.suggestions:
                    problems.append(
                        _("unknown country “%(given)s”; did you mean %(names)s?")
                        % {"given": item.given[:60], "names": _(" or ").join(item.suggestions)}
                    )
                else:
                    problems.append(
                        _("unknown country “%(given)s” (give its name or ISO code)")
                        % {"given": item.given[:60]}
                    )
        status_text = str(row.status or "").strip()
        item.status = statuses.get(_fold(status_text)) if status_text else default_status
        if item.status is None:
            item.status = ""
            problems.append(
                _("unknown status “%(given)s” (one of: %(choices)s)")
                % {"given": status_text[:40], "choices": ", ".join(MembershipStatus.values)}
            )
        for name, column_label in (("valid_from", _("from")), ("valid_to", _("to"))):
            try:
                value = _date(getattr(row, name))
            except ValueError as exc:
                problems.append(
                    _("“%(value)s” in “%(column)s” is not a date (YYYY-MM-DD)")
                    % {"value": str(exc)[:40], "column": column_label}
                )
                value = None
            setattr(item, name, value)
        if item.valid_from is None and not str(row.valid_from or "").strip():
            item.valid_from = default_from
        if item.valid_from and item.valid_to and item.valid_to < item.valid_from:
            problems.append(_("“to” is before “from”"))
        if (
            not confirm_before_founding
            and organization.founded
            and item.valid_from
            and item.valid_from.year < organization.founded
        ):
            problems.append(
                _("begins on %(start)s, before %(organization)s was founded in %(founded)s")
                % {
                    "start": item.valid_from.isoformat(),
                    "organization": organization.acronym,
                    "founded": organization.founded,
                }
            )
        if problems:
            item.result, item.reason = WRONG, "; ".join(problems)
        judged.append(item)

    ids = {item.country.pk for item in judged if item.country is not None}
    existing: dict[int, list[Membership]] = {}
    spells = Membership.objects.visible_to(user).filter(
        organization=organization, country_id__in=ids
    )
    for spell in spells.order_by("valid_from"):
        existing.setdefault(spell.country_id, []).append(spell)

    taken: dict[int, list[Judged]] = {}
    for item in judged:
        if item.result == WRONG:
            continue
        for other in taken.get(item.country.pk, []):
            if _overlap(item.valid_from, item.valid_to, other.valid_from, other.valid_to):
                item.result = WRONG
                item.reason = _("the same country as line %(line)s, with overlapping dates") % {
                    "line": other.line
                }
                break
        if item.result == WRONG:
            continue
        taken.setdefault(item.country.pk, []).append(item)
        for spell in existing.get(item.country.pk, []):
            same = (spell.status, spell.valid_from, spell.valid_to) == (
                item.status,
                item.valid_from,
                item.valid_to,
            )
            if same:
                item.result = UNCHANGED
                item.reason = _("already a member on these terms")
                break
            if _overlap(item.valid_from, item.valid_to, spell.valid_from, spell.valid_to):
                item.result = WRONG
                item.reason = _(
                    "overlaps its membership %(span)s (%(status)s); edit that one instead"
                ) % {
                    "span": _span(spell.valid_from, spell.valid_to),
                    "status": spell.get_status_display(),
                }
                break
    return judged


def counts(judged: list[Judged]) -> dict[str, int]:
    result = {NEW: 0, UNCHANGED: 0, WRONG: 0}
    for item in judged:
        result[item.result] += 1
    return result


def rows_to_write(judged: list[Judged]) -> list[dict]:
    """The new rows, as membership_bulk_create() takes them."""
    return [
        {
            "line": item.line,
            "country": item.country,
            "status": item.status,
            "valid_from": item.valid_from,
            "valid_to": item.valid_to,
        }
        for item in judged
        if item.result == NEW
    ]
