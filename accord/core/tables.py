"""What every app's tables share: which columns a narrow screen leaves out."""

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
