"""The knowledge of the demo workspace: commitments of its framework documents about partners,
and illustrative practices and requests, loaded through the services.

`accord demo` runs this after the registry's workspace and the meetings (a demo loader
registered by KnowledgeConfig.ready()). The file, data/demo-knowledge.yaml, is parsed into
plain rows and checked whole first; then everything is loaded in one transaction, leaving alone
every record that already matches, so that a second load writes nothing.

A commitment is found again by its document and reference; a sample practice by its title and
a sample request by its subject, among the records marked `is_sample`. Records a user added are
left as they are.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction

from accord.core.choices import Classification
from accord.registry.models import FrameworkDocument, Organization
from accord.taxonomy.choices import Phase
from accord.taxonomy.models import Theme

from . import services
from .choices import PracticeKind, RequestKind, RequestStatus
from .models import Commitment, Practice, Request

DEMO_FILE = Path(__file__).parent / "data" / "demo-knowledge.yaml"


class DemoKnowledgeError(Exception):
    """The data file is wrong; the message names the file and each entry at fault."""

    def __init__(self, path: Path, problems: list[str]):
        self.problems = problems
        shown = "\n".join(f"  {p}" for p in problems[:20])
        super().__init__(f"{path}: {len(problems)} problem(s):\n{shown}")


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, what: str) -> None:
        target = getattr(self, kind)
        target[what] = target.get(what, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


# ---------------------------------------------------------------- parse and check


class Checker:
    def __init__(self):
        self.problems: list[str] = []
        self.documents = {d.key: d for d in FrameworkDocument.objects.all()}
        self.organizations = {o.acronym: o for o in Organization.objects.all()}
        self.themes = {t.slug: t for t in Theme.objects.all()}

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def text(self, row: dict, name: str, where: str, required=True) -> str:
        value = row.get(name, "")
        if value is None:
            value = ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.problem(where, f"`{name}` must be {'a non-empty ' if required else 'a '}text")
            return ""
        return value.strip() if name != "body" else value

    def choice(self, row: dict, name: str, choices, where: str) -> str:
        value = row.get(name)
        if value not in choices.values:
            self.problem(where, f"`{name}` must be one of {', '.join(choices.values)}")
        return value

    def day(self, row: dict, name: str, where: str, required=False):
        value = row.get(name)
        if value is None and not required:
            return None
        if not isinstance(value, datetime.date):
            self.problem(where, f"`{name}` must be a date (YYYY-MM-DD)")
            return None
        return value

    def listed(self, row: dict, name: str, where: str) -> list:
        value = row.get(name) or []
        if not isinstance(value, list):
            self.problem(where, f"`{name}` must be a list")
            return []
        return value

    def orgs(self, row: dict, name: str, where: str) -> list:
        found = []
        for acronym in self.listed(row, name, where):
            if acronym not in self.organizations:
                self.problem(where, f"no organization {acronym!r} in `{name}`")
            else:
                found.append(self.organizations[acronym])
        return found

    def theme_list(self, row: dict, where: str) -> list:
        found = []
        for slug in self.listed(row, "themes", where):
            if slug not in self.themes:
                self.problem(where, f"no theme {slug!r}")
            else:
                found.append(self.themes[slug])
        return found

    def phases(self, row: dict, where: str) -> list:
        phases = self.listed(row, "phases", where)
        for phase in phases:
            if phase not in Phase.values:
                self.problem(where, f"no phase {phase!r}")
        return phases

    def commitment_refs(self, row: dict, where: str, known: set) -> list:
        refs = []
        for ref in self.listed(row, "commitments", where):
            pair = tuple(ref) if isinstance(ref, list) else None
            if pair is None or len(pair) != 2 or pair not in known:
                self.problem(where, f"no commitment {ref!r} in the file")
            else:
                refs.append(pair)
        return refs


def parse(path: Path = DEMO_FILE) -> dict:
    """The file's rows with their references resolved, or DemoKnowledgeError naming each
    problem."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise DemoKnowledgeError(path, [str(exc)]) from exc
    check = Checker()
    commitments = []
    for n, row in enumerate(data.get("commitments") or [], start=1):
        where = f"commitments[{n}]"
        key = row.get("document")
        if key not in check.documents:
            check.problem(where, f"no framework document {key!r} in the workspace")
        commitments.append(
            {
                "document": check.documents.get(key),
                "key": (key, check.text(row, "reference", where)),
                "reference": row.get("reference", ""),
                "text": " ".join(check.text(row, "text", where).split()),
                "source": check.text(row, "source", where),
                "themes": check.theme_list(row, where),
                "phases": check.phases(row, where),
                "organizations": check.orgs(row, "organizations", where),
            }
        )
    known = {c["key"] for c in commitments}
    if len(known) != len(commitments):
        check.problem("commitments", "a document and reference appear twice")
    practices = []
    for n, row in enumerate(data.get("practices") or [], start=1):
        where = f"practices[{n}]"
        source = row.get("source_organization")
        if source is not None and source not in check.organizations:
            check.problem(where, f"no organization {source!r}")
        practices.append(
            {
                "fields": {
                    "title": check.text(row, "title", where),
                    "kind": check.choice(row, "kind", PracticeKind, where),
                    "summary": check.text(row, "summary", where, required=False),
                    "body": check.text(row, "body", where, required=False),
                    "phases": check.phases(row, where),
                    "source_organization": check.organizations.get(source),
                    "region": check.text(row, "region", where, required=False),
                    "date": check.day(row, "date", where),
                    "classification": check.choice(row, "classification", Classification, where),
                },
                "themes": check.theme_list(row, where),
                "recipient_organizations": check.orgs(row, "recipient_organizations", where),
                "commitments": check.commitment_refs(row, where, known),
            }
        )
    titles = {p["fields"]["title"] for p in practices}
    requests = []
    for n, row in enumerate(data.get("requests") or [], start=1):
        where = f"requests[{n}]"
        organization = row.get("organization")
        if organization not in check.organizations:
            check.problem(where, f"no organization {organization!r}")
        shared = check.listed(row, "shared_practices", where)
        for title in shared:
            if title not in titles:
                check.problem(where, f"no practice {title!r} in the file")
        requests.append(
            {
                "fields": {
                    "subject": check.text(row, "subject", where),
                    "kind": check.choice(row, "kind", RequestKind, where),
                    "organization": check.organizations.get(organization),
                    "description": check.text(row, "description", where, required=False),
                    "phases": check.phases(row, where),
                    "received": check.day(row, "received", where, required=True),
                    "due": check.day(row, "due", where),
                    "status": check.choice(row, "status", RequestStatus, where),
                    "answer": check.text(row, "answer", where, required=False),
                    "answered_on": check.day(row, "answered_on", where),
                    "classification": check.choice(row, "classification", Classification, where),
                },
                "themes": check.theme_list(row, where),
                "shared_with": check.orgs(row, "shared_with", where),
                "shared_practices": shared,
                "commitments": check.commitment_refs(row, where, known),
            }
        )
    if check.problems:
        raise DemoKnowledgeError(path, check.problems)
    return {"commitments": commitments, "practices": practices, "requests": requests}


