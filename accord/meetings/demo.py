"""The meetings of the demo workspace: illustrative sample data, loaded through the services.

`accord demo` runs this after the registry's workspace (a demo loader registered by
MeetingsConfig.ready()). The file, data/demo-meetings.yaml, holds the OSCE's recurring formats
as series and made-up meetings, agendas, outcomes and actions; every meeting is marked
`is_sample`. Its dates are relative to today (see the file's header), so the demo never grows
stale.

As the workspace loader does: parse the whole file into plain rows and check all of them, then
load in one transaction, leaving alone every record that already matches. A second load on the
same day writes nothing and adds no history.

A sample meeting of a series is found again by its rank among the series' sample meetings (the
file's occurrences in order: when a new date of the rule passes, each stands for the next
occurrence and takes its content); one outside a series by its title; an agenda item by its
position, an outcome by its rank under its item (the agenda and outcomes of a sample meeting
are the file's), an action by its title among those raised at sample meetings. Meetings and
actions a user added are left as they are.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accord.core.choices import Classification
from accord.registry.models import Organization, Person
from accord.taxonomy.models import Theme

from . import recurrence, services
from .choices import (
    ActionStatus,
    Attendance,
    MeetingFormat,
    MeetingLevel,
    MeetingStatus,
    OutcomeKind,
)
from .models import Action, AgendaItem, Meeting, Outcome, Series

DEMO_FILE = Path(__file__).parent / "data" / "demo-meetings.yaml"
PAST_STATUSES = (MeetingStatus.HELD, MeetingStatus.CANCELLED, MeetingStatus.POSTPONED)
FUTURE_STATUSES = (MeetingStatus.PLANNED, MeetingStatus.POSTPONED, MeetingStatus.CANCELLED)
DEFAULT_MINUTES = 120


class DemoMeetingsError(Exception):
    """The data file is wrong; the message names the file and each entry at fault."""

    def __init__(self, path: Path, problems: list[str]):
        self.problems = problems
        shown = "\n".join(f"  {p}" for p in problems[:20])
        more = f"\n  … and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"{path}: {len(problems)} problem(s):\n{shown}{more}")


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, what: str) -> None:
        target = getattr(self, kind)
        target[what] = target.get(what, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)


# ---------------------------------------------------------------- parse and check


class _Checker:
    """Reads values out of the file's mappings, noting each problem with where it is."""

    def __init__(self):
        self.problems: list[str] = []
        self.organizations = {o.acronym: o for o in Organization.objects.all()}
        self.persons = {p.name: p for p in Person.objects.select_related("organization")}
        self.themes = {t.slug: t for t in Theme.objects.all()}

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def choice(self, value, choices, where: str, default=None):
        value = default if value is None else value
        if value not in choices.values:
            self.fail(where, f"“{value}” is not one of {', '.join(choices.values)}")
        return value

    def text(self, row: dict, key: str, where: str, *, required=False, default="") -> str:
        value = row.get(key)
        if value is None:
            if required:
                self.fail(where, f"`{key}` is missing")
            return default
        if not isinstance(value, str):
            self.fail(where, f"`{key}` must be text")
            return default
        return value.strip()

    def integer(self, row: dict, key: str, where: str, *, default=None) -> int | None:
        value = row.get(key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(where, f"`{key}` must be a whole number, not “{value}”")
            return default
        return value

    def organization(self, acronym, where: str):
        found = self.organizations.get(acronym)
        if found is None:
            self.fail(where, f"unknown organization “{acronym}” (load the workspace first)")
        return found

    def organizations_of(self, row: dict, key: str, where: str, default=()) -> list:
        if key not in row:
            return list(default)
        values = row.get(key) or []
        if not isinstance(values, list):
            self.fail(where, f"`{key}` must be a list of acronyms")
            return []
        return [o for o in (self.organization(a, where) for a in values) if o is not None]

    def themes_of(self, row: dict, where: str, default=()) -> list:
        if "themes" not in row:
            return list(default)
        found = []
        for slug in row.get("themes") or []:
            theme = self.themes.get(slug)
            if theme is None:
                self.fail(where, f"unknown theme “{slug}”")
            else:
                found.append(theme)
        return found

    def person(self, name, where: str):
        found = self.persons.get(name)
        if found is None:
            self.fail(where, f"unknown person “{name}” (one of the workspace's contacts)")
        return found

    def time_zone(self, value, where: str) -> str:
        try:
            recurrence.validate_time_zone(value)
        except ValidationError:
            self.fail(where, f"“{value}” is not an IANA time zone")
            return "UTC"
        return value

    def clock(self, value, where: str, default: str) -> datetime.time:
        value = default if value is None else value
        try:
            return datetime.time.fromisoformat(str(value))
        except ValueError:
            self.fail(where, f"“{value}” is not a time of day (HH:MM)")
            return datetime.time(10, 0)


def _agenda(check: _Checker, items, where: str, *, template=False) -> list[dict]:
    """Agenda items (with their outcomes and actions, unless `template`)."""
    if items is None:
        return []
    if not isinstance(items, list):
        check.fail(where, "the agenda must be a list")
        return []
    parsed = []
    for i, row in enumerate(items):
        at = f"{where}.agenda[{i}]"
        if not isinstance(row, dict):
            check.fail(at, "an agenda item is a mapping with a title")
            continue
        item = {
            "title": check.text(row, "title", at, required=True),
            "notes": check.text(row, "notes", at),
            "carry_over": bool(row.get("carry_over", False)),
        }
        if not template:
            item["outcomes"] = []
            for j, outcome in enumerate(row.get("outcomes") or []):
                here = f"{at}.outcomes[{j}]"
                item["outcomes"].append(
                    {
                        "kind": check.choice(outcome.get("kind"), OutcomeKind, here),
                        "text": check.text(outcome, "text", here, required=True),
                        "actions": _actions(check, outcome.get("actions"), here),
                    }
                )
        parsed.append(item)
    return parsed


def _actions(check: _Checker, rows, where: str) -> list[dict]:
    parsed = []
    for k, row in enumerate(rows or []):
        at = f"{where}.actions[{k}]"
        status = check.choice(row.get("status"), ActionStatus, at, default=ActionStatus.OPEN)
        completed_after = check.integer(row, "completed_after", at)
        if completed_after is not None and status != ActionStatus.DONE:
            check.fail(at, "only a done action has `completed_after`")
        parsed.append(
            {
                "title": check.text(row, "title", at, required=True),
                "owner": check.person(row.get("owner"), at) if row.get("owner") else None,
                "organization": check.organization(row.get("organization"), at)
                if row.get("organization")
                else None,
                "due_after": check.integer(row, "due_after", at),
                "status": status,
                "completed_after": completed_after,
                "note": check.text(row, "note", at),
                "carried_over": bool(row.get("carried_over", False)),
                "where": at,
            }
        )
    return parsed


def parse(path: Path = DEMO_FILE) -> dict:
    """Read and check the whole file; raise DemoMeetingsError listing every problem."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DemoMeetingsError(path, [str(exc)]) from exc
    if not isinstance(data, dict):
        raise DemoMeetingsError(path, ["the file must hold a mapping at the top"])
    check = _Checker()
    if data.get("illustrative") is not True:
        check.fail("illustrative", "the file must say `illustrative: true` (it is sample data)")
    series = {}
    for i, row in enumerate(data.get("series") or []):
        where = f"series[{i}] ({row.get('key')})"
        key = row.get("key")
        if not key or key in series:
            check.fail(where, "each series needs a key of its own")
            continue
        cadence = check.text(row, "cadence", where, required=True)
        try:
            recurrence.validate_cadence(cadence)
        except ValidationError as exc:
            check.fail(where, f"cadence “{cadence}”: {' '.join(exc.messages)}")
        anchor = row.get("anchor")
        if not isinstance(anchor, datetime.date):
            check.fail(where, f"`anchor` must be a date (YYYY-MM-DD), not “{anchor}”")
            anchor = datetime.date(2015, 1, 1)
        host = row.get("host")
        series[key] = {
            "key": key,
            "anchor": anchor,
            "fields": {
                "title": check.text(row, "title", where, required=True),
                "format": check.choice(row.get("format"), MeetingFormat, where),
                "level": check.choice(
                    row.get("level"), MeetingLevel, where, default=MeetingLevel.HEADQUARTERS
                ),
                "cadence": recurrence.normalize(cadence),
                "place": check.text(row, "place", where),
                "online_link": check.text(row, "online_link", where),
                "time_zone": check.time_zone(row.get("time_zone", "UTC"), where),
                "default_start_time": check.clock(row.get("default_start_time"), where, "10:00"),
                "default_duration_minutes": check.integer(
                    row, "default_duration_minutes", where, default=DEFAULT_MINUTES
                ),
                "host_organization": check.organization(host, where) if host else None,
                "classification": check.choice(
                    row.get("classification"),
                    Classification,
                    where,
                    default=Classification.INTERNAL,
                ),
            },
            "organizations": check.organizations_of(row, "organizations", where),
            "themes": check.themes_of(row, where),
            "shared_with": check.organizations_of(row, "shared_with", where),
            "template_agenda": _agenda(check, row.get("template_agenda"), where, template=True),
        }
    meetings = []
    titles = set()
    ranks = set()
    for i, row in enumerate(data.get("meetings") or []):
        where = f"meetings[{i}]"
        key = row.get("series")
        s = series.get(key) if key else None
        if key and s is None:
            check.fail(where, f"unknown series “{key}”")
            continue
        defaults = s["fields"] if s else {}
        occurrence = check.integer(row, "occurrence", where)
        days_ago = check.integer(row, "days_ago", where)
        if s is not None:
            where = f"{where} ({key} {occurrence})"
            if not occurrence or days_ago is not None:
                check.fail(where, "a meeting of a series gives its `occurrence` (-1, +1, ...)")
                continue
            if (key, occurrence) in ranks:
                check.fail(where, "this occurrence is given twice")
            ranks.add((key, occurrence))
        else:
            where = f"{where} ({row.get('title')})"
            if days_ago is None or occurrence is not None:
                check.fail(where, "a meeting outside a series gives `days_ago`")
                continue
        title = check.text(row, "title", where, default=defaults.get("title", ""))
        if not title:
            check.fail(where, "`title` is missing")
        if s is None:
            if title in titles:
                check.fail(where, "two meetings outside a series have this title")
            titles.add(title)
        host = row.get("host")
        meetings.append(
            {
                "series": key,
                "occurrence": occurrence,
                "days_ago": days_ago,
                "time": check.clock(row.get("time"), where, "10:00"),
                "duration": check.integer(
                    row,
                    "duration_minutes",
                    where,
                    default=defaults.get("default_duration_minutes") or DEFAULT_MINUTES,
                ),
                "status": check.choice(row["status"], MeetingStatus, where)
                if row.get("status")
                else None,
                "fields": {
                    "title": title,
                    "format": check.choice(row.get("format"), MeetingFormat, where)
                    if row.get("format")
                    else defaults.get("format"),
                    "level": check.choice(row.get("level"), MeetingLevel, where)
                    if row.get("level")
                    else defaults.get("level", MeetingLevel.HEADQUARTERS),
                    "time_zone": check.time_zone(row["time_zone"], where)
                    if row.get("time_zone")
                    else defaults.get("time_zone", "UTC"),
                    "place": check.text(row, "place", where, default=defaults.get("place", "")),
                    "online_link": check.text(
                        row, "online_link", where, default=defaults.get("online_link", "")
                    ),
                    "host_organization": check.organization(host, where)
                    if host
                    else defaults.get("host_organization"),
                    "classification": check.choice(row["classification"], Classification, where)
                    if row.get("classification")
                    else defaults.get("classification", Classification.INTERNAL),
                    "minutes": check.text(row, "minutes", where),
                },
                "organizations": check.organizations_of(
                    row, "organizations", where, default=s["organizations"] if s else ()
                ),
                "themes": check.themes_of(row, where, default=s["themes"] if s else ()),
                "shared_with": check.organizations_of(
                    row, "shared_with", where, default=s["shared_with"] if s else ()
                ),
                "participants": _participants(check, row.get("participants"), where),
                "agenda": _agenda(check, row.get("agenda"), where)
                if "agenda" in row
                else [{**item, "outcomes": []} for item in (s["template_agenda"] if s else [])],
                "actions": _actions(check, row.get("actions"), where),
                "where": where,
            }
        )
    seen = {}
    for meeting in meetings:
        actions = list(meeting["actions"])
        for item in meeting["agenda"]:
            for outcome in item["outcomes"]:
                actions += outcome["actions"]
        for action in actions:
            if action["title"] in seen:
                check.fail(action["where"], f"the same title as {seen[action['title']]}")
            seen[action["title"]] = action["where"]
    if check.problems:
        raise DemoMeetingsError(path, check.problems)
    return {"series": series, "meetings": meetings}


def _participants(check: _Checker, rows, where: str) -> list[tuple]:
    found = []
    for j, row in enumerate(rows or []):
        at = f"{where}.participants[{j}]"
        if not (isinstance(row, list) and len(row) == 2):
            check.fail(at, "a participant is [name, attendance]")
            continue
        person = check.person(row[0], at)
        attendance = check.choice(row[1], Attendance, at)
        if person is not None:
            found.append((person, attendance))
    return found


# ---------------------------------------------------------------- dates relative to today


def occurrence_starts(
    series: dict, today: datetime.date, ranks: list[int]
) -> dict[int, datetime.datetime]:
    """{rank: naive local start} of a series' occurrences by its rule: -1 the last date before
    `today`, +1 the first after it."""
    fields = series["fields"]
    tz = recurrence.zone(fields["time_zone"])
    dtstart = datetime.datetime.combine(series["anchor"], fields["default_start_time"])
    rule = recurrence.build(fields["cadence"], dtstart, tz)
    midnight = datetime.datetime.combine(today, datetime.time.min)
    past = rule.between(dtstart - datetime.timedelta(seconds=1), midnight)
    starts = {}
    for rank in sorted(r for r in ranks if r < 0):
        if -rank > len(past):
            raise DemoMeetingsError(
                DEMO_FILE, [f"series {series['key']}: no occurrence {rank} after its anchor"]
            )
        starts[rank] = past[rank]
    after = datetime.datetime.combine(today, datetime.time.max)
    for rank in range(1, max([r for r in ranks if r > 0], default=0) + 1):
        following = rule.after(after)
        if following is None:
            raise DemoMeetingsError(
                DEMO_FILE, [f"series {series['key']}: its rule has no occurrence {rank}"]
            )
        starts[rank] = after = following
    return starts


def schedule(data: dict, today: datetime.date, now: datetime.datetime) -> list[dict]:
    """Each meeting of the file with its start and end (aware, UTC) and status for `today`."""
    ranks: dict[str, list[int]] = {}
    for row in data["meetings"]:
        if row["series"]:
            ranks.setdefault(row["series"], []).append(row["occurrence"])
    starts = {
        key: occurrence_starts(data["series"][key], today, found) for key, found in ranks.items()
    }
    problems = []
    planned = []
    for row in data["meetings"]:
        tz = recurrence.zone(row["fields"]["time_zone"])
        if row["series"]:
            local = starts[row["series"]][row["occurrence"]]
        else:
            day = today - datetime.timedelta(days=row["days_ago"])
            local = datetime.datetime.combine(day, row["time"])
        start = recurrence.aware(local, tz).astimezone(datetime.UTC)
        status = row["status"] or (MeetingStatus.HELD if start < now else MeetingStatus.PLANNED)
        if status not in (PAST_STATUSES if start < now else FUTURE_STATUSES):
            problems.append(f"{row['where']}: a meeting on {local:%Y-%m-%d} cannot be {status}")
        planned.append(
            {
                **row,
                "start": start,
                "end": start + datetime.timedelta(minutes=row["duration"]),
                "day": local.date(),
                "status": status,
            }
        )
    if problems:
        raise DemoMeetingsError(DEMO_FILE, problems)
    return planned


# ---------------------------------------------------------------- load


def _differs(obj, fields: dict) -> dict:
    return {name: value for name, value in fields.items() if getattr(obj, name) != value}


def _ids(values) -> set:
    return {v.pk for v in values}


def _m2m_changes(obj, wanted: dict) -> dict:
    """The many-to-many fields whose current set differs from the wanted one."""
    return {
        name: values
        for name, values in wanted.items()
        if _ids(getattr(obj, name).all()) != _ids(values)
    }


class _Loader:
    def __init__(self, actor, today: datetime.date, report: LoadReport):
        self.actor = actor
        self.today = today
        self.report = report

    def series(self, row: dict) -> Series:
        fields = row["fields"]
        m2m = {
            "organizations": row["organizations"],
            "themes": row["themes"],
            "shared_with": row["shared_with"],
        }
        template = [
            {"title": t["title"], "notes": t["notes"], "carry_over": t["carry_over"]}
            for t in row["template_agenda"]
        ]
        existing = Series.objects.filter(title=fields["title"]).order_by("pk").first()
        if existing is None:
            self.report.count("created", "series")
            return services.series_create(
                actor=self.actor, template_agenda=template, **m2m, **fields
            )
        changes = _differs(existing, fields)
        m2m_changes = _m2m_changes(existing, m2m)
        current = [
            {"title": t.title, "notes": t.notes, "carry_over": t.carry_over}
            for t in existing.template_items.order_by("position")
        ]
        if not (changes or m2m_changes or current != template):
            return existing
        self.report.count("updated", "series")
        return services.series_update(
            actor=self.actor,
            series=existing,
            expected_version=None,
            template_agenda=template if current != template else None,
            **m2m_changes,
            **changes,
        )

    def meeting(self, row: dict, existing: Meeting | None, series: Series | None) -> Meeting:
        fields = {
            **row["fields"],
            "series": series,
            "start": row["start"],
            "end": row["end"],
            "status": row["status"],
            "is_sample": True,
        }
        m2m = {
            "organizations": row["organizations"],
            "themes": row["themes"],
            "shared_with": row["shared_with"],
        }
        participants = row["participants"]
        if existing is None:
            self.report.count("created", "meetings")
            return services.meeting_create(
                actor=self.actor, participants=participants, **m2m, **fields
            )
        changes = _differs(existing, fields)
        m2m_changes = _m2m_changes(existing, m2m)
        current = {p.person_id: p.attendance for p in existing.participants.all()}
        wanted = {person.pk: attendance for person, attendance in participants}
        if not (changes or m2m_changes or current != wanted):
            return existing
        self.report.count("updated", "meetings")
        return services.meeting_update(
            actor=self.actor,
            meeting=existing,
            expected_version=None,
            participants=participants if current != wanted else None,
            **m2m_changes,
            **changes,
        )

    def agenda(self, meeting: Meeting, items: list[dict]) -> list[tuple[AgendaItem, dict]]:
        """The file's agenda: items by position; items past its end (a sample meeting that
        now stands for another occurrence) are deleted with their outcomes."""
        existing = {i.position: i for i in AgendaItem.objects.filter(meeting=meeting)}
        for position, item in sorted(existing.items()):
            if position > len(items):
                services.agenda_item_delete(actor=self.actor, item=item)
                self.report.count("deleted", "agenda items")
        made = []
        for position, row in enumerate(items, start=1):
            fields = {k: row[k] for k in ("title", "notes", "carry_over")}
            item = existing.get(position)
            if item is None:
                item = services.agenda_item_create(
                    actor=self.actor, meeting=meeting, position=None, **fields
                )
                self.report.count("created", "agenda items")
            elif changes := _differs(item, fields):
                item = services.agenda_item_update(
                    actor=self.actor, item=item, expected_version=None, **changes
                )
                self.report.count("updated", "agenda items")
            made.append((item, row))
        return made

    def outcomes(self, item: AgendaItem, rows: list[dict]) -> list[tuple[Outcome, dict]]:
        existing = list(Outcome.objects.filter(agenda_item=item).order_by("pk"))
        for outcome in existing[len(rows) :]:
            services.outcome_delete(actor=self.actor, outcome=outcome)
            self.report.count("deleted", "outcomes")
        made = []
        for rank, row in enumerate(rows):
            fields = {"kind": row["kind"], "text": row["text"]}
            outcome = existing[rank] if rank < len(existing) else None
            if outcome is None:
                outcome = services.outcome_create(actor=self.actor, agenda_item=item, **fields)
                self.report.count("created", "outcomes")
            elif changes := _differs(outcome, fields):
                outcome = services.outcome_update(
                    actor=self.actor, outcome=outcome, expected_version=None, **changes
                )
                self.report.count("updated", "outcomes")
            made.append((outcome, row))
        return made

    def action(self, row: dict, meeting: Meeting, day, outcome, carried_to, shared_with):
        due = day + datetime.timedelta(days=row["due_after"]) if row["due_after"] else None
        completed_on = None
        if row["status"] == ActionStatus.DONE:
            after = row["completed_after"]
            done_day = day + datetime.timedelta(days=after) if after is not None else due
            completed_on = min(done_day or self.today, self.today)
        organization = row["organization"]
        fields = {
            "title": row["title"],
            "owner_person": row["owner"],
            "organization": organization,
            "meeting": meeting,
            "outcome": outcome,
            "due": due,
            "status": row["status"],
            "completed_on": completed_on,
            "note": row["note"],
            "classification": meeting.classification,
        }
        m2m = {"carried_to": carried_to, "shared_with": shared_with}
        # Found by its title among the actions raised at sample meetings (titles are unique in
        # the file): it follows its content when a meeting stands for another occurrence.
        existing = (
            Action.objects.filter(meeting__is_sample=True, title=row["title"])
            .order_by("pk")
            .first()
        )
        if existing is None:
            self.report.count("created", "actions")
            return services.action_create(actor=self.actor, **m2m, **fields)
        changes = _differs(existing, fields)
        m2m_changes = _m2m_changes(existing, m2m)
        if changes or m2m_changes:
            self.report.count("updated", "actions")
            services.action_update(
                actor=self.actor,
                action=existing,
                expected_version=None,
                **m2m_changes,
                **changes,
            )
        return existing


@transaction.atomic
def load(
    *,
    actor=None,
    path: Path = DEMO_FILE,
    today: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> LoadReport:
    """Load (or bring up to date) the demo meetings for `today`; all or nothing."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    data = parse(path)
    planned = schedule(data, today, now)
    report = LoadReport()
    loader = _Loader(actor, today, report)
    series = {key: loader.series(row) for key, row in data["series"].items()}

    # The sample meetings already there: by rank in their series, by title outside one.
    existing_in_series: dict[int, list[Meeting]] = {}
    for meeting in Meeting.objects.filter(is_sample=True, series__isnull=False).order_by(
        "start", "pk"
    ):
        existing_in_series.setdefault(meeting.series_id, []).append(meeting)
    existing_alone = {
        m.title: m for m in Meeting.objects.filter(is_sample=True, series__isnull=True)
    }
    by_series: dict[str, list[dict]] = {}
    for row in planned:
        if row["series"]:
            by_series.setdefault(row["series"], []).append(row)
    made: dict[int, Meeting] = {}  # id(row) -> meeting
    for key, rows in by_series.items():
        rows.sort(key=lambda r: r["occurrence"])
        there = existing_in_series.get(series[key].pk, [])
        for rank, row in enumerate(rows):
            current = there[rank] if rank < len(there) else None
            made[id(row)] = loader.meeting(row, current, series[key])
    for row in planned:
        if not row["series"]:
            made[id(row)] = loader.meeting(row, existing_alone.get(row["fields"]["title"]), None)

    # The meeting after each one in its series, for the actions carried over to it.
    following: dict[int, Meeting] = {}
    for rows in by_series.values():
        for row, later in zip(rows, rows[1:], strict=False):
            following[id(row)] = made[id(later)]
    for row in planned:
        meeting = made[id(row)]
        carried = [following[id(row)]] if id(row) in following else []
        shared = row["shared_with"]
        for item, item_row in loader.agenda(meeting, row["agenda"]):
            for outcome, outcome_row in loader.outcomes(item, item_row["outcomes"]):
                for action_row in outcome_row["actions"]:
                    loader.action(
                        action_row,
                        meeting,
                        row["day"],
                        outcome,
                        carried if action_row["carried_over"] else [],
                        shared,
                    )
        for action_row in row["actions"]:
            loader.action(
                action_row,
                meeting,
                row["day"],
                None,
                carried if action_row["carried_over"] else [],
                shared,
            )
    return report


def load_demo_meetings(*, stdout, verbosity: int = 1) -> None:
    """`accord demo`'s meetings part (registered by MeetingsConfig.ready())."""
    report = load()
    if verbosity < 1:
        return
    if not report.changed:
        stdout.write("The demo meetings are already up to date.")
        return
    for label, counts in (
        ("created", report.created),
        ("updated", report.updated),
        ("deleted", report.deleted),
    ):
        if counts:
            summary = ", ".join(f"{n} {what}" for what, n in sorted(counts.items()))
            stdout.write(f"Meetings demo, {label}: {summary}.")


def register_demo_loader() -> None:
    from accord.core import extensions

    # After the workspace (order 10): the meetings name its organizations and people.
    extensions.register_demo_loader("meetings", load=load_demo_meetings, order=20)
