"""Time Accord's heaviest reads against one-query baselines; write bench/RESULTS.md.

    python bench/run.py [--repeat 30] [--warmup 3]

On a database with meetings (bench/generate_meetings.py) it also times the calendar's month
view, the overdue actions and the organization pages with their engagement health, and the
registry's baselines add the engagement the pages show. Sections of RESULTS.md that this
script does not write (load.py's, notes) are kept, after its own.

Runs in-process with Django's test Client against the bench database (see bench/settings.py),
logged in as a viewer. Each case is requested `--warmup` times, then `--repeat` times
alternating with its baseline (bench/baseline.py); one more request of each, under
CaptureQueriesContext, counts the queries.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
LIST_FILTER = "kind=regional&region=Europe&sort=-member_count"


@dataclass
class Case:
    name: str
    url: str
    baseline_url: str
    accord_ms: list[float] = field(default_factory=list)
    # The same request right after a write elsewhere: the page is rendered, not kept.
    rendered_ms: list[float] = field(default_factory=list)
    rendered_queries: int = 0
    cache_state: str = ""
    baseline_ms: list[float] = field(default_factory=list)
    accord_queries: list[dict] = field(default_factory=list)
    timed_queries: list[tuple[float, str, list[str]]] = field(default_factory=list)
    baseline_queries: int = 0
    rows: str = ""
    check: str = ""
    accord_bytes: int = 0
    baseline_bytes: int = 0


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per case")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per case first")
    parser.add_argument("--output", type=Path, default=RESULTS)
    return parser.parse_args(argv)


def p95(samples: list[float]) -> float:
    if len(samples) < 2:
        return samples[0]
    return statistics.quantiles(samples, n=20, method="inclusive")[18]


def sh(*command: str) -> str:
    try:
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "(not available)"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "(unknown)"


def current_counts() -> list[tuple[str, int]]:
    """(acronym, members today) of every organization, biggest first."""
    from django.db import connection
    from django.utils import timezone

    from accord.registry.choices import MEMBER_STATUSES

    day = connection.ops.adapt_datefield_value(timezone.localdate())
    marks = ", ".join(["%s"] * len(MEMBER_STATUSES))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT o.acronym, COUNT(m.id) FROM registry_organization o
                LEFT JOIN registry_membership m ON m.organization_id = o.id
                 AND m.status IN ({marks})
                 AND (m.valid_from IS NULL OR m.valid_from <= %s)
                 AND (m.valid_to IS NULL OR m.valid_to >= %s)
                GROUP BY o.acronym ORDER BY 2 DESC, 1""",
            [*MEMBER_STATUSES, day, day],
        )
        return cursor.fetchall()


def data_sizes() -> dict:
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from accord.registry.models import Country, Membership, Organization

    info = {
        "countries": Country.objects.count(),
        "organizations": Organization.objects.count(),
        "memberships": Membership.objects.count(),
        "in_force_today": Membership.objects.as_of(timezone.localdate()).count(),
        "open_ended": Membership.objects.filter(valid_to__isnull=True).count(),
        "home": Organization.objects.filter(is_home=True).values_list("acronym", flat=True).first(),
    }
    db = settings.DATABASES["default"]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            info["database"] = f"SQLite file {db['NAME']}"
            info["size_mib"] = Path(db["NAME"]).stat().st_size / 2**20
            cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
            info["analyzed"] = cursor.fetchone() is not None
        else:
            info["database"] = f"{connection.vendor} database {db['NAME']}"
            cursor.execute("SELECT pg_database_size(current_database())")
            info["size_mib"] = cursor.fetchone()[0] / 2**20
            info["analyzed"] = True
    meta = Path(settings.DATA_DIR) / "bench-generate.json"
    info["generate"] = json.loads(meta.read_text()) if meta.exists() else None
    meta = Path(settings.DATA_DIR) / "bench-generate-meetings.json"
    info["generate_meetings"] = json.loads(meta.read_text()) if meta.exists() else None
    info["meetings"] = meeting_sizes()
    return info


def meeting_sizes() -> dict | None:
    """Series, meetings and actions in the database (None without meetings)."""
    from django.utils import timezone

    from accord.meetings.models import Action, Meeting, Series

    meetings = Meeting.objects.count()
    if not meetings:
        return None
    return {
        "series": Series.objects.count(),
        "meetings": meetings,
        "actions": Action.objects.count(),
        "overdue": Action.objects.overdue(timezone.localdate()).count(),
    }


