"""What the apps add to the parts of Accord that core draws, registered in AppConfig.ready().

`core` names no app (STYLE.md, "Arrows point one way"): the navbar, the dashboard, `accord
demo` and the workspace lookups collect what each app registers here, as NetBox's plugins add
menu items and panels. An app registers in its `AppConfig.ready()`:

- navbar entries (`register_nav_entry`): a link in the main menu, for the users a callable
  lets see it (by default those with a role, `policy.can_view`);
- dashboard panels (`register_panel`): a template and a callable `(request) -> dict | None`
  giving its context (None leaves the panel out for this request);
- demo loaders (`register_demo_loader`): its part of `accord demo`;
- the workspace (`register_workspace`, one app only): how to find the home organization and
  an organization by its acronym;
- search kinds (`register_search_kind`): what the workspace-wide search looks through: a
  model, how one record reads as a `SearchDocument`, which records a user may see, and which
  other models' writes change its documents. The search app keeps the index in step;
- account links (`register_account_link`): a link on the user's account page (the calendar
  subscription, say), for the users a callable lets see it;
- list columns (`register_list_column`): a column another app's list page shows (the
  engagement health on the organization list, say), with what feeds it: an annotation of the
  list's query, or one query for the whole page (`attach`), never a query per row;
- record panels (`register_record_panel`): a block another app's record page shows (the
  engagement health on an organization's page, say), as dashboard panels are drawn.

Every register_* call replaces an earlier one with the same key (ready() may run twice in
tests), and every list comes back sorted by (order, key), whatever the order of the apps.

Pages are kept per audience (accord/core/pagecache.py), so a `visible` callable decides from
what the policy knows about the user (role, partner organization), nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from . import policy


@dataclass(frozen=True)
class NavEntry:
    """A link in the main menu."""

    key: str
    label: Any  # a lazy translation: the menu is drawn in the reader's language
    url_name: str
    # The entry is marked active on every page whose path starts with this.
    prefix: str
    order: int = 100
    visible: Callable[[Any], bool] = policy.can_view


@dataclass(frozen=True)
class Panel:
    """A block of the dashboard."""

    key: str
    template_name: str
    # (request) -> the template's context under `panel`, or None to leave the panel out.
    context: Callable[[Any], dict | None]
    order: int = 100
    # Bootstrap column classes of the panel's column.
    width: str = "col-12"
    # Panels naming the same column are stacked in one column, which has the width and the
    # place of the first of them; "" gives the panel a column of its own.
    column: str = ""


@dataclass(frozen=True)
class DemoLoader:
    """An app's part of `accord demo`: `load(stdout=..., verbosity=...)`, idempotent."""

    key: str
    load: Callable[..., None]
    order: int = 100


@dataclass(frozen=True)
class Workspace:
    """The lookups core needs about the workspace's organizations."""

    # () -> the home organization, or None while there is none.
    home: Callable[[], Any]
    # (acronym) -> the organization with that acronym (any case), or None. Not through the
    # policy: for the command line (`accord createuser --organization`, `accord demo`).
    organization_by_acronym: Callable[[str], Any]


@dataclass(frozen=True)
class SearchDocument:
    """What the search index keeps of one record: the text it is found by and its facets.

    `body` is plain text; an app joins into it whatever else the record is found by (its
    parts' texts, text extracted from its attachments): `SearchDocument.join(*parts)`.
    `themes` and `organizations` are ids, for the facets and filters; `year` the record's
    year (a meeting's start, a document's adoption), if it has one.
    """

    title: str
    body: str
    url: str
    year: int | None = None
    themes: tuple[int, ...] = ()
    organizations: tuple[int, ...] = ()

    @staticmethod
    def join(*parts) -> str:
        """The non-empty parts, one paragraph each."""
        return "\n\n".join(str(part).strip() for part in parts if part and str(part).strip())


