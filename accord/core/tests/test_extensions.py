"""What the apps register for core to draw (accord/core/extensions.py), and that core names no
app."""

import ast
import re
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from accord.core import extensions, policy
from accord.core.extensions import Extensions, SearchDocument

CORE = Path(extensions.__file__).resolve().parent
TEMPLATES = CORE.parent / "templates"


def request_for(path="/", user=None):
    request = RequestFactory().get(path)
    request.user = user
    return request


# ---------------------------------------------------------------- the registry alone


def test_entries_come_in_order_whatever_the_order_of_registration():
    ext = Extensions()
    ext.register_nav_entry("c", label="C", url_name="login", prefix="/c", order=30)
    ext.register_nav_entry("a", label="A", url_name="login", prefix="/a", order=10)
    ext.register_nav_entry("b2", label="B2", url_name="login", prefix="/b", order=20)
    ext.register_nav_entry("b1", label="B1", url_name="login", prefix="/b", order=20)
    assert [e.key for e in ext.nav_entries()] == ["a", "b1", "b2", "c"]
    ext.register_demo_loader("later", load=lambda **kw: None, order=50)
    ext.register_demo_loader("first", load=lambda **kw: None, order=10)
    assert [loader.key for loader in ext.demo_loaders()] == ["first", "later"]
    for key, order in (("y", 2), ("x", 1)):
        ext.register_search_kind(
            key, label=key.upper(), model="auth.User", document=lambda obj: None,
            visible=lambda user: None, order=order,
        )  # fmt: skip
    assert [kind.key for kind in ext.search_kinds()] == ["x", "y"]


def test_a_search_kind_that_watches_says_what_to_reindex():
    ext = Extensions()
    with pytest.raises(ImproperlyConfigured, match="reindex_for"):
        ext.register_search_kind(
            "k", label="K", model="auth.User", document=lambda obj: None,
            visible=lambda user: None, watch=("auth.Group",),
        )  # fmt: skip
    kind = ext.register_search_kind(
        "k", label="K", model="auth.User", document=lambda obj: None,
        visible=lambda user: None, watch=["auth.Group"], reindex_for=lambda group: [],
    )  # fmt: skip
    assert kind.watch == ("auth.Group",)
    assert SearchDocument.join("a ", "", None, "b") == "a\n\nb"


def test_registering_a_key_again_replaces_it():
    ext = Extensions()
    ext.register_panel("p", template_name="one.html", context=dict, order=10)
    ext.register_panel("q", template_name="q.html", context=dict, order=20)
    ext.register_panel("p", template_name="two.html", context=dict, order=30)
    assert [(p.key, p.template_name) for p in ext.panels()] == [("q", "q.html"), ("p", "two.html")]
    ext.register_nav_entry("n", label="N", url_name="login", prefix="/n")
    ext.register_nav_entry("n", label="N", url_name="login", prefix="/n")
    assert len(ext.nav_entries()) == 1


def test_the_app_registrations_survive_a_second_ready():
    before = (extensions.nav_entries(), extensions.panels(), extensions.demo_loaders())
    for label in ("registry", "importers"):
        apps.get_app_config(label).ready()
    after = (extensions.nav_entries(), extensions.panels(), extensions.demo_loaders())
    assert [[item.key for item in items] for items in after] == [
        [item.key for item in items] for items in before
    ]


def test_an_entry_shows_to_whom_its_callable_says():
    ext = Extensions()
    ext.register_nav_entry(
        "everyone", label="E", url_name="login", prefix="/e", order=1,
        visible=lambda user: user is not None,
    )  # fmt: skip
    ext.register_nav_entry(
        "editors", label="Ed", url_name="tokens", prefix="/account", order=2,
        visible=lambda user: user is not None and user.editor,
    )  # fmt: skip
    viewer, editor = SimpleNamespace(editor=False), SimpleNamespace(editor=True)
    assert [e["key"] for e in ext.nav_for(request_for("/", viewer))] == ["everyone"]
    assert [e["key"] for e in ext.nav_for(request_for("/", editor))] == ["everyone", "editors"]
    assert ext.nav_for(request_for("/", None)) == []


def test_by_default_an_entry_shows_to_users_with_a_role(world):
    ext = Extensions()
    entry = ext.register_nav_entry("n", label="N", url_name="login", prefix="/n")
    assert entry.visible is policy.can_view
    for role in ("admin", "editor", "viewer", "partner"):
        assert len(ext.nav_for(request_for("/", getattr(world.users, role)))) == 1, role
    assert ext.nav_for(request_for("/", world.users.norole)) == []


def test_an_entry_is_active_under_its_prefix(world):
    ext = Extensions()
    ext.register_nav_entry("orgs", label="Orgs", url_name="login", prefix="/organizations")
    user = world.users.viewer
    [entry] = ext.nav_for(request_for("/organizations/UN/", user))
    assert entry == {"key": "orgs", "label": "Orgs", "url": "/login/", "active": True}
    [entry] = ext.nav_for(request_for("/countries/", user))
    assert entry["active"] is False


