"""Real concurrent writers on bulk entry and journal edits: a conflict, never a silent overwrite.

Threads with their own connections, released together (run_together from the spells test).
On PostgreSQL the rows are locked and the versions compared in the database; on SQLite one
writer at a time goes.
"""

import datetime

import pytest

from accord.core.exceptions import ConflictError
from accord.journal import services as journal
from accord.journal.models import JournalEntry
from accord.registry import services
from accord.registry.models import Country, Membership, Organization

from .test_concurrent_spells import WRITERS, run_together

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_bulk_entries_of_the_same_states_write_one_batch_whole():
    org = Organization.objects.create(acronym="BULK", name="Bulk race", kind="regional")
    countries = list(Country.objects.filter(iso3__in=["FRA", "DEU", "ITA", "ESP"]))
    rows = [
        {
            "line": n,
            "country": country,
            "status": "full",
            "valid_from": datetime.date(2020, 1, 1),
            "valid_to": None,
        }
        for n, country in enumerate(countries, start=1)
    ]

    def confirm(i):
        return services.membership_bulk_create(actor=None, organization=org, rows=rows)

    outcomes = run_together(confirm)
    assert [kind for kind, _ in outcomes].count("ok") == 1, outcomes
    assert {kind for kind, _ in outcomes} == {"ok", "refused"}, outcomes
    # Each refusal names a line and a state; no batch went in by halves.
    for kind, result in outcomes:
        if kind == "refused":
            assert "Line " in " ".join(result.messages)
    assert Membership.objects.filter(organization=org).count() == len(countries)


def test_concurrent_edits_of_one_journal_entry_keep_one_and_refuse_the_others():
    org = Organization.objects.create(acronym="NOTE", name="Journal race", kind="regional")
    entry = journal.journal_entry_create(
        actor=None, assigned_object=org, date=datetime.date(2026, 1, 5), text="First call."
    )
    version = entry.version

    def edit(i):
        mine = JournalEntry.objects.get(pk=entry.pk)
        return journal.journal_entry_update(
            actor=None, entry=mine, expected_version=version, text=f"Edit by writer {i}."
        )

    outcomes = run_together(edit)
    kinds = [kind for kind, _ in outcomes]
    assert kinds.count("ok") == 1, outcomes
    losers = [result for kind, result in outcomes if kind != "ok"]
    assert len(losers) == WRITERS - 1
    assert all(isinstance(result, ConflictError) for result in losers), outcomes
    winner = next(result for kind, result in outcomes if kind == "ok")
    entry.refresh_from_db()
    assert entry.text == winner.text
    assert entry.version == version + 1
