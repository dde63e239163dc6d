"""Add meetings, series and follow-up actions to the large synthetic registry.

    python bench/generate_meetings.py --meetings 200000 --actions 500000

Run it on a database bench/generate.py made (it needs the organizations, the home and its
partners). Work on a copy so that the registry-only data stays as it is:

    mkdir -p bench/out-meetings && cp bench/out/accord.sqlite3 bench/out/secret_key \\
        bench/out/bench-generate.json bench/out-meetings/
    ACCORD_DATA_DIR=bench/out-meetings .venv/bin/python bench/generate_meetings.py

The database must hold no meeting yet; --reset deletes the meetings, series and actions first.

What it makes (deterministic for a given --seed and sizes; dates do not depend on the day of
the run: they span 2014-01-01 to 2027-12-31, and a meeting before PRESENT is held, cancelled or
postponed, after it planned):

- series of four cadences (yearly, every six months, every three months, monthly), each with
  the home organization and one partner, and their meetings at that cadence (about 55 % of
  the meetings); the rest are meetings outside a series;
- meetings hosted by the home organization or the partner, with the home, the partner and
  sometimes a third organization taking part; the home's 40 partners (the UN most of all)
  take part in half of them, so their pages have thousands;
- public (40 %), internal (50 %, a tenth shared with the partner) and restricted (10 %)
  records, so that the policy has work to do for a viewer;
- actions: three in four raised at a meeting (on its partner, with its classification), due
  weeks to months after it; the rest standalone. Before PRESENT most are done and about one in
  six is still open: tens of thousands are overdue on any day of the run.

For speed it bypasses the services and history, as generate.py does for memberships: rows go
in with raw executemany in batches, with explicit ids (sequences are reset at the end), and get
no history rows. Values go through each model field's get_db_prep_save(), so the columns follow
the models.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

FIRST_DAY = dt.date(2014, 1, 1)
LAST_DAY = dt.date(2027, 12, 31)
PRESENT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
STAMP = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
VIENNA = ZoneInfo("Europe/Vienna")
# (rule, days between meetings, weight)
CADENCES = [
    ("FREQ=YEARLY", 365, 50),
    ("FREQ=MONTHLY;INTERVAL=6", 182, 30),
    ("FREQ=MONTHLY;INTERVAL=3", 91, 15),
    ("FREQ=MONTHLY", 30, 5),
]
SERIES_SHARE = 0.55
FORMATS = [
    "bilateral",
    "multilateral",
    "tripartite",
    "staff_talks",
    "high_level",
    "target_oriented",
    "visit",
    "video_conference",
    "conference",
]
LEVELS = ["headquarters", "senior_officials", "ministerial", "expert", "field"]
CLASSIFICATIONS = (["public", "internal", "restricted"], [40, 50, 10])
PAST_MEETING = (["held", "cancelled", "postponed"], [90, 6, 4])
FUTURE_MEETING = (["planned", "postponed"], [95, 5])
PAST_ACTION = (["done", "cancelled", "open", "in_progress"], [75, 8, 12, 5])
FUTURE_ACTION = (["open", "in_progress", "done", "cancelled"], [60, 20, 10, 10])
TOPICS = [
    "early warning",
    "border management",
    "counter-terrorism",
    "election observation",
    "national minorities",
    "trafficking in human beings",
    "mediation",
    "cyber security",
    "arms control",
    "environment and security",
]


def log(message: str, start: float) -> None:
    print(f"[{time.perf_counter() - start:7.1f}s] {message}", flush=True)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--meetings", type=int, default=200_000)
    parser.add_argument("--actions", type=int, default=500_000)
    parser.add_argument("--seed", type=int, default=20_260_102)
    parser.add_argument("--batch", type=int, default=20_000, help="rows per INSERT batch")
    parser.add_argument(
        "--reset", action="store_true", help="delete the meetings, series and actions first"
    )
    parser.add_argument("--analyze", action="store_true", help="run ANALYZE at the end")
    args = parser.parse_args(argv)
    if args.meetings < 10:
        parser.error("--meetings must be at least 10")
    return args


# ---------------------------------------------------------------- plan (pure Python)


def pick_partner(rng: random.Random, partners: list[int], others: list[int], un: int) -> int:
    """A partner organization: the UN often, the home's partners for half, else anyone."""
    roll = rng.random()
    if roll < 0.03:
        return un
    if roll < 0.5:
        return rng.choice(partners)
    return rng.choice(others)


