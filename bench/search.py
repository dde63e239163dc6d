"""Time the workspace-wide search against the bare full-text query on the same index; write its
section of bench/RESULTS.md.

    python bench/search.py [--repeat 30] [--warmup 3]

Run it on a database bench/generate_practices.py filled and indexed (see bench/README.md). For
each query (one word, two words, a phrase, a rare word) it times, alternating, in the same run:

- the API: GET /api/v1/search?q=... with Django's test Client, logged in as a viewer, as a user
  gets it (hits the viewer may see, ranked, with snippets, the count and the four facets);
- the raw query: the engine's bare MATCH (SQLite FTS5) or @@ (PostgreSQL) on the same index,
  ranked as the search ranks (bm25 / ts_rank, title weighted), ORDER BY rank LIMIT 20, with
  the hits' kind, id, title and address: no visibility, no count, no facets, no snippet;
- the raw query with the snippets of its 20 hits (snippet() / ts_headline()), for reference.

The ratio is API / raw. One more API request of each query, under CaptureQueriesContext,
counts its SQL queries (the same whatever the number of hits) and replays them with their rows
fetched, to say where the time goes. The section is "## Search, <database>": a run on SQLite
and a run on PostgreSQL each keep the other's section, and every other section of the file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

from bench.run import (  # noqa: E402
    cpu_model,
    database_version,
    get,
    p95,
    sh,
    viewer_client,
)

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
PAGE = 20
QUERIES = [
    ("One word", "mediation"),
    ("Two words", "border management"),
    ("Phrase", '"early warning"'),
    ("Rare word", "ohrid"),
]


@dataclass
class Case:
    name: str
    text: str
    api_ms: list[float] = field(default_factory=list)
    raw_ms: list[float] = field(default_factory=list)
    snippet_ms: list[float] = field(default_factory=list)
    api_count: int = 0
    raw_count: int = 0
    queries: int = 0
    timed_queries: list[tuple[float, str, list[str]]] = field(default_factory=list)
    check: str = ""


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=30, help="timed rounds per query")
    parser.add_argument("--warmup", type=int, default=3, help="untimed rounds per query first")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument(
        "--label", default="", help='added to the heading ("## Search, PostgreSQL, <label>")'
    )
    return parser.parse_args(argv)


# ---------------------------------------------------------------- the raw queries


def raw_sql(text: str, *, snippets: bool) -> tuple[str, list]:
    """The bare ranked query of `text` on the index, as one would write it by hand: the
    search's own parser and ranking, nothing else."""
    from django.db import connection

    from accord.search.backends import (
        ELLIPSIS,
        HIT_END,
        HIT_START,
        SNIPPET_WORDS,
        TITLE_WEIGHT,
        PostgreSQLBackend,
    )
    from accord.search.query import parse

    query = parse(text)
    if connection.vendor == "sqlite":
        snippet = ", snippet(search_fts, 1, %s, %s, %s, %s)" if snippets else ""
        params = [HIT_START, HIT_END, ELLIPSIS, SNIPPET_WORDS] if snippets else []
        sql = (
            "SELECT e.id, e.kind, e.object_id, e.title, e.url"
            + snippet
            + " FROM search_fts JOIN search_searchentry e ON e.id = search_fts.rowid"
            " WHERE search_fts MATCH %s ORDER BY bm25(search_fts, %s, 1.0), e.id LIMIT %s"
        )
        return sql, [*params, query.fts5(), TITLE_WEIGHT, PAGE]
    tsquery, terms = PostgreSQLBackend.tsquery(query)
    weights = "{0, 0, %s, 1}" % (1 / TITLE_WEIGHT)
    params = []
    snippet = ""
    if snippets:
        options = (
            f"StartSel={HIT_START}, StopSel={HIT_END}, MaxWords={SNIPPET_WORDS}, MinWords=8, "
            f'MaxFragments=2, FragmentDelimiter=" {ELLIPSIS} "'
        )
        snippet = f", ts_headline('english'::regconfig, body, {tsquery}, %s)"
        params = [*terms, options]
    sql = (
        "SELECT id, kind, object_id, title, url"
        + snippet
        + f" FROM search_searchentry WHERE document @@ {tsquery}"
        f" ORDER BY ts_rank(%s::float4[], document, {tsquery}) DESC, id LIMIT %s"
    )
    return sql, [*params, *terms, weights, *terms, PAGE]