@dataclass(frozen=True)
class SearchKind:
    """A kind of record the workspace-wide search looks through.

    - `model`: "app_label.Model", the records of this kind;
    - `document(record)`: the record as a SearchDocument, or None to leave it out of the index;
    - `visible(user)`: the records of this kind the user may see (the app's `visible_to`); the
      search keeps only hits in it, before it ranks and counts;
    - `watch`: other models ("app_label.Model") whose saves and deletes change documents of
      this kind (an agenda item's title is in its meeting's document);
    - `reindex_for(instance)`: given a saved or deleted instance of a watched model, the
      records (or primary keys) of this kind to index again;
    - `prepare(queryset)`: select_related / prefetch_related for what `document` reads, so that
      a rebuild costs a few queries per thousand records, not several per record.
    """

    key: str
    label: Any
    model: str
    document: Callable[[Any], SearchDocument | None]
    visible: Callable[[Any], Any]
    watch: tuple[str, ...] = ()
    reindex_for: Callable[[Any], Any] | None = None
    order: int = 100
    prepare: Callable[[Any], Any] | None = None


@dataclass(frozen=True)
class AccountLink:
    """A link on the account page, to a page about the user's own settings."""

    key: str
    label: Any
    url_name: str
    icon: str = "bi-link-45deg"  # a Bootstrap icon's class
    order: int = 100
    visible: Callable[[Any], bool] = policy.can_view


@dataclass(frozen=True)
class ListColumn:
    """A column an app adds to another app's list page (the organization list, say).

    `annotate(queryset, user)` adds the annotation `sort_by` to the list's query, through the
    policy for `user` (subqueries, never a query per row). `attach(records, user)`, when given,
    sets what the cell shows on the records of one page, in one query: the list's query then
    carries the annotation only when it sorts by the column or is exported (an annotation
    computed for every row before sorting by another column costs the whole table). Without
    `attach`, the annotation is what the cell shows. `template_name` renders the row's cell
    (one `<td>`), given the row as `record` and the column as `column`. `sort_by` is "" for a
    column that does not sort (rows without a value come last either way); it is also the
    value an export of the list writes.
    """

    list_name: str
    key: str
    label: Any
    annotate: Callable[[Any, Any], Any]
    template_name: str
    sort_by: str = ""
    order: int = 100
    # Bootstrap classes of the header and cells (see accord/core/tables.py, HIDDEN_BELOW).
    cell_class: str = ""
    visible: Callable[[Any], bool] = policy.can_view
    attach: Callable[[list, Any], None] | None = None


@dataclass(frozen=True)
class RecordPanel:
    """A block an app adds to another app's record page (an organization's page, say)."""

    page: str
    key: str
    template_name: str
    # (request, record) -> the template's context under `panel`, or None to leave it out.
    context: Callable[[Any, Any], dict | None]
    order: int = 100


@dataclass
class Column:
    """A dashboard column as drawn: its width and its panels' (template, context) pairs."""

    width: str
    panels: list[tuple[str, dict]] = field(default_factory=list)


