"""What every app's tables share: which columns a narrow screen leaves out, and the columns
other apps add to a list (accord/core/extensions.py)."""

import django_tables2 as tables
from django.db.models import F

# Bootstrap's display classes: a column of priority 2 shows from 768 px (tablets), one of
# priority 3 from 992 px. Columns without a priority (the record's name, its status) show on
# a phone too, so a row stays readable at 390 px without scrolling sideways.
HIDDEN_BELOW = {2: "d-none d-md-table-cell", 3: "d-none d-lg-table-cell"}


def set_priorities(table_class, **priorities: int) -> None:
    """Give the named columns of `table_class` a priority (2 or 3) for narrow screens.

    Tables whose rows are written out in a template carry the same classes on their cells
    (`{{ table.columns.<name>.attrs.td.class }}` would cost a lookup per cell).
    """
    for name, level in priorities.items():
        column = table_class.base_columns[name]
        attrs = dict(column.attrs or {})
        for part in ("th", "td"):
            cell = dict(attrs.get(part, {}))
            cell["class"] = f"{cell.get('class', '')} {HIDDEN_BELOW[level]}".strip()
            attrs[part] = cell
        column.attrs = attrs


# ---------------------------------------------------------------- columns other apps add


class AddedColumn(tables.Column):
    """A column an app adds to another app's list (accord/core/extensions.ListColumn).

    Sorting by it annotates the list's query with its value (`annotate(queryset)`), then sorts
    with the rows that have no value last, ascending or descending alike (SQLite and
    PostgreSQL place NULLs differently by default), then by primary key.
    """

    def __init__(self, *args, sort_by: str = "", annotate=None, **kwargs):
        self.sort_by = sort_by
        self.annotate = annotate
        super().__init__(*args, orderable=bool(sort_by), **kwargs)

    def order(self, queryset, is_descending):
        if not self.sort_by:
            return queryset, False
        if self.annotate is not None and self.sort_by not in queryset.query.annotations:
            queryset = self.annotate(queryset)
        field = F(self.sort_by)
        first = field.desc(nulls_last=True) if is_descending else field.asc(nulls_last=True)
        return queryset.order_by(first, "pk"), True


def table_columns_of(columns, user=None) -> list[tuple[str, tables.Column]]:
    """django-tables2's `extra_columns` for the ListColumns `columns` shown to `user`."""
    made = []
    for column in columns:
        attrs = {}
        if column.cell_class:
            attrs = {"th": {"class": column.cell_class}, "td": {"class": column.cell_class}}
        made.append(
            (
                column.key,
                AddedColumn(
                    accessor=column.sort_by or column.key,
                    verbose_name=column.label,
                    sort_by=column.sort_by,
                    annotate=lambda queryset, column=column: column.annotate(queryset, user),
                    attrs=attrs,
                    empty_values=(),
                ),
            )
        )
    return made
