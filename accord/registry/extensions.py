"""What the registry adds to core's pages (accord/core/extensions.py): the workspace lookups,
its menu entries and its dashboard panels. Registered by RegistryConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accord.core import extensions

from . import selectors

# The partnerships panel lists this many of the home organization's partners.
DASHBOARD_PARTNERSHIPS = 20
DASHBOARD_CHANGES = 12


def counts_panel(request) -> dict:
    home = extensions.request_home(request)
    return {"counts": selectors.dashboard_counts(user=request.user, home=home)}


def partnerships_panel(request) -> dict:
    partnerships = selectors.partnership_list(user=request.user).filter(organization__is_home=True)
    return {"partnerships": partnerships.order_by("partner__acronym")[:DASHBOARD_PARTNERSHIPS]}


def reviews_panel(request) -> dict:
    return {"reviews": selectors.reviews_due(user=request.user)}


def changes_panel(request) -> dict:
    return {"recent": selectors.recent_changes(user=request.user, limit=DASHBOARD_CHANGES)}


def register_extensions() -> None:
    extensions.register_workspace(
        home=selectors.home_organization,
        organization_by_acronym=selectors.organization_by_acronym,
    )
    menu = [
        ("organizations", _("Organizations"), "registry:organization_list", "/organizations"),
        ("countries", _("Countries"), "registry:country_list", "/countries"),
        ("partnerships", _("Partnerships"), "registry:partnership_list", "/partnerships"),
        ("people", _("People"), "registry:person_list", "/people"),
        ("documents", _("Documents"), "registry:document_list", "/documents"),
    ]
    for order, (key, label, url_name, prefix) in enumerate(menu, start=1):
        extensions.register_nav_entry(
            key, label=label, url_name=url_name, prefix=prefix, order=order * 10
        )
    panel = "registry/panels/{}.html".format
    extensions.register_panel(
        "registry-counts", template_name=panel("counts"), context=counts_panel, order=10
    )
    extensions.register_panel(
        "registry-partnerships",
        template_name=panel("partnerships"),
        context=partnerships_panel,
        order=20,
        width="col-lg-7",
    )
    # Reviews due and the latest changes share the column beside the partnerships.
    extensions.register_panel(
        "registry-reviews",
        template_name=panel("reviews"),
        context=reviews_panel,
        order=30,
        width="col-lg-5",
        column="side",
    )
    extensions.register_panel(
        "registry-changes",
        template_name=panel("changes"),
        context=changes_panel,
        order=40,
        width="col-lg-5",
        column="side",
    )