class Extensions:
    """One set of registrations; the module-level `registry` is the one Accord uses."""

    def __init__(self) -> None:
        self._nav: dict[str, NavEntry] = {}
        self._panels: dict[str, Panel] = {}
        self._demo: dict[str, DemoLoader] = {}
        self._search: dict[str, SearchKind] = {}
        self._search_listeners: list[Callable[[SearchKind], None]] = []
        self._account: dict[str, AccountLink] = {}
        self._columns: dict[tuple[str, str], ListColumn] = {}
        self._record_panels: dict[tuple[str, str], RecordPanel] = {}
        self._workspace: Workspace | None = None

    # Registering ------------------------------------------------------------------------

    def register_nav_entry(
        self,
        key: str,
        *,
        label,
        url_name: str,
        prefix: str,
        order: int = 100,
        visible: Callable[[Any], bool] | None = None,
    ) -> NavEntry:
        entry = NavEntry(key, label, url_name, prefix, order, visible or policy.can_view)
        self._nav[key] = entry
        return entry

    def register_panel(
        self,
        key: str,
        *,
        template_name: str,
        context: Callable[[Any], dict | None],
        order: int = 100,
        width: str = "col-12",
        column: str = "",
    ) -> Panel:
        panel = Panel(key, template_name, context, order, width, column)
        self._panels[key] = panel
        return panel

    def register_demo_loader(self, key: str, *, load: Callable[..., None], order: int = 100):
        loader = DemoLoader(key, load, order)
        self._demo[key] = loader
        return loader

    def register_workspace(
        self, *, home: Callable[[], Any], organization_by_acronym: Callable[[str], Any]
    ) -> Workspace:
        self._workspace = Workspace(home, organization_by_acronym)
        return self._workspace

    def register_search_kind(
        self,
        key: str,
        *,
        label,
        model: str,
        document: Callable[[Any], SearchDocument | None],
        visible: Callable[[Any], Any],
        watch: tuple[str, ...] = (),
        reindex_for: Callable[[Any], Any] | None = None,
        order: int = 100,
        prepare: Callable[[Any], Any] | None = None,
    ) -> SearchKind:
        if watch and reindex_for is None:
            raise ImproperlyConfigured(
                f"Search kind {key!r} watches {watch!r} but gives no reindex_for."
            )
        kind = SearchKind(
            key, label, model, document, visible, tuple(watch), reindex_for, order, prepare
        )
        self._search[key] = kind
        for listener in self._search_listeners:
            listener(kind)
        return kind

    def on_search_kind(self, listener: Callable[[SearchKind], None]) -> None:
        """Call `listener(kind)` for every search kind, registered already or later.

        The search app keeps its index in step through this, whatever the order of the apps.
        """
        if listener not in self._search_listeners:
            self._search_listeners.append(listener)
        for kind in self.search_kinds():
            listener(kind)

    def register_account_link(
        self,
        key: str,
        *,
        label,
        url_name: str,
        icon: str = "bi-link-45deg",
        order: int = 100,
        visible: Callable[[Any], bool] | None = None,
    ) -> AccountLink:
        link = AccountLink(key, label, url_name, icon, order, visible or policy.can_view)
        self._account[key] = link
        return link

    def register_list_column(
        self,
        list_name: str,
        key: str,
        *,
        label,
        annotate: Callable[[Any, Any], Any],
        template_name: str,
        sort_by: str = "",
        order: int = 100,
        cell_class: str = "",
        visible: Callable[[Any], bool] | None = None,
        attach: Callable[[list, Any], None] | None = None,
    ) -> ListColumn:
        column = ListColumn(
            list_name,
            key,
            label,
            annotate,
            template_name,
            sort_by,
            order,
            cell_class,
            visible or policy.can_view,
            attach,
        )
        self._columns[list_name, key] = column
        return column

    def register_record_panel(
        self,
        page: str,
        key: str,
        *,
        template_name: str,
        context: Callable[[Any, Any], dict | None],
        order: int = 100,
    ) -> RecordPanel:
        panel = RecordPanel(page, key, template_name, context, order)
        self._record_panels[page, key] = panel
        return panel

    # Reading ----------------------------------------------------------------------------

    @staticmethod
    def _sorted(items: dict) -> list:
        return sorted(items.values(), key=lambda item: (item.order, item.key))

    def nav_entries(self) -> list[NavEntry]:
        return self._sorted(self._nav)

    def panels(self) -> list[Panel]:
        return self._sorted(self._panels)

    def demo_loaders(self) -> list[DemoLoader]:
        return self._sorted(self._demo)

    def search_kinds(self) -> list[SearchKind]:
        return self._sorted(self._search)

    def account_links(self) -> list[AccountLink]:
        return self._sorted(self._account)

    def list_columns(self, list_name: str, user=None) -> list[ListColumn]:
        """The columns apps add to the list `list_name`; with `user`, those the user sees."""
        columns = [c for (name, _key), c in self._columns.items() if name == list_name]
        columns.sort(key=lambda c: (c.order, c.key))
        if user is not None:
            columns = [c for c in columns if c.visible(user)]
        return columns

    def annotate_list(self, list_name: str, queryset, user, *, every_column: bool = False):
        """The list's queryset with the annotations of the user's added columns that fill
        their cells from it (no `attach`); with `every_column` (an export), of all of them."""
        for column in self.list_columns(list_name, user):
            if every_column or column.attach is None:
                queryset = column.annotate(queryset, user)
        return queryset

    def attach_list(self, list_name: str, records, user) -> None:
        """Give the records of one page what the user's added columns with `attach` show."""
        records = list(records)
        for column in self.list_columns(list_name, user):
            if column.attach is not None:
                column.attach(records, user)

    def record_panels(self, page: str) -> list[RecordPanel]:
        panels = [p for (name, _key), p in self._record_panels.items() if name == page]
        return sorted(panels, key=lambda p: (p.order, p.key))

    def record_panels_for(self, page: str, request, record) -> list[tuple[str, dict]]:
        """(template, context) of each panel the record's page shows for this request."""
        drawn = []
        for panel in self.record_panels(page):
            context = panel.context(request, record)
            if context is not None:
                drawn.append((panel.template_name, context))
        return drawn

    def account_links_for(self, user) -> list[dict]:
        """The account page's links this user sees: label, url and icon."""
        return [
            {"key": link.key, "label": link.label, "url": reverse(link.url_name), "icon": link.icon}
            for link in self.account_links()
            if link.visible(user)
        ]

    def workspace(self) -> Workspace:
        if self._workspace is None:
            raise ImproperlyConfigured(
                "No app registered the workspace: call register_workspace() in an "
                "AppConfig.ready() (the registry does)."
            )
        return self._workspace

    def nav_for(self, request) -> list[dict]:
        """The menu entries the request's user sees: label, url and whether it is active."""
        user = getattr(request, "user", None)
        path = request.path_info
        return [
            {
                "key": entry.key,
                "label": entry.label,
                "url": reverse(entry.url_name),
                "active": path.startswith(entry.prefix),
            }
            for entry in self.nav_entries()
            if entry.visible(user)
        ]

    def dashboard_columns(self, request) -> list[Column]:
        """The dashboard's columns, in order, with the panels shown for this request."""
        columns: list[Column] = []
        named: dict[str, Column] = {}
        for panel in self.panels():
            context = panel.context(request)
            if context is None:
                continue
            column = named.get(panel.column) if panel.column else None
            if column is None:
                column = Column(panel.width)
                columns.append(column)
                if panel.column:
                    named[panel.column] = column
            column.panels.append((panel.template_name, context))
        return columns


