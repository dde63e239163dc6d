"""What the meetings app adds to core's pages (accord/core/extensions.py): its menu entries
and its dashboard panels. Registered by MeetingsConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accord.core import extensions

from . import selectors

# Each panel lists this many; a link leads to the whole list.
PANEL_ROWS = 6
UPCOMING_DAYS = 30


def upcoming_panel(request) -> dict:
    meetings = selectors.upcoming_meetings(request.user, days=UPCOMING_DAYS, limit=None)
    return {
        "meetings": list(meetings[:PANEL_ROWS]),
        "count": meetings.count(),
        "days": UPCOMING_DAYS,
    }


def overdue_actions_panel(request) -> dict:
    actions = selectors.overdue_actions(request.user, limit=None)
    return {"actions": list(actions[:PANEL_ROWS]), "count": actions.count()}


def overdue_series_panel(request) -> dict:
    overdue = selectors.overdue_series(request.user)
    return {"overdue": overdue[:PANEL_ROWS], "count": len(overdue)}


def register_extensions() -> None:
    # After the registry's entries (10-50): the office's working rhythm.
    extensions.register_nav_entry(
        "meetings",
        label=_("Meetings"),
        url_name="meetings:meeting_list",
        prefix="/meetings",
        order=60,
    )
    extensions.register_nav_entry(
        "actions",
        label=pgettext_lazy("follow-up", "Actions"),
        url_name="meetings:action_list",
        prefix="/actions",
        order=70,
    )
    panel = "meetings/panels/{}.html".format
    # A row of three under the registry's counts, above its partnerships.
    for order, key, context in (
        (12, "upcoming", upcoming_panel),
        (13, "overdue-actions", overdue_actions_panel),
        (14, "overdue-series", overdue_series_panel),
    ):
        extensions.register_panel(
            f"meetings-{key}",
            template_name=panel(key),
            context=context,
            order=order,
            width="col-lg-4",
        )