def moment(day: dt.date, rng: random.Random) -> dt.datetime:
    """A working hour of `day` in Vienna, in UTC."""
    local = dt.datetime.combine(day, dt.time(rng.randint(8, 16), rng.choice((0, 30))))
    return local.replace(tzinfo=VIENNA).astimezone(dt.UTC)


def plan_meetings(rng, n, *, home, partners, others, un, series_first_id):
    """(series rows, meeting rows): meeting rows carry their partner in "_partner"."""
    series, meetings = [], []
    in_series = int(n * SERIES_SHARE)
    span = (LAST_DAY - FIRST_DAY).days
    rules = [c[:2] for c in CADENCES]
    weights = [c[2] for c in CADENCES]
    while len(meetings) < in_series:
        rule, step = rng.choices(rules, weights)[0]
        partner = pick_partner(rng, partners, others, un)
        series_id = series_first_id + len(series)
        classification = rng.choices(*CLASSIFICATIONS)[0]
        fmt = rng.choice(FORMATS)
        title = f"HOME–{partner} {fmt.replace('_', ' ')} ({rule})"
        series.append(
            {
                "id": series_id,
                "title": title,
                "format": fmt,
                "cadence": rule,
                "host_organization_id": home,
                "classification": classification,
                "_partner": partner,
            }
        )
        day = FIRST_DAY + dt.timedelta(days=rng.randint(0, span * 3 // 4))
        while day <= LAST_DAY and len(meetings) < in_series:
            meetings.append(
                meeting_row(
                    rng,
                    day,
                    partner=partner,
                    home=home,
                    others=others,
                    title=title,
                    series_id=series_id,
                    fmt=fmt,
                    classification=classification,
                )
            )
            day += dt.timedelta(days=step + rng.randint(-7, 7))
    while len(meetings) < n:
        partner = pick_partner(rng, partners, others, un)
        day = FIRST_DAY + dt.timedelta(days=rng.randint(0, span))
        fmt = rng.choice(FORMATS)
        meetings.append(
            meeting_row(
                rng,
                day,
                partner=partner,
                home=home,
                others=others,
                title=f"{fmt.replace('_', ' ').capitalize()} on {rng.choice(TOPICS)}",
                series_id=None,
                fmt=fmt,
                classification=rng.choices(*CLASSIFICATIONS)[0],
            )
        )
    meetings.sort(key=lambda m: m["start"])
    return series, meetings


def meeting_row(rng, day, *, partner, home, others, title, series_id, fmt, classification):
    start = moment(day, rng)
    past = start < PRESENT
    names, weights = PAST_MEETING if past else FUTURE_MEETING
    organizations = [home, partner]
    if rng.random() < 0.3:
        third = rng.choice(others)
        if third not in organizations:
            organizations.append(third)
    return {
        "title": title,
        "series_id": series_id,
        "format": fmt,
        "level": rng.choice(LEVELS),
        "start": start,
        "end": start + dt.timedelta(minutes=rng.choice((60, 90, 120, 180, 240, 420))),
        "time_zone": "Europe/Vienna",
        "place": "Vienna" if rng.random() < 0.5 else "Elsewhere",
        "host_organization_id": home if rng.random() < 0.5 else partner,
        "status": rng.choices(names, weights)[0],
        "classification": classification,
        "_partner": partner,
        "_organizations": organizations,
        "_shared": classification == "internal" and rng.random() < 0.1,
    }


def plan_actions(rng, n, meetings, *, partners, others, un, persons):
    actions = []
    for i in range(n):
        if rng.random() < 0.75:
            meeting_index = rng.randrange(len(meetings))
            meeting = meetings[meeting_index]
            partner = meeting["_partner"]
            classification = meeting["classification"]
            base = meeting["start"].date()
            due = base + dt.timedelta(days=rng.randint(14, 180))
        else:
            meeting_index = None
            partner = pick_partner(rng, partners, others, un)
            classification = rng.choices(*CLASSIFICATIONS)[0]
            due = FIRST_DAY + dt.timedelta(days=rng.randint(0, (LAST_DAY - FIRST_DAY).days))
        names, weights = PAST_ACTION if due < PRESENT.date() else FUTURE_ACTION
        status = rng.choices(names, weights)[0]
        completed = None
        if status == "done":
            completed = min(due + dt.timedelta(days=rng.randint(-30, 20)), PRESENT.date())
        actions.append(
            {
                "title": f"Follow-up {i} on {rng.choice(TOPICS)}",
                "due": due,
                "status": status,
                "completed_on": completed,
                "organization_id": partner,
                "owner_person_id": rng.choice(persons) if persons and rng.random() < 0.5 else None,
                "classification": classification,
                "_meeting": meeting_index,
                "_shared": classification == "internal" and rng.random() < 0.1,
            }
        )
    return actions


# ---------------------------------------------------------------- database


def insert(model, rows, *, batch: int, start: float, label: str, first_id: int) -> int:
    """Insert `rows` (dicts of field names; missing fields take their default) with ids from
    `first_id`; returns the number inserted."""
    from django.db import connection, transaction

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ["id", *(f.column for f in fields)]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    defaults = {}
    for f in fields:
        if f.name in ("created", "updated"):
            defaults[f.name] = STAMP
        elif f.name == "version":
            defaults[f.name] = 1
        elif f.has_default():
            defaults[f.name] = f.get_default()
        elif f.null:
            defaults[f.name] = None
        else:
            defaults[f.name] = ""
    buffer, done = [], 0

    def flush():
        nonlocal done
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, buffer)
        done += len(buffer)
        buffer.clear()
        log(f"{label} {done:>9,} / {len(rows):,}", start)

    for i, row in enumerate(rows):
        values = [first_id + i]
        for f in fields:
            if f.attname in row:
                value = row[f.attname]
            else:
                value = row.get(f.name, defaults[f.name])
            values.append(f.get_db_prep_save(value, connection))
        buffer.append(values)
        if len(buffer) >= batch:
            flush()
    if buffer:
        flush()
    return done


def insert_links(table: str, left: str, right: str, pairs, *, batch: int) -> int:
    from django.db import connection, transaction

    quote = connection.ops.quote_name
    sql = f"INSERT INTO {quote(table)} ({quote(left)}, {quote(right)}) VALUES (%s, %s)"
    pairs = list(pairs)
    for i in range(0, len(pairs), batch):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, pairs[i : i + batch])
    return len(pairs)


