"""Add practices with synthetic text to a bench database, then build the search index (timed).

    python bench/generate_practices.py --practices 100000

Run it on a database bench/generate.py made (and bench/generate_meetings.py, for the meetings
and actions the search goes through too), on a copy:

    mkdir -p bench/out-search && cp bench/out-meetings/accord.sqlite3 \\
        bench/out-meetings/secret_key bench/out-meetings/bench-generate*.json bench/out-search/
    ACCORD_DATA_DIR=bench/out-search .venv/bin/python bench/generate_practices.py

The database must hold no practice yet; --reset deletes the practices first.

What it makes (deterministic for a given --seed and size; dates do not depend on the day of
the run):

- practices whose title, summary and body are drawn from a vocabulary of the domain: a few
  hundred words with Zipf-like frequencies (a few very common, a long tail of rare ones) and
  the terms of each theme ("early warning", "border management", "mediation"...), set in
  sentence templates, so that a body reads like a short report and a word's number of hits
  follows its rank. A practice is about one to three themes (themes are Zipf-weighted too),
  whose terms make most of its text; one in ten thousand names the Ohrid Framework
  Agreement, a rare word for a search with few hits;
- kinds, conflict-cycle phases, a region and a date (2000-2025); the source organization the
  home for half of them, else one of its partners or any organization; zero to three
  recipient organizations;
- public (40 %), internal (45 %, a tenth shared with a recipient) and restricted (15 %)
  records, so that the search's visibility filter has work to do for a viewer.

Practices go in with bulk_create (their themes, recipients and sharing too) and get no history
rows. Then the whole search index is built again with accord.search.index.rebuild(), every kind
(organizations, persons, documents, meetings, outcomes, actions, practices, requests,
commitments), and the time it takes is recorded, in total and per kind, in
bench-generate-practices.json of the data directory, which bench/search.py reports.

rebuild() of the whole large data takes about half an hour on a busy machine: --fast-index
makes the same entries from the rows (and checks a sample against the kinds' documents), and
--time-rebuild times rebuild() kind by kind (on a copy); see bench/README.md.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import itertools
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

FIRST_DAY = dt.date(2000, 1, 1)
LAST_DAY = dt.date(2025, 12, 31)
KINDS = (["experience", "best_practice", "lesson_learned"], [45, 30, 25])
CLASSIFICATIONS = (["public", "internal", "restricted"], [40, 45, 15])
PHASES = [
    "early_warning",
    "conflict_prevention",
    "crisis_management",
    "post_conflict_rehabilitation",
]
SHARED_SHARE = 0.1
RARE_SHARE = 1e-4
RARE_SENTENCE = "The approach drew on the Ohrid Framework Agreement and its review."
REGIONS = [
    "South-Eastern Europe",
    "Central Asia",
    "South Caucasus",
    "Eastern Europe",
    "Western Balkans",
    "the Mediterranean",
    "the Baltic Sea region",
    "the Black Sea region",
    "Africa",
    "the Sahel",
    "the Middle East",
    "Asia",
    "Latin America",
    "Northern Europe",
    "the Danube region",
]

# The terms of each theme (accord/taxonomy/migrations/0002_seed_themes.py, by key): phrases
# and words a text about it uses. The first ones come back most often.
THEME_TERMS = {
    "politico-military": ["military transparency", "security dialogue", "defence reform"],
    "arms-control": ["arms control", "small arms", "light weapons", "stockpile security"],
    "csbm": [
        "confidence-building measures",
        "mediation",
        "dialogue facilitation",
        "risk reduction",
        "mediation support",
    ],
    "border-management": [
        "border management",
        "border security",
        "border crossing points",
        "customs co-operation",
        "integrated border management",
    ],
    "counter-terrorism": [
        "counter-terrorism",
        "violent extremism",
        "radicalization that leads to terrorism",
        "terrorist financing",
    ],
    "policing": ["community policing", "police reform", "organized crime", "police training"],
    "security-sector-governance": [
        "security sector reform",
        "parliamentary oversight",
        "security sector governance",
    ],
    "cyber-security": ["cyber security", "critical infrastructure", "information security"],
    "economic-environmental": ["economic co-operation", "connectivity", "good governance"],
    "economic-governance": ["economic governance", "public procurement", "money laundering"],
    "anti-corruption": ["anti-corruption", "asset declarations", "integrity", "whistle-blowers"],
    "environment": ["climate change", "water management", "hazardous waste", "disaster risk"],
    "energy-security": ["energy security", "energy infrastructure", "renewable energy"],
    "migration": ["migration management", "labour migration", "refugees", "displaced persons"],
    "human": ["human dimension", "fundamental freedoms", "civil society"],
    "elections": [
        "election observation",
        "elections",
        "electoral reform",
        "voter registration",
        "election observation mission",
    ],
    "human-rights": ["human rights", "human rights defenders", "freedom of assembly", "torture"],
    "rule-of-law": ["rule of law", "judicial independence", "fair trial", "legislative reform"],
    "media-freedom": ["media freedom", "safety of journalists", "media pluralism"],
    "national-minorities": ["national minorities", "minority languages", "integration"],
    "tolerance": ["tolerance", "non-discrimination", "hate crime", "intolerance"],
    "cross-dimensional": ["mediation", "comprehensive security", "conflict cycle"],
    "good-governance": ["good governance", "public administration", "transparency"],
    "early-warning-capacity": [
        "early warning",
        "early warning indicators",
        "conflict analysis",
        "early action",
        "situation room",
    ],
    "gender-equality": ["gender equality", "women, peace and security", "gender mainstreaming"],
    "trafficking": [
        "trafficking in human beings",
        "human trafficking",
        "victims of trafficking",
        "national referral mechanisms",
        "labour exploitation",
    ],
}
# Themes most practices are about come first (Zipf-weighted); the rest follow in key order.
THEME_ORDER = [
    "early-warning-capacity",
    "border-management",
    "cross-dimensional",
    "elections",
    "human-rights",
    "trafficking",
    "counter-terrorism",
    "csbm",
    "policing",
    "rule-of-law",
    "national-minorities",
    "media-freedom",
    "gender-equality",
    "migration",
    "anti-corruption",
    "cyber-security",
]
# Terms of the conflict cycle, which any practice may use.
PHASE_TERMS = [
    "conflict prevention",
    "early warning",
    "crisis management",
    "post-conflict rehabilitation",
    "crisis response",
    "mediation",
    "peacebuilding",
    "reconciliation",
]

# The vocabulary of the field, by part of speech, most frequent first (Zipf-like weights).
NOUNS = """co-operation partner organization secretariat office staff training workshop
meeting project experience lesson approach capacity exchange dialogue report assessment
programme mission expert network support process framework information practice plan
institution authorities government participants country region state field level
implementation review strategy guidance mandate resources coordination mechanism activity
tools methodology indicators data analysis needs results recommendations contacts focal
point visit delegation study follow-up agreement commitment declaration decision
consultation platform community youth women officials ministries agencies parliament
judges prosecutors police officers trainers curriculum manual handbook module pilot phase
budget donors funding timeline deadline challenge risk obstacle gap duplication overlap
trust ownership sustainability continuity coordination language translation interpretation
logistics venue agenda minutes outcome action evaluation monitoring feedback survey
questionnaire baseline benchmark standard principle norm law regulation policy reform
legislation procedure protocol memorandum understanding roadmap priorities objectives goals
output impact lesson insight case example model pilot scale replication expansion
handover transition exit sustainability partnership alliance coalition working group
task force roster pool experts secondment exchange fellowship internship scholarship
conference seminar roundtable panel webinar briefing debriefing hearing inquiry
visit tour excursion observation verification inspection census registry database
software platform website portal hotline helpline shelter clinic centre academy
university school college institute foundation association union federation council
committee board commission tribunal court ombudsperson""".split()
ADJECTIVES = """regional joint national local international effective practical common
small regular informal formal long-term short-term early timely limited broad practical
structured flexible inclusive transparent sustainable comprehensive targeted sensitive
confidential public internal external bilateral multilateral cross-border neighbouring
remote rural urban municipal parliamentary judicial technical strategic operational
political legal financial administrative institutional preventive civilian military
gender-sensitive victim-centred evidence-based demand-driven participatory innovative
successful difficult costly fragile volatile stable peaceful tense contested disputed
shared common mutual reciprocal voluntary binding non-binding""".split()
VERBS = """helped agreed showed improved supported reviewed shared built trained
strengthened prepared organized developed tested adapted planned launched delayed
required needed reduced increased avoided involved included combined linked aligned
coordinated monitored evaluated documented published translated replicated extended
simplified clarified revised updated completed postponed cancelled resumed funded
hosted facilitated mediated negotiated drafted adopted endorsed ratified implemented""".split()
OPENERS = [
    "Lessons from",
    "Experience with",
    "A practical approach to",
    "What worked in",
    "Joint work on",
    "Regional co-operation on",
    "Building capacity for",
    "Strengthening",
    "Peer exchange on",
    "Pilot project on",
]
SENTENCES = [
    "The {n} {v} the {a} {n} on {t} in {r}.",
    "A {a} {n} with the {o} {v} {t}.",
    "{T} {v} {a} {n} and {n} of the {n}.",
    "Staff of both sides {v} a {a} {n} on {t}, which {v} the {n}.",
    "What worked: a {a} {n}, a {a} {n} and one {n} on each side.",
    "What did not: {n} that needed {n} neither side collected for {t}.",
    "The {o} and the {o} {v} a {a} {n} on {t} and {t}.",
    "Without a {a} {n}, the {n} {v} the {n} of {t}.",
    "In {r}, the {a} {n} {v} {t} through a {n} of {n}.",
    "After the {n}, the {n} {v} a {a} {n} for {t}.",
    "A {n} on {t} {v} the {n} and {v} the {a} {n}.",
    "Partners {v} the {n} of {t}; the {n} {v} {a} {n}.",
]
SUMMARIES = [
    "How a {a} {n} on {t} {v} the {n}.",
    "{T}: a {a} {n} that {v} the {n} in {r}.",
    "A {a} {n} {v} {t}; a {a} {n} did not.",
    "Why the {n} on {t} {v} the {a} {n}.",
]


def log(message: str, start: float) -> None:
    print(f"[{time.perf_counter() - start:7.1f}s] {message}", flush=True)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--practices", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20_260_103)
    parser.add_argument("--batch", type=int, default=5_000, help="practices per bulk_create")
    parser.add_argument("--reset", action="store_true", help="delete the practices first")
    parser.add_argument(
        "--analyze", action="store_true", help="run ANALYZE after the index is built"
    )
    parser.add_argument(
        "--no-index", action="store_true", help="add the practices only; no index rebuild"
    )
    parser.add_argument(
        "--index-only",
        action="store_true",
        help="add no practice (the database has them): only build the index",
    )
    parser.add_argument(
        "--time-rebuild",
        metavar="KINDS",
        help="only time rebuild(kinds=[kind]) for each of these comma-separated kinds, in that "
        "order, each in its own transaction; the times go to bench-rebuild.json as each ends",
    )
    parser.add_argument(
        "--fast-index",
        action="store_true",
        help="build the entries of meetings, actions and practices from their rows (values_list "
        "and raw inserts) instead of rebuild(), checked against the kinds' documents on a sample",
    )
    return parser.parse_args(argv)


# ---------------------------------------------------------------- text (pure Python)


class Zipf:
    """Draws from `items`, the one of rank r (from 1) with a weight 1 / (r + 2.7)."""

    def __init__(self, items, exponent: float = 1.0):
        self.items = list(items)
        weights = [1 / (r + 2.7) ** exponent for r in range(1, len(self.items) + 1)]
        self.cumulative = list(itertools.accumulate(weights))

    def __call__(self, rng: random.Random):
        x = rng.random() * self.cumulative[-1]
        return self.items[bisect.bisect_left(self.cumulative, x)]


class Writer:
    """Titles, summaries and bodies of practices about given themes."""

    def __init__(self, theme_keys: list[str]):
        self.nouns = Zipf(NOUNS)
        self.adjectives = Zipf(ADJECTIVES)
        self.verbs = Zipf(VERBS)
        self.regions = Zipf(REGIONS)
        self.phase_terms = Zipf(PHASE_TERMS)
        self.theme_terms = {key: Zipf(THEME_TERMS.get(key, [key])) for key in theme_keys}
        self.any_theme = Zipf(theme_keys)

    def term(self, rng, themes: list[str]) -> str:
        roll = rng.random()
        if roll < 0.8 and themes:
            return self.theme_terms[rng.choice(themes)](rng)
        if roll < 0.87:
            return self.phase_terms(rng)
        return self.theme_terms[self.any_theme(rng)](rng)

    def fill(self, rng, template: str, themes: list[str], orgs: list[str], region: str) -> str:
        out = []
        for literal, field, _spec, _conv in _parsed(template):
            out.append(literal)
            if field is None:
                continue
            if field == "n":
                out.append(self.nouns(rng))
            elif field == "a":
                out.append(self.adjectives(rng))
            elif field == "v":
                out.append(self.verbs(rng))
            elif field == "t":
                out.append(self.term(rng, themes))
            elif field == "T":
                text = self.term(rng, themes)
                out.append(text[0].upper() + text[1:])
            elif field == "r":
                out.append(region if rng.random() < 0.7 else self.regions(rng))
            elif field == "o":
                out.append(rng.choice(orgs))
        return "".join(out)

    def title(self, rng, themes, orgs, region) -> str:
        opener = rng.choice(OPENERS)
        title = f"{opener} {self.theme_terms[themes[0]](rng)}"
        roll = rng.random()
        if roll < 0.4:
            title += f" in {region}"
        elif roll < 0.6:
            title += f" with {rng.choice(orgs)}"
        elif roll < 0.8:
            title += f" and {self.term(rng, themes)}"
        return title[:300]

    def summary(self, rng, themes, orgs, region) -> str:
        return self.fill(rng, rng.choice(SUMMARIES), themes, orgs, region)

    def body(self, rng, themes, orgs, region) -> str:
        paragraphs = []
        for _ in range(rng.randint(2, 4)):
            sentences = [
                self.fill(rng, rng.choice(SENTENCES), themes, orgs, region)
                for _ in range(rng.randint(2, 5))
            ]
            paragraphs.append(" ".join(sentences))
        if rng.random() < RARE_SHARE:
            paragraphs.append(RARE_SENTENCE)
        return "\n\n".join(paragraphs)


_TEMPLATES: dict[str, list] = {}


def _parsed(template: str) -> list:
    import string

    parsed = _TEMPLATES.get(template)
    if parsed is None:
        parsed = _TEMPLATES[template] = list(string.Formatter().parse(template))
    return parsed


def plan_practice(rng, writer: Writer, *, theme_ids, themes_zipf, home, partners, others, acronyms):
    themes = []
    for _ in range(rng.choices([1, 2, 3], [50, 35, 15])[0]):
        key = themes_zipf(rng)
        if key not in themes:
            themes.append(key)
    roll = rng.random()
    if roll < 0.5:
        source = home
    elif roll < 0.85:
        source = rng.choice(partners)
    else:
        source = rng.choice(others)
    recipients = []
    for _ in range(rng.choices([0, 1, 2, 3], [25, 40, 25, 10])[0]):
        org = rng.choice(partners) if rng.random() < 0.7 else rng.choice(others)
        if org != source and org not in recipients:
            recipients.append(org)
    orgs = [acronyms[o] for o in [source, *recipients]]
    region = writer.regions(rng)
    classification = rng.choices(*CLASSIFICATIONS)[0]
    shared = (
        recipients[:1]
        if classification == "internal" and recipients and rng.random() < SHARED_SHARE
        else []
    )
    span = (LAST_DAY - FIRST_DAY).days
    # Later years have more records: the square root of a uniform draw leans to the end.
    day = FIRST_DAY + dt.timedelta(days=int(span * rng.random() ** 0.5))
    phases = sorted(set(rng.sample(PHASES, rng.choices([0, 1, 2], [20, 55, 25])[0])))
    return {
        "kind": rng.choices(*KINDS)[0],
        "title": writer.title(rng, themes, orgs, region),
        "summary": writer.summary(rng, themes, orgs, region),
        "body": writer.body(rng, themes, orgs, region),
        "phases": phases,
        "source_organization_id": source,
        "region": region,
        "date": day,
        "classification": classification,
        "_themes": [theme_ids[key] for key in themes if key in theme_ids],
        "_recipients": recipients,
        "_shared": shared,
    }


# ---------------------------------------------------------------- database


def insert_practices(plans: list[dict]) -> int:
    from django.db import transaction

    from accord.knowledge.models import Practice

    fields = {"_themes", "_recipients", "_shared"}
    with transaction.atomic():
        created = Practice.objects.bulk_create(
            [Practice(**{k: v for k, v in p.items() if k not in fields}) for p in plans],
            batch_size=1000,
        )
        themes = Practice.themes.through
        recipients = Practice.recipient_organizations.through
        shared = Practice.shared_with.through
        themes.objects.bulk_create(
            [
                themes(practice_id=practice.pk, theme_id=theme)
                for practice, plan in zip(created, plans, strict=True)
                for theme in plan["_themes"]
            ],
            batch_size=5000,
        )
        recipients.objects.bulk_create(
            [
                recipients(practice_id=practice.pk, organization_id=org)
                for practice, plan in zip(created, plans, strict=True)
                for org in plan["_recipients"]
            ],
            batch_size=5000,
        )
        shared.objects.bulk_create(
            [
                shared(practice_id=practice.pk, organization_id=org)
                for practice, plan in zip(created, plans, strict=True)
                for org in plan["_shared"]
            ],
            batch_size=5000,
        )
    return len(created)


def rebuild_index(start: float) -> dict:
    """accord.search.index.rebuild(), timed in total and per kind."""
    from accord.search import index

    per_kind: dict[str, float] = {}
    build = index._build

    def timed_build(kind):
        began = time.perf_counter()
        count = build(kind)
        per_kind[kind.key] = time.perf_counter() - began
        log(f"index: {kind.key} {count:,} entries in {per_kind[kind.key]:,.1f} s", start)
        return count

    index._build = timed_build
    try:
        began = time.perf_counter()
        counts = index.rebuild()
        seconds = time.perf_counter() - began
    finally:
        index._build = build
    return {
        "seconds": round(seconds, 1),
        "entries": sum(counts.values()),
        "kinds": {
            key: {"entries": counts[key], "seconds": round(per_kind.get(key, 0.0), 1)}
            for key in counts
        },
    }


def join(*parts) -> str:
    """SearchDocument.join."""
    return "\n\n".join(str(part).strip() for part in parts if part and str(part).strip())


def fast_index(start: float) -> dict:
    """The index as rebuild() makes it, sooner: the small kinds by rebuild(kinds=...), the
    entries of meetings, actions and practices from their rows (values_list, no model instances
    or prefetching), raw executemany for the entries and set-based INSERT ... SELECT for their
    themes and organizations. The documents are the kinds' own (accord/meetings/search.py,
    accord/knowledge/search.py) for records as the generators make them; check_index() compares
    a sample with kind.document()."""
    from django.db import connection, transaction

    from accord.core import extensions
    from accord.knowledge.models import Practice
    from accord.meetings import recurrence
    from accord.meetings.models import Action, AgendaItem, Meeting
    from accord.search import index
    from accord.search.models import SearchEntry, SearchEntryOrganization, SearchEntryTheme

    if AgendaItem._base_manager.exists():
        sys.exit("--fast-index knows meetings without agenda items only (as generated).")
    big = ("meeting", "action", "practice")
    small = [k.key for k in extensions.search_kinds() if k.key not in big]
    timings: dict[str, dict] = {}
    began = time.perf_counter()
    zones: dict = {}

    def year_of(moment, zone):
        tz = zones.get(zone)
        if tz is None:
            tz = zones[zone] = recurrence.zone(zone)
        return moment.astimezone(tz).year

    def url_of(key):
        """(before, after) the id in the address of the kind's documents, from one record."""
        kind = next(k for k in extensions.search_kinds() if k.key == key)
        pk = index.kind_model(kind)._base_manager.values_list("pk", flat=True).first()
        record = next(iter(index._records(kind, [pk])))
        url = str(kind.document(record).url)
        before, _, after = url.rpartition(str(record.pk))
        return before, after

    urls = {key: url_of(key) for key in ("meeting", "action", "practice")}
    clean = index.clean_text

    def meeting_rows():
        for pk, title, place, minutes, begin, zone in (
            Meeting._base_manager.order_by("pk")
            .values_list("pk", "title", "place", "minutes", "start", "time_zone")
            .iterator(chunk_size=5000)
        ):
            yield (
                pk,
                clean(title)[: index.TITLE_MAX],
                clean(join(place, minutes)),
                "{}{}{}".format(urls["meeting"][0], pk, urls["meeting"][1]),
                year_of(begin, zone),
            )

    def action_rows():
        for pk, title, description, note, due, begin, zone in (
            Action._base_manager.order_by("pk")
            .values_list(
                "pk", "title", "description", "note", "due", "meeting__start", "meeting__time_zone"
            )
            .iterator(chunk_size=5000)
        ):
            year = due.year if due else (year_of(begin, zone) if begin else None)
            yield (
                pk,
                clean(title)[: index.TITLE_MAX],
                clean(join(description, note)),
                "{}{}{}".format(urls["action"][0], pk, urls["action"][1]),
                year,
            )

    def practice_rows():
        for pk, title, summary, body, region, day in (
            Practice._base_manager.order_by("pk")
            .values_list("pk", "title", "summary", "body", "region", "date")
            .iterator(chunk_size=5000)
        ):
            yield (
                pk,
                clean(title)[: index.TITLE_MAX],
                clean(join(summary, body, region)),
                "{}{}{}".format(urls["practice"][0], pk, urls["practice"][1]),
                day.year if day else None,
            )

    quote = connection.ops.quote_name
    entry = quote(SearchEntry._meta.db_table)
    theme = quote(SearchEntryTheme._meta.db_table)
    organization = quote(SearchEntryOrganization._meta.db_table)
    insert = (
        f"INSERT INTO {entry} (kind, object_id, title, body, url, year) "
        "VALUES (%s, %s, %s, %s, %s, %s)"
    )
    links = {
        "meeting": (
            [("meetings_meeting_themes", "meeting_id", "theme_id")],
            [
                ("meetings_meeting_organizations", "meeting_id", "organization_id"),
                ("meetings_meeting", "id", "host_organization_id"),
            ],
        ),
        "action": ([], [("meetings_action", "id", "organization_id")]),
        "practice": (
            [("knowledge_practice_themes", "practice_id", "theme_id")],
            [
                ("knowledge_practice_recipient_organizations", "practice_id", "organization_id"),
                ("knowledge_practice", "id", "source_organization_id"),
            ],
        ),
    }
    rows = {"meeting": meeting_rows, "action": action_rows, "practice": practice_rows}
    with transaction.atomic():
        SearchEntryTheme.objects.all().delete()
        SearchEntryOrganization.objects.all().delete()
        SearchEntry.objects.all().delete()
        log("index emptied", start)
        for key in small:
            kind_began = time.perf_counter()
            counts = index.rebuild(kinds=[key])
            timings[key] = {
                "entries": counts[key],
                "seconds": round(time.perf_counter() - kind_began, 1),
            }
        log(f"index: small kinds by rebuild(kinds=...): {timings}", start)
        for key in big:
            kind_began = time.perf_counter()
            n, buffer = 0, []
            with connection.cursor() as cursor:
                for row in rows[key]():
                    buffer.append((key, *row))
                    if len(buffer) >= 5000:
                        cursor.executemany(insert, buffer)
                        n += len(buffer)
                        buffer.clear()
                if buffer:
                    cursor.executemany(insert, buffer)
                    n += len(buffer)
                log(f"index: {key} {n:,} entries", start)
                theme_links, org_links = links[key]
                for table, left, right in theme_links:
                    cursor.execute(
                        f"INSERT INTO {theme} (entry_id, theme_id) "
                        f"SELECT e.id, t.{right} FROM {entry} e JOIN {table} t "
                        f"ON t.{left} = e.object_id WHERE e.kind = %s",
                        [key],
                    )
                union = " UNION ".join(
                    f"SELECT e.id AS entry_id, t.{right} AS organization_id FROM {entry} e "
                    f"JOIN {table} t ON t.{left} = e.object_id "
                    f"WHERE e.kind = %s AND t.{right} IS NOT NULL"
                    for table, left, right in org_links
                )
                cursor.execute(
                    f"INSERT INTO {organization} (entry_id, organization_id) "
                    f"SELECT entry_id, organization_id FROM ({union}) links",
                    [key] * len(org_links),
                )
            timings[key] = {"entries": n, "seconds": round(time.perf_counter() - kind_began, 1)}
            log(
                f"index: {key} {n:,} entries with their links in {timings[key]['seconds']} s", start
            )
    seconds = time.perf_counter() - began
    return {
        "seconds": round(seconds, 1),
        "entries": sum(t["entries"] for t in timings.values()),
        "kinds": timings,
        "how": "fast",
    }


