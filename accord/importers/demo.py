"""The demo workspace: a data file of public facts, loaded through the registry services.

Parse the file into plain rows, check all of them, then load in one transaction. Loading is
idempotent: a record that already matches the file is left alone, so a second load writes
nothing and adds no history.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import transaction

from accord.core.choices import Classification
from accord.journal.choices import JournalKind
from accord.journal.models import JournalEntry
from accord.journal.services import journal_entry_create
from accord.registry import services
from accord.registry.choices import (
    DocumentKind,
    MembershipStatus,
    OrganizationKind,
    PartnershipStatus,
    PartnershipType,
    Priority,
)
from accord.registry.models import (
    Country,
    FrameworkDocument,
    Membership,
    Organization,
    Partnership,
    Person,
)
from accord.taxonomy.models import Theme

DEMO_FILE = Path(__file__).parent / "data" / "osce_demo.yaml"
SOURCE = "OSCE demo workspace"


class DemoDataError(Exception):
    """The data file is wrong; the message names the file and the entry."""

    def __init__(self, path: Path, problems: list[str]):
        self.problems = problems
        shown = "\n".join(f"  {p}" for p in problems[:20])
        more = f"\n  … and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"{path}: {len(problems)} problem(s):\n{shown}{more}")


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, what: str) -> None:
        target = self.created if kind == "created" else self.updated
        target[what] = target.get(what, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _date(value, where: str, problems: list[str]) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        problems.append(f"{where}: “{value}” is not a date (YYYY-MM-DD)")
        return None


def _choice(value, choices, where: str, problems: list[str]):
    if value not in choices.values:
        problems.append(f"{where}: “{value}” is not one of {', '.join(choices.values)}")
    return value


def parse(path: Path = DEMO_FILE) -> dict:
    """Read and check the whole file; raise DemoDataError listing every problem."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise DemoDataError(path, [str(exc)]) from exc
    problems: list[str] = []
    if not isinstance(data, dict):
        raise DemoDataError(path, ["the file must hold a mapping at the top"])
    countries = set(Country.objects.values_list("iso3", flat=True))
    theme_slugs = set(Theme.objects.values_list("slug", flat=True))
    documents = []
    for i, row in enumerate(data.get("framework_documents") or []):
        where = f"framework_documents[{i}] ({row.get('key')})"
        documents.append(
            {
                "key": row["key"],
                "title": row["title"],
                "year": int(row["year"]),
                "place": row.get("place") or "",
                "kind": _choice(row.get("kind"), DocumentKind, where, problems),
                "adopted_on": _date(row.get("adopted_on"), where, problems),
                "review_on": _date(row.get("review_on"), where, problems),
                "expires_on": _date(row.get("expires_on"), where, problems),
                "description": (row.get("description") or "").strip(),
                "source": row.get("source") or "",
                "classification": _choice(
                    row.get("classification", "public"), Classification, where, problems
                ),
            }
        )
    keys = {d["key"] for d in documents}
    organizations, memberships = [], []
    for i, row in enumerate(data.get("organizations") or []):
        acronym = row.get("acronym")
        where = f"organizations[{i}] ({acronym})"
        hq = row.get("headquarters_country")
        if hq and hq not in countries:
            problems.append(f"{where}: unknown headquarters country “{hq}”")
        organizations.append(
            {
                "acronym": acronym,
                "name": row["name"],
                "former_names": list(row.get("former_names") or []),
                "kind": _choice(row.get("kind"), OrganizationKind, where, problems),
                "headquarters": row.get("headquarters") or "",
                "headquarters_country": hq,
                "founded": row.get("founded"),
                "dissolved": row.get("dissolved"),
                "website": row.get("website") or "",
                "description": (row.get("description") or "").strip(),
                "source": row.get("source") or "",
                "cow_ioname": row.get("cow_ioname") or "",
                "mandate_themes": sorted(row.get("mandate_themes") or []),
            }
        )
        unknown = sorted(set(row.get("mandate_themes") or []) - theme_slugs)
        if unknown:
            problems.append(f"{where}: unknown mandate theme “{unknown[0]}”")
        for j, spell in enumerate(row.get("members") or []):
            at = f"{where}.members[{j}] ({spell.get('country')})"
            if spell.get("country") not in countries:
                problems.append(f"{at}: unknown country “{spell.get('country')}”")
            start = _date(spell.get("from"), at, problems)
            end = _date(spell.get("to"), at, problems)
            if start and end and end < start:
                problems.append(f"{at}: ends before it starts")
            before_founding = spell.get("before_founding") is True
            founded = row.get("founded")
            if start and isinstance(founded, int) and start.year < founded and not before_founding:
                problems.append(
                    f"{at}: starts on {start}, before {acronym} was founded in {founded}; "
                    "mark it `before_founding: true` if that is right"
                )
            memberships.append(
                {
                    "organization": acronym,
                    "country": spell.get("country"),
                    "status": _choice(spell.get("status"), MembershipStatus, at, problems),
                    "valid_from": start,
                    "valid_to": end,
                    "note": spell.get("note") or "",
                    "before_founding": before_founding,
                    "where": at,
                }
            )
    acronyms = {o["acronym"] for o in organizations}
    home = data.get("home")
    if home not in acronyms:
        problems.append(f"home: “{home}” is not one of the organizations")
    _check_overlaps(memberships, problems)
    partnerships = []
    for i, row in enumerate(data.get("partnerships") or []):
        where = f"partnerships[{i}] ({row.get('partner')})"
        if row.get("partner") not in acronyms:
            problems.append(f"{where}: unknown partner “{row.get('partner')}”")
        for key in row.get("basis") or []:
            if key not in keys:
                problems.append(f"{where}: unknown framework document “{key}”")
        for acronym in row.get("shared_with") or []:
            if acronym not in acronyms:
                problems.append(f"{where}: cannot share with unknown “{acronym}”")
        partnerships.append(
            {
                "partner": row.get("partner"),
                "type": _choice(row.get("type"), PartnershipType, where, problems),
                "basis": list(row.get("basis") or []),
                "since": _date(row.get("since"), where, problems),
                "review_on": _date(row.get("review_on"), where, problems),
                "status": _choice(row.get("status", "active"), PartnershipStatus, where, problems),
                "priority": _choice(row.get("priority", "medium"), Priority, where, problems),
                "classification": _choice(
                    row.get("classification", "internal"), Classification, where, problems
                ),
                "shared_with": list(row.get("shared_with") or []),
                "notes": (row.get("notes") or "").strip(),
            }
        )
    partners = {p["partner"] for p in partnerships}
    persons = []
    for i, row in enumerate(data.get("persons") or []):
        where = f"persons[{i}] ({row.get('name')})"
        if row.get("organization") not in acronyms:
            problems.append(f"{where}: unknown organization “{row.get('organization')}”")
        if row.get("partnership") and row["partnership"] not in partners:
            problems.append(f"{where}: no partnership with “{row['partnership']}”")
        persons.append(
            {
                "name": row["name"],
                "title": row.get("title") or "",
                "organization": row.get("organization"),
                "email": row.get("email") or "",
                "phone": str(row.get("phone") or ""),
                "partnership": row.get("partnership"),
                "role": row.get("role") or "",
                "description": (row.get("description") or "").strip(),
                "classification": _choice(
                    row.get("classification", "internal"), Classification, where, problems
                ),
                "shared_with": list(row.get("shared_with") or []),
            }
        )
    journal = []
    for i, row in enumerate(data.get("journal") or []):
        where = f"journal[{i}]"
        if row.get("organization") and row["organization"] not in acronyms:
            problems.append(f"{where}: unknown organization “{row['organization']}”")
        if row.get("partnership") and row["partnership"] not in partners:
            problems.append(f"{where}: no partnership with “{row['partnership']}”")
        if row.get("document") and row["document"] not in keys:
            problems.append(f"{where}: unknown framework document “{row['document']}”")
        if sum(1 for k in ("organization", "partnership", "document") if row.get(k)) != 1:
            problems.append(f"{where}: name one organization, partnership or document")
        if not (row.get("text") or "").strip():
            problems.append(f"{where}: the text is empty")
        journal.append(
            {
                "organization": row.get("organization"),
                "partnership": row.get("partnership"),
                "document": row.get("document"),
                "date": _date(row.get("date"), where, problems),
                "kind": _choice(row.get("kind", "note"), JournalKind, where, problems),
                "text": (row.get("text") or "").strip(),
                "classification": _choice(
                    row.get("classification", "internal"), Classification, where, problems
                ),
            }
        )
    if problems:
        raise DemoDataError(path, problems)
    return {
        "journal": journal,
        "home": home,
        "documents": documents,
        "organizations": organizations,
        "memberships": memberships,
        "partnerships": partnerships,
        "persons": persons,
    }