def next_id(model) -> int:
    from django.db.models import Max

    return (model._base_manager.aggregate(top=Max("pk"))["top"] or 0) + 1


def reset_sequences(models) -> None:
    from django.core.management.color import no_style
    from django.db import connection

    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def delete_meetings() -> None:
    from django.db import connection, transaction

    from accord.meetings.models import Action, Meeting, Series

    tables = []
    for model in (Action, Meeting, Series):
        for field in model._meta.local_many_to_many:
            tables.append(field.remote_field.through._meta.db_table)
    tables += [
        "meetings_outcome",
        "meetings_agendaitem",
        "meetings_participant",
        "meetings_attachment",
        "meetings_seriesagendaitem",
        Action._meta.db_table,
        Meeting._meta.db_table,
        Series._meta.db_table,
    ]
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {quote(table)}")


def main(argv=None) -> None:
    args = parse_args(argv)
    start = time.perf_counter()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from accord.meetings.models import Action, Meeting, Series
    from accord.registry.models import Organization, Partnership, Person

    db = settings.DATABASES["default"]
    where = db["NAME"] if db["ENGINE"].endswith("sqlite3") else f"{db['ENGINE']} {db['NAME']}"
    log(f"database: {where}", start)
    call_command("migrate", verbosity=0)
    if not Organization.objects.filter(is_home=True).exists():
        sys.exit("No home organization: run bench/generate.py first (see the docstring).")
    if args.reset:
        delete_meetings()
        log("meetings, series and actions deleted", start)
    if Meeting.objects.exists() or Action.objects.exists():
        sys.exit("The database already holds meetings or actions: use --reset to start afresh.")

    rng = random.Random(args.seed)
    home = Organization.objects.get(is_home=True).pk
    un = Organization.objects.filter(acronym="UN").values_list("pk", flat=True).first() or home
    partners = sorted(
        Partnership.objects.filter(organization_id=home).values_list("partner_id", flat=True)
    ) or [un]
    others = sorted(Organization.objects.exclude(pk=home).values_list("pk", flat=True))
    persons = sorted(Person.objects.values_list("pk", flat=True))
    first_series, first_meeting, first_action = next_id(Series), next_id(Meeting), next_id(Action)
    series, meetings = plan_meetings(
        rng,
        args.meetings,
        home=home,
        partners=partners,
        others=others,
        un=un,
        series_first_id=first_series,
    )
    actions = plan_actions(
        rng, args.actions, meetings, partners=partners, others=others, un=un, persons=persons
    )
    log(
        f"planned {len(series):,} series, {len(meetings):,} meetings, {len(actions):,} actions",
        start,
    )

    insert(Series, series, batch=args.batch, start=start, label="series", first_id=first_series)
    insert_links(
        Series.organizations.through._meta.db_table,
        "series_id",
        "organization_id",
        ((s["id"], org) for s in series for org in (home, s["_partner"])),
        batch=args.batch,
    )
    insert(
        Meeting, meetings, batch=args.batch, start=start, label="meetings", first_id=first_meeting
    )
    links = insert_links(
        Meeting.organizations.through._meta.db_table,
        "meeting_id",
        "organization_id",
        ((first_meeting + i, org) for i, m in enumerate(meetings) for org in m["_organizations"]),
        batch=args.batch,
    )
    shared = insert_links(
        Meeting.shared_with.through._meta.db_table,
        "meeting_id",
        "organization_id",
        ((first_meeting + i, m["_partner"]) for i, m in enumerate(meetings) if m["_shared"]),
        batch=args.batch,
    )
    log(f"{links:,} participating organizations, {shared:,} meetings shared", start)
    for action in actions:
        index = action["_meeting"]
        action["meeting_id"] = first_meeting + index if index is not None else None
    insert(Action, actions, batch=args.batch, start=start, label="actions", first_id=first_action)
    shared = insert_links(
        Action.shared_with.through._meta.db_table,
        "action_id",
        "organization_id",
        ((first_action + i, a["organization_id"]) for i, a in enumerate(actions) if a["_shared"]),
        batch=args.batch,
    )
    log(f"{shared:,} actions shared", start)
    reset_sequences([Series, Meeting, Action])

    if args.analyze:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        log("analyzed", start)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = Path(db["NAME"]).stat().st_size
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            size = cursor.fetchone()[0]
    seconds = time.perf_counter() - start
    meta = {
        "meetings": args.meetings,
        "actions": args.actions,
        "series": len(series),
        "seed": args.seed,
        "seconds": round(seconds, 1),
        "size_mib": round(size / 2**20, 1),
        "date": f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
    }
    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
    (Path(settings.DATA_DIR) / "bench-generate-meetings.json").write_text(
        json.dumps(meta, indent=2)
    )
    log(f"done in {seconds:,.0f} s; the database is {size / 2**20:,.0f} MiB", start)


if __name__ == "__main__":
    main()
