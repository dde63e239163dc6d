"""Meetings as iCalendar (RFC 5545): one meeting, a series, a user's feed.

Each meeting is a VEVENT whose UID stays the same for the meeting's life, so a calendar that
imports it again updates the event instead of adding one; SEQUENCE follows the meeting's
version. Start and end are written in the meeting's own time zone (TZID) with the VTIMEZONE
it needs, so a 10:00 Europe/Vienna meeting stays at 10:00 in Vienna in every client, which
is 09:00Z in January and 08:00Z in July.

What goes into an event is only what the reader may see: the meetings come from selectors
that apply the policy, and an event holds the meeting's own fields, its organizations (open
to every user with a role), its themes and the titles of its agenda (seen with the meeting).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http.request import split_domain_port
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vDuration

from .choices import MeetingStatus
from .models import AgendaItem, Meeting, Series
from .selectors import meeting_list, meetings_in_range

# RFC 5545 STATUS of a VEVENT for each meeting status; a postponed meeting is tentative.
STATUS = {
    MeetingStatus.PLANNED: "CONFIRMED",
    MeetingStatus.HELD: "CONFIRMED",
    MeetingStatus.CANCELLED: "CANCELLED",
    MeetingStatus.POSTPONED: "TENTATIVE",
}
# RFC 5545 CLASS: how a calendar client should treat the event when the calendar is shared.
ACCESS_CLASS = {"public": "PUBLIC", "internal": "PRIVATE", "restricted": "CONFIDENTIAL"}
PRODID = "-//Accord//Meetings//EN"
# The feed covers meetings from a year ago to two years ahead.
FEED_PAST = datetime.timedelta(days=365)
FEED_AHEAD = datetime.timedelta(days=2 * 365)
# The most events one calendar holds: the soonest upcoming first, then the latest past ones.
MAX_EVENTS = 3000
# How often a subscribed calendar client should read the feed again.
REFRESH = datetime.timedelta(hours=1)


def with_agenda(qs: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """The meetings with their agenda titles, in order (one more query, whatever the count)."""
    return qs.prefetch_related(
        Prefetch(
            "agenda_items",
            queryset=AgendaItem.objects.order_by("position").only(
                "pk", "meeting_id", "position", "title"
            ),
            to_attr="ical_agenda",
        )
    )


def feed_meetings(user, *, now: datetime.datetime | None = None) -> list[Meeting]:
    """The meetings of a user's feed: a year back to two years ahead, as the user may see
    them now; at most MAX_EVENTS, the upcoming ones first."""
    now = now or timezone.now()
    qs = with_agenda(meetings_in_range(user, now - FEED_PAST, now + FEED_AHEAD))
    upcoming = list(qs.filter(start__gte=now).order_by("start", "pk")[:MAX_EVENTS])
    room = MAX_EVENTS - len(upcoming)
    past = list(qs.filter(start__lt=now).order_by("-start", "-pk")[:room]) if room else []
    return sorted(past + upcoming, key=lambda m: (m.start, m.pk))


def series_meetings(user, series: Series) -> list[Meeting]:
    """The meetings of a series the user may see (the latest MAX_EVENTS)."""
    qs = with_agenda(meeting_list(user).filter(series=series))
    latest = list(qs.order_by("-start", "-pk")[:MAX_EVENTS])
    return latest[::-1]


def uid(meeting: Meeting, domain: str) -> str:
    return f"meeting-{meeting.pk}@{domain}"


def description(meeting: Meeting) -> str:
    """The event's text: format, level, organizations, themes and agenda titles."""
    lines = [
        _("Format: %(format)s") % {"format": meeting.get_format_display()},
        _("Level: %(level)s") % {"level": meeting.get_level_display()},
        _("Status: %(status)s") % {"status": meeting.get_status_display()},
    ]
    if meeting.host_organization is not None:
        lines.append(_("Host: %(host)s") % {"host": meeting.host_organization.acronym})
    organizations = [o.acronym for o in meeting.organizations.all()]
    if organizations:
        lines.append(_("Organizations: %(names)s") % {"names": ", ".join(organizations)})
    themes = [t.display_name for t in meeting.themes.all()]
    if themes:
        lines.append(_("Themes: %(names)s") % {"names": ", ".join(themes)})
    if meeting.online_link:
        lines.append(_("Online: %(link)s") % {"link": meeting.online_link})
    # Prefetched by with_agenda() (the feed, a series) or by meeting_get() (one meeting).
    agenda = getattr(meeting, "ical_agenda", None)
    if agenda is None:
        agenda = meeting.agenda_items.all()
    if agenda:
        lines.append("")
        lines.append(_("Agenda:"))
        lines.extend(f"{item.position}. {item.title}" for item in agenda)
    if meeting.is_sample:
        lines.append("")
        lines.append(_("Illustrative sample data, not a real meeting."))
    return "\n".join(lines)


def event(meeting: Meeting, *, domain: str, stamp: datetime.datetime) -> Event:
    ev = Event()
    ev.add("uid", uid(meeting, domain))
    ev.add("dtstamp", stamp)
    # Aware datetimes in the meeting's zone: icalendar writes TZID=<zone> (UTC as ...Z).
    ev.add("dtstart", meeting.local_start)
    ev.add("dtend", meeting.local_end)
    ev.add("summary", meeting.title)
    if meeting.place:
        ev.add("location", meeting.place)
    elif meeting.online_link:
        ev.add("location", meeting.online_link)
    if meeting.online_link:
        ev.add("url", meeting.online_link)
    ev.add("description", description(meeting))
    ev.add("status", STATUS.get(meeting.status, "CONFIRMED"))
    ev.add("class", ACCESS_CLASS.get(meeting.classification, "PRIVATE"))
    themes = [t.display_name for t in meeting.themes.all()]
    if themes:
        ev.add("categories", themes)
    ev.add("sequence", max(meeting.version - 1, 0))
    ev.add("created", meeting.created)
    ev.add("last-modified", meeting.updated)
    return ev


def calendar(
    meetings: list[Meeting],
    *,
    domain: str,
    name: str = "",
    refresh: datetime.timedelta | None = None,
    now: datetime.datetime | None = None,
) -> Calendar:
    """A VCALENDAR of the meetings, with a VTIMEZONE for every zone they use."""
    stamp = (now or timezone.now()).astimezone(datetime.UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if name:
        cal.add("x-wr-calname", name)
        cal.add("name", name)
    if refresh is not None:
        cal.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
        # An X- property is text to icalendar: written as an RFC 5545 duration ("PT1H").
        cal.add("x-published-ttl", vDuration(refresh).to_ical().decode())
    for meeting in meetings:
        cal.add_component(event(meeting, domain=domain, stamp=stamp))
    if meetings:
        # The zones' rules for the years the events span (a shorter VTIMEZONE than 1970-2038).
        first = min(m.start for m in meetings).date() - datetime.timedelta(days=366)
        last = max(m.end for m in meetings).date() + datetime.timedelta(days=366)
        cal.add_missing_timezones(first_date=first, last_date=last)
    return cal


def domain_of(request) -> str:
    """The part after @ in the UIDs: ACCORD_ICAL_DOMAIN, else the site's host name."""
    configured = getattr(settings, "ACCORD_ICAL_DOMAIN", "")
    if configured:
        return configured
    domain, _port = split_domain_port(request.get_host())
    return domain or "accord"