def raw_count(text: str) -> int:
    """Entries the engine matches, visible or not."""
    from django.db import connection

    from accord.search.backends import PostgreSQLBackend
    from accord.search.query import parse

    query = parse(text)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM search_fts WHERE search_fts MATCH %s", [query.fts5()]
            )
        else:
            tsquery, terms = PostgreSQLBackend.tsquery(query)
            cursor.execute(
                f"SELECT count(*) FROM search_searchentry WHERE document @@ {tsquery}", terms
            )
        return cursor.fetchone()[0]


def replay(queries: list[tuple[str, tuple]], shown: list[str]) -> list[tuple]:
    """(ms, SQL, []) of each read of a request, run once more with its rows fetched, slowest
    first (bench/run.py's replay takes the best of 3 and plans; these queries take seconds)."""
    from django.db import connection

    def is_read(sql: str) -> bool:
        return sql.lstrip().upper().startswith(("SELECT", "WITH"))

    queries = [query for query in queries if is_read(query[0])]
    shown = [text for text in shown if is_read(text)]
    if len(queries) != len(shown):
        shown = [sql for sql, _params in queries]
    timed = []
    with connection.cursor() as cursor:
        for (sql, params), text in zip(queries, shown, strict=True):
            start = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchall()
            timed.append(((time.perf_counter() - start) * 1000, text, []))
    return sorted(timed, key=lambda t: -t[0])


def run_raw(sql: str, params: list) -> list:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# ---------------------------------------------------------------- measuring


def measure(client, case: Case, repeat: int, warmup: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = "/api/v1/search?" + urlencode({"q": case.text, "limit": PAGE})
    bare = raw_sql(case.text, snippets=False)
    with_snippets = raw_sql(case.text, snippets=True)
    for _ in range(warmup):
        get(client, url)
        run_raw(*bare)
        run_raw(*with_snippets)
    for _ in range(repeat):
        start = time.perf_counter()
        get(client, url)
        case.api_ms.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        run_raw(*bare)
        case.raw_ms.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        run_raw(*with_snippets)
        case.snippet_ms.append((time.perf_counter() - start) * 1000)

    recorded = []

    def record(execute, sql, params, many, context):
        recorded.append((sql, params))
        return execute(sql, params, many, context)

    with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(record):
        response = get(client, url)
    case.queries = len(captured.captured_queries)
    case.timed_queries = replay(recorded, [q["sql"] for q in captured.captured_queries])
    body = json.loads(response.content)
    case.api_count = body["count"]
    case.raw_count = raw_count(case.text)
    # The API's hits are among the engine's matches, fewer when some are hidden from a viewer.
    shown = [(item["kind"], item["id"]) for item in body["items"]]
    case.check = (
        "ok"
        if len(shown) == min(PAGE, case.api_count) and case.api_count <= case.raw_count
        else f"ODD: {len(shown)} hits shown of {case.api_count}, {case.raw_count} matched"
    )


# ---------------------------------------------------------------- data and results


def data_sizes() -> dict:
    from django.conf import settings
    from django.db import connection
    from django.db.models import Count

    from accord.knowledge.models import Practice
    from accord.meetings.models import Action, Meeting
    from accord.registry.models import Membership, Organization
    from accord.search.models import SearchEntry

    db = settings.DATABASES["default"]
    info = {
        "organizations": Organization.objects.count(),
        "memberships": Membership.objects.count(),
        "meetings": Meeting.objects.count(),
        "actions": Action.objects.count(),
        "practices": dict(
            Practice.objects.values_list("classification").annotate(n=Count("pk")).order_by()
        ),
        "entries": dict(SearchEntry.objects.values_list("kind").annotate(n=Count("pk")).order_by()),
    }
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            info["database"] = "SQLite file " + os.path.relpath(db["NAME"], ROOT)
            info["size_mib"] = Path(db["NAME"]).stat().st_size / 2**20
            cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
            info["analyzed"] = cursor.fetchone() is not None
        else:
            info["database"] = f"PostgreSQL database {db['NAME']}"
            cursor.execute("SELECT pg_database_size(current_database())")
            info["size_mib"] = cursor.fetchone()[0] / 2**20
            cursor.execute(
                "SELECT max(greatest(last_analyze, last_autoanalyze)) IS NOT NULL "
                "FROM pg_stat_user_tables WHERE relname = 'search_searchentry'"
            )
            info["analyzed"] = cursor.fetchone()[0]
    for name in ("generate", "generate-meetings", "generate-practices", "rebuild"):
        meta = Path(settings.DATA_DIR) / f"bench-{name}.json"
        info[name] = json.loads(meta.read_text()) if meta.exists() else None
    return info


def memory() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 2**20:,.0f} GiB"
    except (OSError, ValueError):
        pass
    return "(unknown)"