def check_index(sample: int = 200, seed: int = 1) -> list[str]:
    """Differences between the index and kind.document() for a sample of each kind's records
    (none when the index is as rebuild() would make it)."""
    from accord.core import extensions
    from accord.search import index
    from accord.search.models import SearchEntry

    rng = random.Random(seed)
    problems = []
    for kind in extensions.search_kinds():
        model = index.kind_model(kind)
        pks = list(model._base_manager.values_list("pk", flat=True))
        chosen = sorted(rng.sample(pks, min(sample, len(pks))))
        for record in index._records(kind, chosen):
            document = kind.document(record)
            entry = (
                SearchEntry.objects.filter(kind=kind.key, object_id=record.pk)
                .prefetch_related("themes", "organizations")
                .first()
            )
            if document is None or entry is None:
                if (document is None) != (entry is None):
                    problems.append(f"{kind.key} {record.pk}: entry {entry}, document {document}")
                continue
            want = (
                index.clean_text(document.title)[: index.TITLE_MAX],
                index.clean_text(document.body),
                str(document.url)[: index.URL_MAX],
                document.year,
                sorted(set(document.themes)),
                sorted(set(document.organizations)),
            )
            have = (
                entry.title,
                entry.body,
                entry.url,
                entry.year,
                sorted(t.theme_id for t in entry.themes.all()),
                sorted(o.organization_id for o in entry.organizations.all()),
            )
            if want != have:
                problems.append(f"{kind.key} {record.pk}: index {have!r} != document {want!r}")
    return problems