def test_columns_stack_panels_that_share_one_and_leave_out_none():
    ext = Extensions()
    ext.register_panel("top", template_name="top.html", context=lambda r: {"n": 1}, order=1)
    ext.register_panel(
        "main", template_name="main.html", context=lambda r: {}, order=2, width="col-lg-7"
    )
    ext.register_panel(
        "side1", template_name="s1.html", context=lambda r: {}, order=3, width="col-lg-5",
        column="side",
    )  # fmt: skip
    ext.register_panel("hidden", template_name="h.html", context=lambda r: None, order=4)
    ext.register_panel(
        "side2", template_name="s2.html", context=lambda r: {"x": 2}, order=5, column="side"
    )
    columns = ext.dashboard_columns(request_for())
    assert [(c.width, [t for t, _ in c.panels]) for c in columns] == [
        ("col-12", ["top.html"]),
        ("col-lg-7", ["main.html"]),
        ("col-lg-5", ["s1.html", "s2.html"]),
    ]
    assert columns[0].panels[0][1] == {"n": 1}


def test_a_column_whose_panels_are_all_left_out_is_not_drawn():
    ext = Extensions()
    ext.register_panel("a", template_name="a.html", context=lambda r: None, column="side")
    ext.register_panel("b", template_name="b.html", context=lambda r: None, column="side")
    assert ext.dashboard_columns(request_for()) == []


def test_without_a_workspace_the_lookups_say_so():
    with pytest.raises(ImproperlyConfigured, match="register_workspace"):
        Extensions().workspace()


def test_the_registry_provides_the_workspace(world):
    assert extensions.home_organization() == world.osce
    assert extensions.organization_by_acronym("un") == world.un
    assert extensions.organization_by_acronym("NOPE") is None
    assert extensions.organization_by_acronym("U\x00N") is None


# ---------------------------------------------------------------- what the pages show

NAV_LINK = re.compile(r'<a class="nav-link( active)?" href="([^"]+)">([^<]+)</a>')


def test_the_navbar_shows_the_registry_entries_in_order(world, client_for):
    page = client_for(world.users.partner).get("/countries/").content.decode()
    links = NAV_LINK.findall(page)
    assert [(href, label) for _active, href, label in links][:5] == [
        ("/organizations/", "Organizations"),
        ("/countries/", "Countries"),
        ("/partnerships/", "Partnerships"),
        ("/people/", "People"),
        ("/documents/", "Documents"),
    ]
    assert [href for active, href, _label in links if active] == ["/countries/"]


def test_the_navbar_is_empty_for_a_user_without_a_role(world, client_for):
    response = client_for(world.users.norole).get("/organizations/")
    assert response.status_code == 403
    assert NAV_LINK.findall(response.content.decode()) == []


def test_the_dashboard_draws_the_registered_panels_in_order(world, client_for):
    page = client_for(world.users.editor).get("/").content.decode()
    registry = {"partners-h", "reviews-h", "changes-h"}
    headings = [h for h in re.findall(r'<h2 class="h5" id="([\w-]+)"', page) if h in registry]
    assert headings == ["partners-h", "reviews-h", "changes-h"]
    assert page.index('class="stat"') < page.index('id="partners-h"')
    assert '<div class="col-lg-5"><div class="vstack gap-4">' in page


def test_a_panel_can_be_left_out(world, client_for, monkeypatch):
    monkeypatch.setattr(extensions.registry, "_panels", dict(extensions.registry._panels))
    extensions.register_panel(
        "registry-partnerships",
        template_name="registry/panels/partnerships.html",
        context=lambda request: None,
        order=20,
    )
    page = client_for(world.users.editor).get("/").content.decode()
    assert 'id="partners-h"' not in page
    assert 'id="reviews-h"' in page


def test_the_dashboard_costs_what_it_did(world, client_for, monkeypatch):
    """The home is looked up once for the navbar and the panels; the menu costs nothing."""
    workspace = extensions.registry.workspace()
    homes = []

    def home():
        homes.append(1)
        return workspace.home()

    monkeypatch.setattr(extensions.registry, "_workspace", replace(workspace, home=home))
    # The registry's panels, as before they were panels; other apps' panels have their own.
    registry_panels = {
        key: panel
        for key, panel in extensions.registry._panels.items()
        if key.startswith("registry-")
    }
    assert len(registry_panels) == 4
    monkeypatch.setattr(extensions.registry, "_panels", registry_panels)
    client = client_for(world.users.editor)
    client.get("/")
    homes.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    assert len(homes) == 1
    # 25 before the panels, with the home looked up twice and a count nobody saw.
    assert len(queries.captured_queries) <= 23


# ---------------------------------------------------------------- core names no app


def core_modules():
    for path in sorted(CORE.rglob("*.py")):
        parts = path.relative_to(CORE).parts
        if parts[0] in {"tests", "migrations"}:
            continue
        yield path


def other_apps():
    """(module, label) of every installed Accord app but core."""
    return [
        (config.name, config.label)
        for config in apps.get_app_configs()
        if config.name.startswith("accord.") and config.name != "accord.core"
    ]


