"""Lists as files: CSV (streamed, UTF-8 with BOM) and XLSX (typed cells), one shared exporter.

A list page exports what it shows: the same selector (so the visibility policy), the same
filters, search and sort, all rows instead of one page. Columns come from the page's
django-tables2 table: its visible columns with their headers, the values as data (dates as
dates, counts as numbers, choices as their labels, no HTML), plus the ids and codes the table
names in `export_extra`. A table can give a column's plain value with a `value_<name>` method,
as django-tables2's own export does.
"""

from __future__ import annotations

import csv
import datetime
import decimal
import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.db import models
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django_tables2 import A
from django_tables2.columns import BooleanColumn
from django_tables2.utils import call_with_appropriate

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Parameters of the page that an export leaves out: it has every row, not one page.
PAGE_PARAMS = ("page", "per_page")
# Rows read from the database at a time: the query count stays the same up to this many
# rows and grows by one round (the rows and their prefetches) per chunk beyond.
CHUNK = 2000
# A spreadsheet program reads a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 (so XLSX) cannot hold: control characters other than tab and newlines.
ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def max_rows() -> int:
    return getattr(settings, "ACCORD_EXPORT_MAX_ROWS", 100_000)


@dataclass(frozen=True)
class Column:
    """One column of an export: its header (already translated) and how to read a row."""

    header: str
    value: Callable[[Any], Any]


# ---------------------------------------------------------------- columns from a table


def _field_value(accessor: A, field) -> Callable[[Any], Any]:
    """A model field's value, a choice as its label (translated now, not per row)."""
    choices = getattr(field, "flatchoices", None) if field is not None else None
    if choices:
        labels = {value: str(label) for value, label in choices}

        def label(record):
            value = accessor.resolve(record, quiet=True)
            return labels.get(value, value)

        return label
    return lambda record: accessor.resolve(record, quiet=True)


def table_columns(table) -> list[Column]:
    """The table's visible columns (headers as on the page), then its `export_extra` ones."""
    model = getattr(table._meta, "model", None)
    columns = []
    for bound in table.columns:
        header = str(bound.header or "").strip()
        if not header:  # action columns ("Edit") have no header and no data
            continue
        method = getattr(table, f"value_{bound.name}", None)
        if method is not None:

            def value(record, method=method, accessor=bound.accessor):
                return call_with_appropriate(
                    method, {"record": record, "value": accessor.resolve(record, quiet=True)}
                )

        else:
            accessor = A(bound.accessor)
            value = _field_value(accessor, accessor.get_field(model) if model else None)
        if isinstance(bound.column, BooleanColumn):
            value = _as_bool(value)
        columns.append(Column(header, value))
    for accessor, header in getattr(table, "export_extra", ()):
        accessor = A(accessor)
        field = accessor.get_field(model) if model else None
        if header is None:
            header = capfirst(field.verbose_name) if field is not None else accessor
        columns.append(Column(str(header), _field_value(accessor, field)))
    return columns


def _as_bool(read):
    return lambda record: bool(read(record))


# ---------------------------------------------------------------- cells


def neutralise(text: str) -> str:
    """A text a spreadsheet would run as a formula, made plain text by a leading apostrophe."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _plain(value, yes: str, no: str):
    """A cell's value as data: None, bool, number, date, datetime (local, naive) or text."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return yes if value else no
    if isinstance(value, int | float | decimal.Decimal):
        return value
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        value = "; ".join(str(v) for v in value)
    return neutralise(str(value))


def _rows(records, columns: list[Column]):
    yes, no = _("Yes"), _("No")
    for record in records:
        yield [_plain(column.value(record), yes, no) for column in columns]


def _records(rows):
    """Rows from a queryset in chunks (prefetches included), or any iterable as it is."""
    if isinstance(rows, models.QuerySet):
        return rows.iterator(chunk_size=CHUNK)
    return rows


def _count(rows) -> int:
    return rows.count() if isinstance(rows, models.QuerySet) else len(rows)


# ---------------------------------------------------------------- files


class _Echo:
    """A file for csv.writer that hands each line back instead of keeping it."""

    def write(self, value):
        return value