def section_lines(cases: list[Case], info: dict, args, started: dt.datetime) -> list[str]:
    import django
    from django.db import connection

    vendor = "SQLite" if connection.vendor == "sqlite" else "PostgreSQL"
    practices = info["practices"]
    total_practices = sum(practices.values())
    entries = info["entries"]
    lines = [
        f"## Search, {vendor}{', ' + args.label if args.label else ''} (bench/search.py)",
        "",
        f"Written by `bench/search.py` on {started:%Y-%m-%d %H:%M} UTC: {args.repeat} timed "
        f"rounds per query after {args.warmup} warm-up rounds, each round the API request, the "
        "raw query and the raw query with snippets, one after the other; in-process Django "
        "test Client, logged in as a viewer. A run on the other database keeps this section.",
        "",
        f"- Machine: {cpu_model()}, `nproc` = {sh('nproc')}, "
        f"{memory()} memory; Python "
        f"{platform.python_version()}, Django {django.get_version()}, {database_version()}; "
        f"load average (1 min) {info['load'][0][0]:.1f} at the start, "
        f"{info['load'][1][0]:.1f} at the end (the machine is shared)",
        f"- Data: {info['database']}, {info['size_mib']:,.0f} MiB"
        + ("" if info["analyzed"] else " (no ANALYZE statistics, as the app leaves it)")
        + f"; {info['organizations']:,} organizations, {info['memberships']:,} membership "
        f"spells, {info['meetings']:,} meetings, {info['actions']:,} actions, "
        f"{total_practices:,} practices ("
        + ", ".join(f"{practices.get(c, 0):,} {c}" for c in ("public", "internal", "restricted"))
        + ")",
        f"- Search index: {sum(entries.values()):,} entries ("
        + ", ".join(f"{n:,} {kind}" for kind, n in sorted(entries.items(), key=lambda e: -e[1]))
        + ")",
    ]
    gen = info["generate"]
    if gen:
        lines.append(
            f"- Registry: `bench/generate.py --organizations {gen['organizations']} "
            f"--spells {gen['spells']} --seed {gen['seed']}` in {gen['seconds']:,.0f} s"
        )
    gen = info["generate-meetings"]
    if gen:
        lines.append(
            f"- Meetings: `bench/generate_meetings.py --meetings {gen['meetings']} "
            f"--actions {gen['actions']} --seed {gen['seed']}` in {gen['seconds']:,.0f} s"
        )
    gen = info["generate-practices"]
    if gen:
        lines.append(
            f"- Practices: `bench/generate_practices.py --practices {gen['practices']} "
            f"--seed {gen['seed']}` in {gen['seconds']:,.0f} s (bulk_create, no history rows)"
            + ("; ANALYZE after the index was built" if gen.get("analyzed") else "")
        )
        build = gen.get("index")
        if build:
            kinds = sorted(build["kinds"].items(), key=lambda k: -k[1]["seconds"])
            per_kind = ", ".join(
                f"{key} {k['entries']:,} in {k['seconds']:,.0f} s"
                for key, k in kinds
                if k["entries"]
            )
            if build.get("how") == "fast":
                lines.append(
                    "- Index made by `generate_practices.py --fast-index` in "
                    f"{build['seconds']:,.0f} s for {build['entries']:,} entries ({per_kind}): "
                    "the small kinds by "
                    "`rebuild(kinds=...)`, meetings, actions and practices from their rows with "
                    "raw inserts, a sample of 200 records of every kind checked equal to "
                    "`kind.document()`. A bench shortcut: `rebuild()` itself is timed below."
                )
            else:
                lines.append(
                    f"- **Index build**: `accord.search.index.rebuild()`, every kind, in one "
                    f"transaction: **{build['seconds']:,.0f} s** for {build['entries']:,} entries "
                    f"({per_kind})"
                )
    rebuild = info.get("rebuild")
    if rebuild:
        done = rebuild["kinds"]
        entries = sum(k["entries"] for k in done.values())
        seconds = sum(k["seconds"] for k in done.values())
        lines.append(
            f"- **Index build, `rebuild(kinds=[kind])` kind by kind** (on a copy, while the "
            f"machine was shared; `{rebuild.get('command', '')}`): "
            + ", ".join(
                f"{key} {k['entries']:,} entries in {k['seconds']:,.0f} s "
                f"({k['entries'] / k['seconds'] if k['seconds'] else 0:,.0f} per s)"
                for key, k in done.items()
            )
            + f"; {entries:,} entries in {seconds:,.0f} s"
            + (f". {rebuild['note']}" if rebuild.get("note") else "")
        )
    lines += [
        "",
        "Milliseconds. *API*: GET /api/v1/search?q=…&limit=20 through the middleware, as a "
        "viewer (restricted records hidden): the count, a page of 20 ranked hits with "
        "snippets, four facets. *Raw*: the engine's bare ranked query on the same index, "
        "LIMIT 20, no visibility, count, facets or snippets. *Ratio*: API / raw. *Hits*: what "
        "the viewer may see / what the engine matches. *Queries*: SQL queries of one API "
        "request (session and user lookups included).",
        "",
        "| Query | Hits (viewer / all) | API p50 | API p95 | Raw p50 | Raw p95 | Ratio p50 "
        "| Ratio p95 | Raw + snippets p50 | Queries | Check |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for c in cases:
        am, rm = statistics.median(c.api_ms), statistics.median(c.raw_ms)
        ap, rp = p95(c.api_ms), p95(c.raw_ms)
        lines.append(
            f"| {c.name}: `{c.text}` | {c.api_count:,} / {c.raw_count:,} | {am:,.1f} "
            f"| {ap:,.1f} | {rm:,.1f} | {rp:,.1f} | {am / rm:,.1f}× | {ap / rp:,.1f}× "
            f"| {statistics.median(c.snippet_ms):,.1f} | {c.queries} | {c.check} |"
        )
    fewest = min(cases, key=lambda c: c.api_count)
    most = max(cases, key=lambda c: c.api_count)
    same = len({c.queries for c in cases}) == 1
    lines += [
        "",
        f"Query count: {fewest.queries} queries for `{fewest.text}` ({fewest.api_count:,} hits) "
        f"and {most.queries} for `{most.text}` ({most.api_count:,} hits)"
        + (": the same for every query." if same else ": NOT the same for every query."),
        "",
        "Where the API's time goes: each SQL read of one request run again with its rows "
        "fetched (once), the slowest first; SQL cut at 300 characters.",
        "",
    ]
    for c in cases:
        total = sum(t[0] for t in c.timed_queries)
        lines.append(
            f"**{c.name}** (`{c.text}`): {len(c.timed_queries)} reads, {total:,.1f} ms in SQL "
            f"of {statistics.median(c.api_ms):,.1f} ms"
        )
        lines.append("")
        for ms, sql, _plan in c.timed_queries[:6]:
            sql = " ".join(sql.split())
            sql = sql[:300] + ("…" if len(sql) > 300 else "")
            lines.append(f"- {ms:,.1f} ms: `{sql}`")
        lines.append("")
    return lines


def write_section(path: Path, lines: list[str]) -> None:
    """Put this section in place of the one of the same heading (else at the end), keeping
    every other section of the file as it is."""
    heading = lines[0]
    old = path.read_text().splitlines() if path.exists() else []
    out, skipping, placed = [], False, False
    for line in old:
        if line.startswith("## "):
            if line == heading:
                out += lines
                skipping = placed = True
                continue
            skipping = False
        if not skipping:
            out.append(line)
    if not placed:
        if out and out[-1].strip():
            out.append("")
        out += lines
    path.write_text("\n".join(out).rstrip("\n") + "\n")


def main(argv=None) -> None:
    args = parse_args(argv)
    started = dt.datetime.now(dt.UTC)
    import django

    django.setup()
    from accord.search.models import SearchEntry

    # One access log line per request would drown the progress lines.
    logging.getLogger("accord.access").setLevel(logging.WARNING)
    if not SearchEntry.objects.filter(kind="practice").exists():
        raise SystemExit("No practice in the search index: run bench/generate_practices.py first.")
    client = viewer_client()
    cases = [Case(name, text) for name, text in QUERIES]
    load_before = os.getloadavg()
    for case in cases:
        start = time.perf_counter()
        measure(client, case, args.repeat, args.warmup)
        print(
            f"{case.name} {case.text!r}: {case.api_count:,} / {case.raw_count:,} hits, "
            f"API {statistics.median(case.api_ms):,.1f} ms, raw "
            f"{statistics.median(case.raw_ms):,.1f} ms (with snippets "
            f"{statistics.median(case.snippet_ms):,.1f} ms), {case.queries} queries "
            f"({time.perf_counter() - start:,.0f} s)",
            flush=True,
        )
    samples = {
        c.text: {"api_ms": c.api_ms, "raw_ms": c.raw_ms, "snippet_ms": c.snippet_ms} for c in cases
    }
    from django.conf import settings

    (Path(settings.DATA_DIR) / "bench-search-samples.json").write_text(json.dumps(samples))
    info = data_sizes()
    info["load"] = (load_before, os.getloadavg())
    write_section(args.output, section_lines(cases, info, args, started))
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