def naming_an_app(path: Path, root: Path = CORE.parent.parent) -> list[str]:
    modules = tuple(name for name, _label in other_apps())
    labels = tuple(label for _name, label in other_apps())
    names_module = re.compile(r"^(?:" + "|".join(map(re.escape, modules)) + r")(?:\.|$)")
    # "registry:organization_list" (a URL name), "registry.Organization" (a model).
    names_label = re.compile(r"^(?:" + "|".join(map(re.escape, labels)) + r")[:.]\w")
    found = []
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if names_module.match(a.name)]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if names_module.match(node.module):
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if names_module.match(node.value) or names_label.match(node.value):
                found.append((node.lineno, node.value))
    rel = path.relative_to(root)
    return [f"{rel}:{line}: names {what!r}" for line, what in sorted(found)]


def test_core_names_no_app():
    assert other_apps(), "no other Accord app installed: the test would pass for nothing"
    found = [hit for path in core_modules() for hit in naming_an_app(path)]
    assert not found, "core must not name an app (register in AppConfig.ready()):\n" + "\n".join(
        found
    )


def test_core_templates_name_no_app():
    labels = "|".join(re.escape(label) for _name, label in other_apps())
    url = re.compile(r"""\{%\s*url\s+["'](?:""" + labels + "):")
    found = []
    for path in sorted((TEMPLATES / "core").rglob("*.html")):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if url.search(line):
                found.append(f"{path.relative_to(TEMPLATES)}:{number}")
    assert not found, "core templates must not name an app's URLs:\n" + "\n".join(found)


def test_the_check_finds_what_it_looks_for(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import accord.registry.models\n"
        "from accord.importers.countries import load_countries\n"
        "from accord.core import policy\n"
        "def f():\n"
        "    from accord.journal import attach\n"
        "    return reverse('registry:organization_list'), 'registry.Organization'\n"
    )
    assert naming_an_app(sample, root=tmp_path) == [
        "sample.py:1: names 'accord.registry.models'",
        "sample.py:2: names 'accord.importers.countries'",
        "sample.py:5: names 'accord.journal'",
        "sample.py:6: names 'registry.Organization'",
        "sample.py:6: names 'registry:organization_list'",
    ]


# ---------------------------------------------------------------- list columns, record panels


def test_list_columns_come_per_list_in_order_for_whom_they_show():
    ext = Extensions()
    staff = SimpleNamespace(staff=True)
    partner = SimpleNamespace(staff=False)
    ext.register_list_column(
        "things", "b", label="B", annotate=lambda qs, user: qs, template_name="b.html", order=2,
        visible=lambda user: True,
    )  # fmt: skip
    ext.register_list_column(
        "things", "a", label="A", annotate=lambda qs, user: qs, template_name="a.html", order=1,
        visible=lambda user: user.staff,
    )  # fmt: skip
    ext.register_list_column(
        "others", "c", label="C", annotate=lambda qs, user: qs, template_name="c.html"
    )
    assert [c.key for c in ext.list_columns("things")] == ["a", "b"]
    assert [c.key for c in ext.list_columns("things", staff)] == ["a", "b"]
    assert [c.key for c in ext.list_columns("things", partner)] == ["b"]
    assert [c.key for c in ext.list_columns("nothing")] == []


def test_a_list_column_fills_the_query_or_the_page_as_it_says():
    """With `attach`, the list's query carries the annotation only for an export (or a sort,
    accord/core/tables.AddedColumn); the page's records get theirs in one call."""
    ext = Extensions()
    calls = []
    user = SimpleNamespace(staff=True)

    def annotate(queryset, user, name):
        calls.append(("annotate", name))
        return [*queryset, name]

    ext.register_list_column(
        "things", "inline", label="I", template_name="i.html", visible=lambda u: True,
        annotate=lambda qs, user: annotate(qs, user, "inline"),
    )  # fmt: skip
    ext.register_list_column(
        "things", "paged", label="P", template_name="p.html", visible=lambda u: True,
        annotate=lambda qs, user: annotate(qs, user, "paged"),
        attach=lambda records, user: calls.append(("attach", len(records))),
    )  # fmt: skip
    assert ext.annotate_list("things", [], user) == ["inline"]
    assert ext.annotate_list("things", [], user, every_column=True) == ["inline", "paged"]
    ext.attach_list("things", iter([1, 2, 3]), user)
    assert calls[-1] == ("attach", 3)


def test_record_panels_come_in_order_and_leave_out_none():
    ext = Extensions()
    ext.register_record_panel("thing", "late", template_name="l.html", context=lambda r, o: {})
    ext.register_record_panel(
        "thing", "early", template_name="e.html", context=lambda r, o: {"o": o}, order=1
    )
    ext.register_record_panel("thing", "none", template_name="n.html", context=lambda r, o: None)
    ext.register_record_panel("other", "x", template_name="x.html", context=lambda r, o: {})
    assert ext.record_panels_for("thing", request_for(), "record") == [
        ("e.html", {"o": "record"}),
        ("l.html", {}),
    ]