def _csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def csv_stream(records, columns: list[Column]):
    """UTF-8 with a byte-order mark (Excel then reads accents right), RFC 4180 quoting."""
    writer = csv.writer(_Echo())  # the "excel" dialect: CRLF, quotes doubled, minimal quoting
    yield "\ufeff" + writer.writerow([neutralise(c.header) for c in columns])
    lines = []
    for row in _rows(_records(records), columns):
        lines.append(writer.writerow([_csv_text(v) for v in row]))
        if len(lines) >= 500:
            yield "".join(lines)
            lines = []
    if lines:
        yield "".join(lines)


def _sheet_title(title: str) -> str:
    title = re.sub(r"[\[\]:*?/\\]", " ", title).strip() or "Export"
    return title[:31]


def xlsx_bytes(records, columns: list[Column], *, title: str) -> bytes:
    """A workbook of one sheet: a bold, frozen header row, dates as dates, numbers as numbers."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(title))
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        width = min(max(len(column.header) + 2, 12), 60)
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=ILLEGAL_XML.sub("", neutralise(column.header)))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in _rows(_records(records), columns):
        cells = []
        for value in row:
            if isinstance(value, datetime.datetime):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd hh:mm"
                value = cell
            elif isinstance(value, datetime.date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd"
                value = cell
            elif isinstance(value, str):
                value = ILLEGAL_XML.sub("", value)
            cells.append(value)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def content_disposition(filename: str) -> str:
    """An attachment header: an ASCII name for every client, RFC 5987 UTF-8 for the others."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "_", ascii_name).strip("_.-") or "export"
    header = f'attachment; filename="{ascii_name}"'
    if ascii_name != filename:
        header += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return header


def file_response(records, columns: list[Column], *, fmt: str, filename: str, title: str):
    """The export as a download: `filename` without its extension."""
    name = f"{filename}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(csv_stream(records, columns), content_type=FORMATS["csv"])
    else:
        response = HttpResponse(
            xlsx_bytes(records, columns, title=title), content_type=FORMATS["xlsx"]
        )
    response["Content-Disposition"] = content_disposition(name)
    # A list that names personal data and classified records is not for shared caches.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---------------------------------------------------------------- what views call


def requested_format(request) -> str | None:
    """?format=csv or xlsx (csv when absent); None when it names something else."""
    fmt = request.GET.get("format", "csv").strip().lower()
    return fmt if fmt in FORMATS else None


def export_links(request, url: str, *, prefix: str = "", extra: dict | None = None) -> dict:
    """The CSV and XLSX addresses of the list as the page shows it (without its page number).

    `extra` sets parameters to what the page used (None drops one); `prefix` is the table's.
    """
    params = request.GET.copy()
    for name in PAGE_PARAMS:
        params.pop(prefix + name, None)
    for key, value in (extra or {}).items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    links = {}
    for fmt in FORMATS:
        params["format"] = fmt
        links[fmt] = f"{url}?{params.urlencode()}"
    return links


def error_response(request, *, title: str, errors: list[str], back_url: str):
    """Bad export parameters: the page's own messages, a 400, and a way back."""
    return render(
        request,
        "core/export_error.html",
        {"title": title, "errors": errors, "back_url": back_url},
        status=400,
    )


def bad_format_message(request) -> str:
    return _("“%(format)s” is not an export format: choose csv or xlsx.") % {
        "format": request.GET.get("format", "")[:20]
    }


def export(request, rows, columns: list[Column], *, filename: str, title: str, back_url: str):
    """Check the format and the size, then answer with the file (or a clear 400)."""
    fmt = requested_format(request)
    if fmt is None:
        return error_response(
            request, title=title, errors=[bad_format_message(request)], back_url=back_url
        )
    count = _count(rows)
    if count > max_rows():
        message = _(
            "This list has %(count)s rows; an export holds at most %(max)s. "
            "Narrow it down with the filters."
        ) % {"count": count, "max": max_rows()}
        return error_response(request, title=title, errors=[message], back_url=back_url)
    return file_response(rows, columns, fmt=fmt, filename=filename, title=title)


def form_errors(form) -> list[str]:
    """A form's or filterset's errors as the page shows them: the messages, field by field."""
    messages = []
    for errors in form.errors.values():
        messages.extend(str(e) for e in errors)
    return messages