# ---------------------------------------------------------------- load


def _ids(values) -> set:
    return {v.pk for v in values}


def _differs(record, fields: dict, m2m: dict) -> bool:
    for name, value in fields.items():
        current = getattr(record, name)
        if current != value:
            return True
    return any(_ids(getattr(record, name).all()) != _ids(values) for name, values in m2m.items())


def _upsert(model, record, fields: dict, m2m: dict, report: LoadReport, label: str):
    create = {
        Commitment: services.commitment_create,
        Practice: services.practice_create,
        Request: lambda **kw: services.request_create(notify=False, **kw),
    }[model]
    update = {
        Commitment: lambda r, **kw: services.commitment_update(commitment=r, **kw),
        Practice: lambda r, **kw: services.practice_update(practice=r, **kw),
        Request: lambda r, **kw: services.request_update(request=r, **kw),
    }[model]
    if record is None:
        report.count("created", label)
        return create(actor=None, **fields, **m2m)
    if not _differs(record, fields, m2m):
        return record
    report.count("updated", label)
    return update(record, actor=None, expected_version=record.version, **fields, **m2m)


@transaction.atomic
def load(path: Path = DEMO_FILE) -> LoadReport:
    rows = parse(path)
    report = LoadReport()
    commitments = {}
    for order, row in enumerate(rows["commitments"], start=1):
        record = Commitment.objects.filter(
            document=row["document"], reference=row["reference"]
        ).first()
        fields = {
            "text": row["text"],
            "source": row["source"],
            "phases": row["phases"],
            "order": order,
        }
        if record is None:
            fields = {"document": row["document"], "reference": row["reference"], **fields}
        m2m = {"themes": row["themes"], "organizations": row["organizations"]}
        commitments[row["key"]] = _upsert(Commitment, record, fields, m2m, report, "commitments")
    practices = {}
    for row in rows["practices"]:
        fields = {**row["fields"], "is_sample": True}
        record = Practice.objects.filter(is_sample=True, title=fields["title"]).first()
        m2m = {
            "themes": row["themes"],
            "recipient_organizations": row["recipient_organizations"],
        }
        practice = _upsert(Practice, record, fields, m2m, report, "practices")
        practices[fields["title"]] = practice
        for key in row["commitments"]:
            services.commitment_link(actor=None, commitment=commitments[key], record=practice)
            commitments[key].refresh_from_db()
    for row in rows["requests"]:
        fields = {**row["fields"], "is_sample": True}
        record = Request.objects.filter(is_sample=True, subject=fields["subject"]).first()
        m2m = {
            "themes": row["themes"],
            "shared_with": row["shared_with"],
            "shared_practices": [practices[t] for t in row["shared_practices"]],
        }
        try:
            request = _upsert(Request, record, fields, m2m, report, "requests")
        except ValidationError as exc:
            raise DemoKnowledgeError(path, [f"request {fields['subject']!r}: {exc}"]) from exc
        for key in row["commitments"]:
            services.commitment_link(actor=None, commitment=commitments[key], record=request)
            commitments[key].refresh_from_db()
    return report


def load_demo_knowledge(*, stdout, verbosity: int = 1) -> None:
    """`accord demo`'s knowledge part (registered by KnowledgeConfig.ready())."""
    report = load()
    if verbosity < 1:
        return
    if not report.changed:
        stdout.write("The demo commitments, practices and requests are already up to date.")
        return
    for label, counts in (("created", report.created), ("updated", report.updated)):
        if counts:
            summary = ", ".join(f"{n} {what}" for what, n in sorted(counts.items()))
            stdout.write(f"Knowledge demo, {label}: {summary}.")


def register_demo_loader() -> None:
    from accord.core import extensions

    # After the workspace (10) and the meetings (20): it names their documents and partners.
    extensions.register_demo_loader("knowledge", load=load_demo_knowledge, order=30)
