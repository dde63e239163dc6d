"""GET /api/v1/organizations/{key}/engagement: an organization's engagement health (health.py).

A route of its own rather than a field of the registry's organization schema: the registry
does not know meetings, and the organization list stays as cheap as it is.
"""

import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied
from ninja import Field, Router, Schema

from accord.core.api import require_view
from accord.registry import selectors as registry

from .. import health

router = Router()


class EngagementOut(Schema):
    organization: str = Field(..., description="The organization's acronym")
    score: int | None = Field(
        ...,
        description="0 to 100; null when there is nothing to judge by (no partnership with "
        "the home organization, no series, no meeting held, no open action) and for the "
        "home organization itself",
    )
    light: Literal["green", "amber", "red", "none"] = Field(
        ...,
        description=f"green from {health.GREEN_FROM}, amber from {health.AMBER_FROM}, "
        "red below; none without a score",
    )
    label: str = Field(..., description="The light in words, in the request's language")
    explanation: str = Field(
        ...,
        description="The score in words, in the request's language: "
        "“Last meeting (Staff talks) 14 months ago, cadence 12 months; 2 overdue actions.”",
    )
    last_meeting_held: datetime.date | None = Field(
        ..., description="The day (in the workspace's time zone) of the last meeting held"
    )
    last_meeting_format: str | None = Field(..., description="Its format")
    days_since_last_meeting: int | None
    cadence_days: int = Field(
        ...,
        description="The shortest cadence of the series the organization is in, in days; "
        f"{health.DEFAULT_CADENCE_DAYS} when it is in none (default_cadence)",
    )
    default_cadence: bool = Field(..., description="In no series: the default cadence")
    open_actions: int = Field(..., description="Open or in progress, overdue ones included")
    overdue_actions: int = Field(..., description="Open or in progress, due before today")


@router.get(
    "/organizations/{key}/engagement",
    response=EngagementOut,
    tags=["organizations"],
    summary="Engagement health of an organization",
)
def organization_engagement(request, key: str):
    """How recent the meetings with the organization are against the cadence of its series,
    and how many actions with it are open and overdue: a score from 0 to 100, a traffic light
    and the explanation in words. Counted from what the caller may see only: a meeting or an
    action hidden from the caller changes nothing. The same light as on the organization
    list (sortable there) and on the organization's page.

    Score: 100, less one point per 1 % of the cadence the last meeting held is late (at most
    70; 70 when none was held), less 10 per overdue action (at most 30).

    For the staff of the home organization: a partner's focal point gets a 403."""
    require_view(request)
    if not health.shown_to(request.user):
        raise PermissionDenied("The engagement health is for the home organization's staff.")
    organization = registry.organization_get(user=request.user, key=key)
    engagement = health.engagement_of(request.user, organization)
    return {
        "organization": organization.acronym,
        "score": engagement.score,
        "light": engagement.light,
        "label": engagement.label,
        "explanation": engagement.explanation,
        "last_meeting_held": engagement.last_held,
        "last_meeting_format": engagement.last_format or None,
        "days_since_last_meeting": engagement.days_since,
        "cadence_days": engagement.cadence_days,
        "default_cadence": engagement.default_cadence,
        "open_actions": engagement.open_actions,
        "overdue_actions": engagement.overdue_actions,
    }