def _check_overlaps(memberships: list[dict], problems: list[str]) -> None:
    spells: dict[tuple, list[dict]] = {}
    for m in memberships:
        spells.setdefault((m["organization"], m["country"]), []).append(m)
    low, high = datetime.date.min, datetime.date.max
    for rows in spells.values():
        rows = sorted(rows, key=lambda r: r["valid_from"] or low)
        for a, b in zip(rows, rows[1:], strict=False):
            if (b["valid_from"] or low) <= (a["valid_to"] or high):
                problems.append(f"{b['where']}: overlaps {a['where']}")


def _differs(obj, fields: dict) -> dict:
    return {name: value for name, value in fields.items() if getattr(obj, name) != value}


@transaction.atomic
def load_demo(*, actor=None, path: Path = DEMO_FILE) -> LoadReport:
    """Load (or bring up to date) the demo workspace; all or nothing."""
    data = parse(path)
    report = LoadReport()
    countries = dict(Country.objects.values_list("iso3", "pk"))
    country_objs = {c.iso3: c for c in Country.objects.all()}

    documents = {d.key: d for d in FrameworkDocument.objects.all()}
    for row in data["documents"]:
        existing = documents.get(row["key"])
        if existing is None:
            documents[row["key"]] = services.document_create(actor=actor, **row)
            report.count("created", "framework documents")
        elif changes := _differs(existing, row):
            documents[row["key"]] = services.document_update(
                actor=actor, document=existing, expected_version=None, **changes
            )
            report.count("updated", "framework documents")

    organizations = {o.acronym: o for o in Organization.objects.prefetch_related("mandate_themes")}
    themes = {t.slug: t for t in Theme.objects.all()}
    for row in data["organizations"]:
        fields = {**row, "headquarters_country": country_objs.get(row["headquarters_country"])}
        mandate = fields.pop("mandate_themes")
        existing = organizations.get(row["acronym"])
        if existing is None:
            if row["acronym"] == data["home"]:
                fields["is_home"] = not Organization.objects.filter(is_home=True).exists()
            organizations[row["acronym"]] = services.organization_create(
                actor=actor, mandate_themes=[themes[slug] for slug in mandate], **fields
            )
            report.count("created", "organizations")
            continue
        changes = _differs(existing, fields)
        if sorted(t.slug for t in existing.mandate_themes.all()) != mandate:
            changes["mandate_themes"] = [themes[slug] for slug in mandate]
        if changes:
            organizations[row["acronym"]] = services.organization_update(
                actor=actor, organization=existing, expected_version=None, **changes
            )
            report.count("updated", "organizations")

    home = organizations[data["home"]]
    if not home.is_home:
        current = Organization.objects.filter(is_home=True).first()
        if current is not None:
            services.organization_update(
                actor=actor, organization=current, expected_version=None, is_home=False
            )
        organizations[data["home"]] = home = services.organization_update(
            actor=actor, organization=home, expected_version=None, is_home=True
        )
        report.count("updated", "organizations")

    existing_spells = {
        (m.organization_id, m.country_id, m.valid_from): m
        for m in Membership.objects.filter(organization__in=organizations.values())
    }
    for row in data["memberships"]:
        organization = organizations[row["organization"]]
        key = (organization.pk, countries[row["country"]], row["valid_from"])
        fields = {
            "status": row["status"],
            "valid_to": row["valid_to"],
            "note": row["note"],
            "source": SOURCE,
        }
        existing = existing_spells.get(key)
        if existing is None:
            services.membership_create(
                actor=actor,
                organization=organization,
                country=country_objs[row["country"]],
                valid_from=row["valid_from"],
                confirm_before_founding=row["before_founding"],
                **fields,
            )
            report.count("created", "memberships")
        elif changes := _differs(existing, fields):
            services.membership_update(
                actor=actor, membership=existing, expected_version=None, **changes
            )
            report.count("updated", "memberships")

    partnerships = {
        p.partner_id: p
        for p in Partnership.objects.filter(organization=home).prefetch_related(
            "basis", "shared_with"
        )
    }
    for row in data["partnerships"]:
        partner = organizations[row["partner"]]
        basis = [documents[key] for key in row["basis"]]
        shared = [organizations[a] for a in row["shared_with"]]
        fields = {k: v for k, v in row.items() if k not in ("partner", "basis", "shared_with")}
        existing = partnerships.get(partner.pk)
        if existing is None:
            partnerships[partner.pk] = services.partnership_create(
                actor=actor,
                organization=home,
                partner=partner,
                basis=basis,
                shared_with=shared,
                **fields,
            )
            report.count("created", "partnerships")
            continue
        changes = _differs(existing, fields)
        same_basis = {d.pk for d in existing.basis.all()} == {d.pk for d in basis}
        same_shared = {o.pk for o in existing.shared_with.all()} == {o.pk for o in shared}
        if changes or not same_basis or not same_shared:
            partnerships[partner.pk] = services.partnership_update(
                actor=actor,
                partnership=existing,
                expected_version=None,
                basis=basis,
                shared_with=shared,
                **changes,
            )
            report.count("updated", "partnerships")

    people = {
        (p.name, p.organization_id): p for p in Person.objects.all().prefetch_related("shared_with")
    }
    for row in data["persons"]:
        organization = organizations[row["organization"]]
        partnership = None
        if row["partnership"]:
            partnership = partnerships[organizations[row["partnership"]].pk]
        shared = [organizations[a] for a in row["shared_with"]]
        fields = {
            **{k: v for k, v in row.items() if k not in ("organization", "shared_with")},
            "organization": organization,
            "partnership": partnership,
        }
        existing = people.get((row["name"], organization.pk))
        if existing is None:
            services.person_create(actor=actor, shared_with=shared, **fields)
            report.count("created", "people")
            continue
        changes = _differs(existing, fields)
        same_shared = {o.pk for o in existing.shared_with.all()} == {o.pk for o in shared}
        if changes or not same_shared:
            services.person_update(
                actor=actor, person=existing, expected_version=None, shared_with=shared, **changes
            )
            report.count("updated", "people")

    for row in data["journal"]:
        if row["organization"]:
            record = organizations[row["organization"]]
        elif row["partnership"]:
            record = partnerships[organizations[row["partnership"]].pk]
        else:
            record = documents[row["document"]]
        fields = {k: row[k] for k in ("date", "kind", "text", "classification")}
        if JournalEntry.objects.on(record).filter(date=row["date"], text=row["text"]).exists():
            continue
        journal_entry_create(actor=actor, assigned_object=record, **fields)
        report.count("created", "journal entries")
    return report