registry = Extensions()

register_nav_entry = registry.register_nav_entry
register_panel = registry.register_panel
register_demo_loader = registry.register_demo_loader
register_workspace = registry.register_workspace
register_search_kind = registry.register_search_kind
register_account_link = registry.register_account_link
register_list_column = registry.register_list_column
register_record_panel = registry.register_record_panel
nav_entries = registry.nav_entries
panels = registry.panels
demo_loaders = registry.demo_loaders
search_kinds = registry.search_kinds
on_search_kind = registry.on_search_kind
account_links = registry.account_links
account_links_for = registry.account_links_for
list_columns = registry.list_columns
annotate_list = registry.annotate_list
attach_list = registry.attach_list
record_panels = registry.record_panels
record_panels_for = registry.record_panels_for
nav_for = registry.nav_for
dashboard_columns = registry.dashboard_columns


def home_organization():
    """The workspace's home organization, or None."""
    return registry.workspace().home()


def organization_by_acronym(acronym: str):
    """The organization with this acronym (any case), or None; not through the policy."""
    return registry.workspace().organization_by_acronym(acronym)


def request_home(request):
    """The home organization, looked up once per request (the navbar and the pages share it)."""
    if not hasattr(request, "_accord_home"):
        request._accord_home = home_organization()
    return request._accord_home