def busiest_partner() -> tuple[str, int]:
    """The organization (not the home) that hosted or took part in the most meetings."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT o.acronym, COUNT(*) FROM registry_organization o
               JOIN meetings_meeting_organizations mo ON mo.organization_id = o.id
               WHERE NOT o.is_home GROUP BY o.acronym ORDER BY 2 DESC, 1 LIMIT 1"""
        )
        return cursor.fetchone()


def database_version() -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        return cursor.fetchone()[0]


def viewer_client():
    from django.contrib.auth import get_user_model
    from django.test import Client

    from accord.core.models import Profile

    user, _created = get_user_model().objects.get_or_create(username="bench-viewer")
    Profile.objects.get_or_create(user=user, defaults={"role": "viewer"})
    client = Client()
    client.force_login(user)
    return client


def get(client, url: str):
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered {response.status_code}")
    return response


def accord_scores(html: str) -> list[str]:
    """The engagement score of each row of the organization list ("" when it has none)."""
    body = html[html.find("<tbody") :]
    scores = []
    for row in body.split("<tr")[1:]:
        found = re.search(r'rounded-pill [^"]*" title="[^"]*">(\d+)<', row)
        scores.append(found.group(1) if found else "")
    return scores


def check_meetings(case: Case, a: str, b: str) -> bool:
    """The meetings cases (calendar, overdue actions, engagement); False for another case."""
    if "<ul data-rows=" in b:
        b_rows = int(re.search(r'data-rows="(\d+)"', b).group(1))
        found = re.search(r"(\d+) meetings? ·", a)
        a_count = int(found.group(1)) if found else -1
        case.rows = f"{a_count} meetings in the month"
        case.check = "same count" if a_count == b_rows else f"DIFFERENT: baseline {b_rows}"
        return True
    if "<title>Overdue actions</title>" in b:
        body = a[a.find("<tbody") :]
        a_ids = list(dict.fromkeys(re.findall(r'href="/actions/(\d+)/"', body)))
        b_ids = re.findall(r'data-id="(\d+)"', b)
        a_total = re.search(r"(\d+) results?", a)
        b_total = re.search(r"(\d+) results?", b).group(1)
        case.rows = f"{len(b_ids)} of {b_total}"
        same_total = a_total is not None and a_total.group(1) == b_total
        case.check = "same rows" if (a_ids, same_total) == (b_ids, True) else "DIFFERENT rows"
        return True
    if "data-score=" in b:
        b_score = re.search(r'data-score="(\w+)"', b).group(1)
        found = re.search(r'rounded-pill fs-5 [^"]*">(\d+)<', a)
        a_score = found.group(1) if found else "None"
        b_rows = int(re.search(r'data-rows="(\d+)"', b).group(1))
        found = re.search(r"(\d+) (?:spells?|memberships?) in force on", a)
        a_total = int(found.group(1)) if found else -1
        case.rows = f"{min(a_total, 25)} in table, {a_total} on map, score {a_score}"
        if a_total != b_rows:
            case.check = f"DIFFERENT: baseline {b_rows} members"
        elif a_score != b_score:
            case.check = f"DIFFERENT: baseline score {b_score}"
        else:
            case.check = "same count and score"
        return True
    return False


def check_rows(case: Case, accord, baseline) -> None:
    """Say how many rows each side returned and whether they agree."""
    a, b = accord.content.decode(), baseline.content.decode()
    if check_meetings(case, a, b):
        return
    if accord["Content-Type"].startswith("application/json"):
        a_json, b_json = json.loads(a), json.loads(b)
        a_ids = [item["id"] for item in a_json["items"]]
        b_ids = [item["id"] for item in b_json["items"]]
        case.rows = f"{len(a_ids)} of {a_json['count']}"
        case.check = (
            "same rows"
            if (a_ids, a_json["count"]) == (b_ids, b_json["count"])
            else (f"DIFFERENT: baseline {len(b_ids)} of {b_json['count']}")
        )
        return
    b_rows = int(re.search(r'data-rows="(\d+)"', b).group(1))
    if "spells in force" in b:
        found = re.search(r"(\d+) (?:spells?|memberships?) in force on", a)
        a_total = int(found.group(1)) if found else -1
        case.rows = f"{min(a_total, 25)} in table, {a_total} on map"
        case.check = "same count" if a_total == b_rows else f"DIFFERENT: baseline {b_rows}"
        return
    body = a[a.find("<tbody") :]
    a_acronyms = re.findall(r'<td\s*><a href="/organizations/([^/"]+)/">', body)
    a_counts = re.findall(r'<td class="text-end">(\d+)</td>', body)
    b_cells = [re.findall(r"<td>([^<]*)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", b)]
    b_acronyms = [cells[0] for cells in b_cells]
    b_counts = [cells[6] for cells in b_cells]
    a_total = re.search(r"(\d+) results?", a)
    b_total = re.search(r"(\d+) results?", b)
    case.rows = f"{b_rows} of {b_total.group(1)}"
    b_scores = [cells[-1] for cells in b_cells]
    if a_total is None or a_total.group(1) != b_total.group(1):
        case.check = "DIFFERENT totals"
    elif b_cells and len(b_cells[0]) > 8 and accord_scores(a) != b_scores:
        case.check = "DIFFERENT engagement scores"
    elif a_acronyms == b_acronyms:
        case.check = "same rows"
    elif "member_count" in case.url and a_counts == b_counts:
        case.check = "same member counts (ties in another order)"
    elif "sort=" not in case.url and a_acronyms != sorted(a_acronyms):
        case.check = "DIFFERENT: Accord's rows are not in acronym order"
    else:
        case.check = "DIFFERENT rows"


