"""Build a large synthetic registry in the bench database.

    python bench/generate.py --organizations 10000 --spells 1000000

The database is ACCORD_DATABASE_URL, else the SQLite file accord.sqlite3 in ACCORD_DATA_DIR
(bench/out/ by default). It must hold no organization yet; --reset empties it first (an SQLite
file is deleted, another database is flushed).

What it makes (deterministic for a given --seed and sizes):

- the 249 ISO 3166-1 countries, loaded by the app's own post_migrate handler;
- one home organization (HOME, 57 mostly European states), the "UN" with every state a full
  member today, a few big global organizations (120-200 states) and many small ones (a
  log-normal number of states, mostly from the region of their seat);
- membership spells: one or more per (organization, country) over time, never overlapping,
  the last one often open-ended (so "members today" is realistic), with a mix of statuses;
- 40 partnerships of the home organization and two contact persons per partner.

For speed it bypasses the services and history: organizations go in with bulk_create (and a
"created" history row each, via bulk_create_with_history); memberships go in with raw
executemany in batches and get no history rows; partnerships and persons use bulk_create.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

# Timelines end on this day, whatever the date of the run, so the data set is reproducible.
REFERENCE = dt.date(2025, 12, 31)
EARLIEST = dt.date(1946, 1, 1)
STAMP = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
SOURCE = "bench/generate.py (synthetic)"
MAX_SPELLS_PER_PAIR = 10
HOME_SIZE = 57
KINDS = ["global", "regional", "sub_regional", "un_body", "other"]
KIND_WEIGHTS = [10, 35, 35, 10, 10]
LAST_STATUS = (["full", "associate", "observer", "partner", "suspended"], [62, 8, 14, 10, 6])
EARLIER_STATUS = (["full", "associate", "observer", "partner", "suspended"], [35, 20, 30, 10, 5])


def log(message: str, start: float) -> None:
    print(f"[{time.perf_counter() - start:7.1f}s] {message}", flush=True)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--organizations", type=int, default=10_000)
    parser.add_argument("--spells", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20_260_101)
    parser.add_argument("--batch", type=int, default=50_000, help="rows per INSERT batch")
    parser.add_argument("--reset", action="store_true", help="empty the database first")
    parser.add_argument(
        "--analyze", action="store_true", help="run ANALYZE at the end (SQLite does not by itself)"
    )
    args = parser.parse_args(argv)
    if args.organizations < 2:
        parser.error("--organizations must be at least 2 (the home and the UN)")
    if args.spells < args.organizations:
        parser.error("--spells must be at least --organizations")
    return args


# ---------------------------------------------------------------- plan (pure Python)


def plan_organizations(rng: random.Random, n: int, countries: list[dict]) -> list[dict]:
    """Organizations with their seat and the countries that ever belonged to them."""
    ids = [c["id"] for c in countries]
    by_region: dict[str, list[int]] = {}
    region_of = {c["id"]: c["region"] or "Other" for c in countries}
    for c in countries:
        by_region.setdefault(c["region"] or "Other", []).append(c["id"])
    europe_first = sorted(countries, key=lambda c: (c["region"] != "Europe", c["name"]))
    n_big = max(1, n // 500)
    orgs = [
        {
            "acronym": "HOME",
            "name": "Home Organization (synthetic)",
            "kind": "regional",
            "is_home": True,
            "seat": europe_first[0]["id"],
            "countries": [c["id"] for c in europe_first[:HOME_SIZE]],
            "open_share": 0.95,
        },
        {
            "acronym": "UN",
            "name": "United Nations (synthetic)",
            "kind": "global",
            "is_home": False,
            "seat": rng.choice(ids),
            "countries": rng.sample(ids, min(193, len(ids))),
            "open_share": 1.0,
            "all_full": True,
        },
    ]
    for i in range(n - 2):
        big = i < n_big
        seat = rng.choice(ids)
        if big:
            size = rng.randint(120, 200)
            kind = "global"
            chosen = rng.sample(ids, size)
        else:
            kind = rng.choices(KINDS, KIND_WEIGHTS)[0]
            size = max(1, min(len(ids), int(rng.lognormvariate(math.log(25), 0.8))))
            pool = by_region[region_of[seat]] if kind in ("regional", "sub_regional") else []
            local = rng.sample(pool, min(len(pool), int(size * 0.8)))
            taken = set(local)
            rest = [c for c in ids if c not in taken]
            chosen = local + rng.sample(rest, size - len(local))
        prefix = "BIG" if big else "O"
        orgs.append(
            {
                "acronym": f"{prefix}{i:05d}",
                "name": f"Synthetic {kind.replace('_', '-')} organization {i:05d}",
                "kind": kind,
                "is_home": False,
                "seat": seat,
                "countries": chosen,
                "open_share": 0.9 if big else 0.7,
            }
        )
    return orgs


def plan_spell_counts(rng: random.Random, orgs: list[dict], total: int) -> list[list[int]]:
    """How many spells each (organization, country) pair gets, summing to exactly `total`."""
    pairs = sum(len(o["countries"]) for o in orgs)
    if total < pairs * 1.2:
        # Too few spells for that many pairs: fewer countries per organization.
        factor = total / (pairs * 1.5)
        for o in orgs:
            o["countries"] = o["countries"][: max(1, round(len(o["countries"]) * factor))]
        pairs = sum(len(o["countries"]) for o in orgs)
    extra = total / pairs - 1
    counts = [
        [
            min(MAX_SPELLS_PER_PAIR, 1 + int(rng.expovariate(1 / extra))) if extra > 0 else 1
            for _c in o["countries"]
        ]
        for o in orgs
    ]
    flat = [(i, j) for i, o in enumerate(counts) for j in range(len(o))]
    diff = total - sum(map(sum, counts))
    while diff:
        i, j = flat[rng.randrange(len(flat))]
        if diff > 0 and counts[i][j] < MAX_SPELLS_PER_PAIR:
            counts[i][j] += 1
            diff -= 1
        elif diff < 0 and counts[i][j] > 1:
            counts[i][j] -= 1
            diff += 1
    return counts


def spells_of_pair(rng: random.Random, k: int, open_share: float, all_full: bool = False):
    """k non-overlapping (status, valid_from, valid_to) spells in date order."""
    latest_start = REFERENCE.toordinal() - 365 * k
    start = rng.randint(EARLIEST.toordinal(), max(EARLIEST.toordinal(), latest_start))
    points = sorted(rng.sample(range(start, REFERENCE.toordinal() + 1), 2 * k))
    spells = []
    for j in range(k):
        begin, end = points[2 * j], points[2 * j + 1]
        if j and rng.random() < 0.5:
            begin = spells[-1][2] + 1  # a change of status the day after the last one ended
        last = j == k - 1
        if all_full:
            status = "full"
        else:
            names, weights = LAST_STATUS if last else EARLIER_STATUS
            status = rng.choices(names, weights)[0]
        spells.append([status, begin, end])
    if rng.random() < open_share:
        spells[-1][2] = None
    if rng.random() < 0.02:
        spells[0][1] = None  # start not known
    return spells


# ---------------------------------------------------------------- database


def reset_database() -> None:
    from django.conf import settings
    from django.core.management import call_command

    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        for suffix in ("", "-wal", "-shm"):
            Path(str(db["NAME"]) + suffix).unlink(missing_ok=True)
    else:
        call_command("migrate", verbosity=0)
        call_command("flush", interactive=False, verbosity=0)


def insert_memberships(rows, *, batch: int, total: int, start: float) -> None:
    from django.db import connection, transaction

    from accord.registry.models import Membership

    ops = connection.ops
    table = connection.ops.quote_name(Membership._meta.db_table)
    columns = [
        "version",
        "created",
        "updated",
        "organization_id",
        "country_id",
        "status",
        "valid_from",
        "valid_to",
        "source",
        "note",
    ]
    sql = (
        f"INSERT INTO {table} ({', '.join(ops.quote_name(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    stamp = ops.adapt_datetimefield_value(STAMP)
    dates: dict[int, object] = {}

    def day(ordinal):
        if ordinal is None:
            return None
        value = dates.get(ordinal)
        if value is None:
            value = dates[ordinal] = ops.adapt_datefield_value(dt.date.fromordinal(ordinal))
        return value

    done = 0
    buffer = []
    for org_id, country_id, status, begin, end in rows:
        buffer.append(
            (1, stamp, stamp, org_id, country_id, status, day(begin), day(end), SOURCE, "")
        )
        if len(buffer) >= batch:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(sql, buffer)
            done += len(buffer)
            buffer.clear()
            log(f"memberships {done:>9,} / {total:,} ({done / total:6.1%})", start)
    if buffer:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, buffer)
        done += len(buffer)
        log(f"memberships {done:>9,} / {total:,} (100.0%)", start)


def main(argv=None) -> None:
    args = parse_args(argv)
    start = time.perf_counter()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from simple_history.utils import bulk_create_with_history

    from accord.registry.models import Country, Organization, Partnership, Person

    db = settings.DATABASES["default"]
    where = db["NAME"] if db["ENGINE"].endswith("sqlite3") else f"{db['ENGINE']} {db['NAME']}"
    log(f"database: {where}", start)
    if db["ENGINE"].endswith("sqlite3"):
        Path(db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    if args.reset:
        reset_database()
        log("database emptied", start)
    call_command("migrate", verbosity=0)
    log(f"migrated; {Country.objects.count()} countries", start)
    if Organization.objects.exists():
        sys.exit("The database already holds organizations: use --reset to start afresh.")

    rng = random.Random(args.seed)
    countries = list(Country.objects.order_by("iso3").values("id", "name", "region"))
    orgs = plan_organizations(rng, args.organizations, countries)
    counts = plan_spell_counts(rng, orgs, args.spells)
    pairs = sum(len(c) for c in counts)
    log(f"planned {len(orgs):,} organizations, {pairs:,} (organization, country) pairs", start)

    years = range(1945, 2021)
    objects = [
        Organization(
            acronym=o["acronym"],
            name=o["name"],
            kind=o["kind"],
            is_home=o["is_home"],
            headquarters=f"City {i % 997}",
            headquarters_country_id=o["seat"],
            founded=rng.choice(years),
            website=f"https://org{i}.example.org",
            former_names=[f"Former {o['acronym']}"] if rng.random() < 0.05 else [],
            description=f"Synthetic organization number {i}.",
            source=SOURCE,
        )
        for i, o in enumerate(orgs)
    ]
    bulk_create_with_history(
        objects, Organization, batch_size=1000, default_change_reason="Synthetic bench data"
    )
    org_ids = dict(Organization.objects.values_list("acronym", "pk"))
    log(f"organizations {len(org_ids):,} (with a history row each)", start)

    def rows():
        for o, pair_counts in zip(orgs, counts, strict=True):
            org_id = org_ids[o["acronym"]]
            for country_id, k in zip(o["countries"], pair_counts, strict=True):
                for status, begin, end in spells_of_pair(
                    rng, k, o["open_share"], o.get("all_full", False)
                ):
                    yield org_id, country_id, status, begin, end

    insert_memberships(rows(), batch=args.batch, total=args.spells, start=start)

    home = org_ids["HOME"]
    partners = ["UN", *rng.sample(sorted(a for a in org_ids if a not in ("HOME", "UN")), 39)]
    with transaction.atomic():
        Partnership.objects.bulk_create(
            Partnership(
                organization_id=home,
                partner_id=org_ids[a],
                type=rng.choice(["strategic", "institutional", "regional_dialogue", "thematic"]),
                since=dt.date(rng.randint(1993, 2024), 1, 1),
                priority=rng.choice(["high", "medium", "low"]),
                classification=rng.choice(["public", "internal"]),
            )
            for a in partners
        )
        ids = dict(Partnership.objects.values_list("partner__acronym", "pk"))
        Person.objects.bulk_create(
            Person(
                name=f"Contact {n} of {a}",
                title="Focal point",
                organization_id=org_ids[a],
                partnership_id=ids[a],
                email=f"contact{n}@{a.lower()}.example.org",
                classification="internal",
            )
            for a in partners
            for n in (1, 2)
        )
    log(f"{len(partners)} partnerships of HOME, {2 * len(partners)} persons", start)

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
        "organizations": args.organizations,
        "spells": args.spells,
        "seed": args.seed,
        "seconds": round(seconds, 1),
        "size_mib": round(size / 2**20, 1),
        "date": f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
    }
    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
    (Path(settings.DATA_DIR) / "bench-generate.json").write_text(json.dumps(meta, indent=2))
    log(f"done in {seconds:,.0f} s; the database is {size / 2**20:,.0f} MiB", start)


if __name__ == "__main__":
    main()