def time_rebuild(keys: list[str], data_dir: Path, start: float) -> None:
    """rebuild(kinds=[key]) for each key, timed; written out after each kind."""
    from accord.search import index

    out = data_dir / "bench-rebuild.json"
    done: dict[str, dict] = {}
    for key in keys:
        began = time.perf_counter()
        counts = index.rebuild(kinds=[key])
        seconds = time.perf_counter() - began
        done[key] = {"entries": counts.get(key, 0), "seconds": round(seconds, 1)}
        log(
            f"rebuild(kinds=[{key!r}]): {done[key]['entries']:,} entries in {seconds:,.1f} s", start
        )
        out.write_text(
            json.dumps(
                {"kinds": done, "date": f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC"}, indent=2
            )
        )


def main(argv=None) -> None:
    args = parse_args(argv)
    start = time.perf_counter()
    import django

    django.setup()
    from django.apps import apps
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.models.signals import post_migrate

    from accord.knowledge.models import Practice
    from accord.registry.models import Organization, Partnership
    from accord.taxonomy.models import Theme

    db = settings.DATABASES["default"]
    where = db["NAME"] if db["ENGINE"].endswith("sqlite3") else f"{db['ENGINE']} {db['NAME']}"
    log(f"database: {where}", start)
    # The schema as the code has it, without the search's post_migrate handler (it would
    # index the kinds without entries now, before the timed rebuild).
    post_migrate.disconnect(sender=apps.get_app_config("search"), dispatch_uid="accord.search.fill")
    call_command("migrate", verbosity=0)
    log("migrated", start)
    home = Organization.objects.filter(is_home=True).values_list("pk", flat=True).first()
    if home is None:
        sys.exit("No home organization: run bench/generate.py first (see the docstring).")
    if args.reset:
        Practice.shared_with.through.objects.all().delete()
        Practice.themes.through.objects.all().delete()
        Practice.recipient_organizations.through.objects.all().delete()
        Practice._base_manager.all().delete()
        log("practices deleted", start)
    if Practice._base_manager.exists() and not args.index_only:
        sys.exit("The database already holds practices: use --reset to start afresh.")

    if args.time_rebuild:
        time_rebuild(args.time_rebuild.split(","), Path(settings.DATA_DIR), start)
        return
    rng = random.Random(args.seed)
    theme_ids = dict(Theme.objects.values_list("slug", "pk"))
    keys = [k for k in THEME_ORDER if k in theme_ids]
    keys += sorted(k for k in theme_ids if k not in keys)
    themes_zipf = Zipf(keys, exponent=0.9)
    writer = Writer(keys)
    partners = sorted(
        Partnership.objects.filter(organization_id=home).values_list("partner_id", flat=True)
    ) or [home]
    acronyms = dict(Organization.objects.values_list("pk", "acronym"))
    others = sorted(pk for pk in acronyms if pk != home)
    done = 0
    if args.index_only:
        done = args.practices = Practice._base_manager.count()
    while done < args.practices:
        n = min(args.batch, args.practices - done)
        plans = [
            plan_practice(
                rng,
                writer,
                theme_ids=theme_ids,
                themes_zipf=themes_zipf,
                home=home,
                partners=partners,
                others=others,
                acronyms=acronyms,
            )
            for _ in range(n)
        ]
        done += insert_practices(plans)
        log(f"practices {done:>9,} / {args.practices:,}", start)
    generate_seconds = time.perf_counter() - start

    build = None
    if not args.no_index:
        log("rebuilding the search index (accord.search.index.rebuild(), every kind)", start)
        if args.fast_index:
            build = fast_index(start)
        else:
            build = rebuild_index(start)
        log(f"index: {build['entries']:,} entries in {build['seconds']:,.1f} s", start)
        if args.fast_index:
            problems = check_index()
            for problem in problems[:10]:
                log(problem[:400], start)
            if problems:
                sys.exit(f"{len(problems)} entries differ from their documents")
            log("index checked: a sample of every kind is as rebuild() makes it", start)
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
    meta = {
        "practices": args.practices,
        "seed": args.seed,
        "seconds": round(generate_seconds, 1),
        "index": build,
        "analyzed": args.analyze,
        "size_mib": round(size / 2**20, 1),
        "date": f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
    }
    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
    (Path(settings.DATA_DIR) / "bench-generate-practices.json").write_text(
        json.dumps(meta, indent=2)
    )
    log(
        f"done in {time.perf_counter() - start:,.0f} s; the database is {size / 2**20:,.0f} MiB",
        start,
    )


if __name__ == "__main__":
    main()