def replay(queries: list[tuple[str, tuple]], shown: list[str]) -> list[tuple]:
    """(best of 3 ms, SQL, plan) of each query, run again with its rows fetched.

    The times CaptureQueriesContext records stop at execute(); SQLite does most of the work
    while rows are fetched, so they say little. Replaying gives the real cost of each query.
    """
    from django.db import connection

    explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    timed = []

    # Only reads are replayed: transaction control (BEGIN inside the replay's own transaction
    # fails) and writes (a session or cache save would change data) are left out.
    def is_read(sql: str) -> bool:
        return sql.lstrip().upper().startswith(("SELECT", "WITH"))

    queries = [query for query in queries if is_read(query[0])]
    shown = [text for text in shown if is_read(text)]
    with connection.cursor() as cursor:
        for (sql, params), text in zip(queries, shown, strict=True):
            best = float("inf")
            for _ in range(3):
                start = time.perf_counter()
                cursor.execute(sql, params)
                cursor.fetchall()
                best = min(best, time.perf_counter() - start)
            plan = []
            if best >= 0.02 and sql.lstrip().upper().startswith("SELECT"):
                cursor.execute(explain + sql, params)
                plan = [str(row[-1]) for row in cursor.fetchall()]
            timed.append((best * 1000, text, plan))
    return sorted(timed, key=lambda t: -t[0])


def measure(client, case: Case, repeat: int, warmup: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        get(client, case.url)
        get(client, case.baseline_url)
    from accord.core import pagecache

    for _ in range(repeat):
        start = time.perf_counter()
        get(client, case.url)
        case.accord_ms.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        get(client, case.baseline_url)
        case.baseline_ms.append((time.perf_counter() - start) * 1000)
        pagecache.changed()  # as after any write: the next request renders the page
        start = time.perf_counter()
        get(client, case.url)
        case.rendered_ms.append((time.perf_counter() - start) * 1000)
    get(client, case.url)
    with CaptureQueriesContext(connection) as captured:
        accord = get(client, case.url)
    case.accord_queries = list(captured.captured_queries)
    case.cache_state = accord.headers.get("X-Accord-Page-Cache", "not kept")
    recorded = []

    def record(execute, sql, params, many, context):
        recorded.append((sql, params))
        return execute(sql, params, many, context)

    pagecache.changed()
    with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(record):
        get(client, case.url)
    case.rendered_queries = len(captured.captured_queries)
    case.timed_queries = replay(recorded, [q["sql"] for q in captured.captured_queries])
    with CaptureQueriesContext(connection) as captured:
        baseline = get(client, case.baseline_url)
    case.baseline_queries = len(captured.captured_queries)
    case.accord_bytes, case.baseline_bytes = len(accord.content), len(baseline.content)
    check_rows(case, accord, baseline)


def write_results(path: Path, cases: list[Case], info: dict, args, started: dt.datetime) -> None:
    import django

    gen = info["generate"]
    lines = [
        "# Accord benchmark results",
        "",
        f"Written by `bench/run.py` on {started:%Y-%m-%d %H:%M} UTC "
        f"({args.repeat} timed requests per case after {args.warmup} warm-up requests; "
        "in-process Django test Client, logged in as a viewer). Each run overwrites this file.",
        "",
        "## Machine",
        "",
        f"- CPU: {cpu_model()}, `nproc` = {sh('nproc')}",
        f"- Python {platform.python_version()}, Django {django.get_version()}, "
        f"{database_version()}",
        f"- OS: {platform.platform()}",
        "",
        "```text",
        "$ free -h",
        sh("free", "-h"),
        "```",
        "",
        "## Data",
        "",
        f"- {info['database']}, {info['size_mib']:,.0f} MiB"
        + ("" if info["analyzed"] else " (no ANALYZE statistics, as the app leaves it)"),
        f"- {info['countries']:,} countries (the ISO 3166-1 list, not padded to 250), "
        f"{info['organizations']:,} organizations (home: {info['home']}), "
        f"{info['memberships']:,} membership spells, {info['in_force_today']:,} in force today, "
        f"{info['open_ended']:,} open-ended",
    ]
    if gen:
        lines.append(
            f"- Generated by `bench/generate.py --organizations {gen['organizations']} "
            f"--spells {gen['spells']} --seed {gen['seed']}` in {gen['seconds']:,.0f} s "
            f"on {gen['date']}"
        )
    meetings = info.get("meetings")
    if meetings:
        lines.append(
            f"- {meetings['series']:,} series, {meetings['meetings']:,} meetings, "
            f"{meetings['actions']:,} actions ({meetings['overdue']:,} overdue today)"
        )
    gen = info.get("generate_meetings")
    if gen:
        lines.append(
            f"- Meetings added by `bench/generate_meetings.py --meetings {gen['meetings']} "
            f"--actions {gen['actions']} --seed {gen['seed']}` in {gen['seconds']:,.0f} s "
            f"on {gen['date']}"
        )
    lines += [
        "- Synthetic data went in without the services: organizations by `bulk_create` (with a "
        "history row each), memberships by raw `executemany` without history rows, "
        "partnerships and persons by `bulk_create`"
        + (
            "; series, meetings and actions by raw `executemany` without history rows."
            if gen
            else "."
        ),
        "",
        "## Results",
        "",
        "Times in milliseconds per request, whole request through the middleware. "
        "Ratio = Accord median / baseline median. Queries = SQL queries in one request "
        "(session and user lookups included on both sides). Pages are kept rendered for "
        "everyone who sees the same (accord/core/pagecache.py): *Accord* is a page read again, "
        "as a page mostly is; *after a change* is the first read after any write to the "
        "database, when the page is rendered (each timed request follows a change). The API "
        "is not kept: its two columns measure the same thing.",
        "",
        "| Case | Accord median | Accord p95 | Baseline median | Baseline p95 | Ratio "
        "| After a change: median | Ratio | Queries Accord / after a change / baseline "
        "| Rows | KB Accord / baseline | Check |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|---|--:|---|",
    ]
    for c in cases:
        am, bm = statistics.median(c.accord_ms), statistics.median(c.baseline_ms)
        rm = statistics.median(c.rendered_ms)
        lines.append(
            f"| {c.name} | {am:,.1f} | {p95(c.accord_ms):,.1f} | {bm:,.1f} "
            f"| {p95(c.baseline_ms):,.1f} | {am / bm:,.1f}× | {rm:,.1f} | {rm / bm:,.1f}× "
            f"| {len(c.accord_queries)} / {c.rendered_queries} / {c.baseline_queries} "
            f"| {c.rows} "
            f"| {c.accord_bytes / 1024:,.0f} / {c.baseline_bytes / 1024:,.0f} | {c.check} |"
        )
    lines += ["", "URLs (Accord → baseline):", ""]
    lines += [f"- {c.name}: `{c.url}` → `{c.baseline_url}`" for c in cases]
    lines += [
        "",
        "## Slowest queries of each Accord request",
        "",
        "Each query of one Accord request after a change (the page rendered) run again "
        "with its rows fetched (best of 3): "
        "the three slowest, with the query plan of those over 20 ms. SQL cut at 400 characters.",
        "",
    ]
    for c in cases:
        total = sum(t[0] for t in c.timed_queries)
        lines.append(
            f"**{c.name}**: {len(c.timed_queries)} queries, {total:,.1f} ms in SQL of "
            f"{statistics.median(c.rendered_ms):,.1f} ms"
        )
        lines.append("")
        for ms, sql, plan in c.timed_queries[:3]:
            sql = " ".join(sql.split())
            sql = sql[:400] + ("…" if len(sql) > 400 else "")
            lines.append(f"- {ms:,.1f} ms: `{sql}`")
            if plan:
                lines.append("")
                lines.append("  ```text")
                lines += [f"  {row}" for row in plan]
                lines.append("  ```")
        lines.append("")
    lines += [
        "## How to reproduce",
        "",
        "```sh",
        "rm -rf bench/out  # or pass --reset",
        ".venv/bin/python bench/generate.py --organizations 10000 --spells 1000000",
        ".venv/bin/python bench/run.py",
        "# PostgreSQL instead of SQLite:",
        "ACCORD_DATABASE_URL=postgres://user:pass@host/accord_bench "
        ".venv/bin/python bench/generate.py --reset",
        "ACCORD_DATABASE_URL=postgres://user:pass@host/accord_bench .venv/bin/python bench/run.py",
        "# With meetings, on a copy of the registry-only database:",
        "mkdir -p bench/out-meetings && cp bench/out/accord.sqlite3 bench/out/secret_key "
        "bench/out/bench-generate.json bench/out-meetings/",
        "ACCORD_DATA_DIR=bench/out-meetings .venv/bin/python bench/generate_meetings.py",
        "ACCORD_DATA_DIR=bench/out-meetings .venv/bin/python bench/run.py",
        "```",
        "",
    ]
    kept = other_sections(path, lines)
    path.write_text("\n".join(lines + kept))


def other_sections(path: Path, lines: list[str]) -> list[str]:
    """The `## ` sections of the file at `path` that this run does not write (load.py's
    results, notes), in their order, to go after its own."""
    if not path.exists():
        return []
    ours = {line for line in lines if line.startswith("## ")}
    kept, keeping = [], False
    for line in path.read_text().splitlines():
        if line.startswith("## "):
            keeping = line not in ours
        if keeping:
            kept.append(line)
    return kept


def main(argv=None) -> None:
    args = parse_args(argv)
    started = dt.datetime.now(dt.UTC)
    import django

    django.setup()
    from accord.registry.models import Organization

    if not Organization.objects.exists():
        raise SystemExit("No organization in the bench database: run bench/generate.py first.")
    counts = current_counts()
    big, big_n = counts[0]
    with_members = [row for row in counts if row[1]]
    mid, mid_n = with_members[len(with_members) // 2]
    print(f"biggest: {big} ({big_n} members today); mid-size (median): {mid} ({mid_n})")
    cases = [
        Case("Organization list, first page", "/organizations/", "/bench/organizations/"),
        Case(
            "Organization list, regional in Europe, by members ↓",
            f"/organizations/?{LIST_FILTER}",
            f"/bench/organizations/?{LIST_FILTER}",
        ),
        Case(
            "Organization list, all, by members ↓",
            "/organizations/?sort=-member_count",
            "/bench/organizations/?sort=-member_count",
        ),
    ]
    # With meetings, an organization page shows its engagement health: so does its baseline.
    with_meetings = meeting_sizes() is not None
    page_baseline = (
        "/bench/organizations/{}/engagement/" if with_meetings else ("/bench/organizations/{}/")
    )
    for label, acronym, n in (("biggest", big, big_n), ("mid-size", mid, mid_n)):
        cases += [
            Case(
                f"Organization page, {label} ({acronym}, {n} members)",
                f"/organizations/{acronym}/",
                page_baseline.format(acronym),
            ),
            Case(
                f"Members API, {label} ({acronym}), limit=500",
                f"/api/v1/organizations/{acronym}/members?limit=500",
                f"/bench/api/organizations/{acronym}/members?limit=500",
            ),
        ]
    if with_meetings:
        from django.utils import timezone
        from django.utils.formats import date_format

        today = timezone.localdate()
        busiest, n_meetings = busiest_partner()
        cases += [
            Case(
                f"Calendar, month view ({date_format(today, 'YEAR_MONTH_FORMAT')})",
                f"/meetings/calendar/?view=month&date={today.isoformat()}",
                f"/bench/calendar/?date={today.isoformat()}",
            ),
            Case(
                "Actions, overdue, first page", "/actions/?overdue=yes", "/bench/actions/overdue/"
            ),
            Case(
                f"Organization page with engagement, most meetings ({busiest}, "
                f"{n_meetings:,} meetings)",
                f"/organizations/{busiest}/",
                f"/bench/organizations/{busiest}/engagement/",
            ),
            Case(
                "Organization list, by engagement ↑ (the least engaged first)",
                "/organizations/?sort=engagement",
                "/bench/organizations/?sort=engagement",
            ),
        ]
    client = viewer_client()
    for case in cases:
        start = time.perf_counter()
        measure(client, case, args.repeat, args.warmup)
        print(
            f"{case.name}: Accord {statistics.median(case.accord_ms):,.1f} ms, "
            f"baseline {statistics.median(case.baseline_ms):,.1f} ms, "
            f"{len(case.accord_queries)} queries, {case.check} "
            f"({time.perf_counter() - start:,.0f} s)",
            flush=True,
        )
    write_results(args.output, cases, data_sizes(), args, started)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
