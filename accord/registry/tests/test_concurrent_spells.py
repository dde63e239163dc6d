"""Real concurrent writers: two spells of one state in one organization never overlap.

Each writer is a thread with its own database connection, released together by a barrier.
On PostgreSQL the exclusion constraint `membership_no_overlap` decides (without it, 19 of 20
concurrent creates succeeded); on SQLite one writer at a time does.
"""

import datetime
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, connections

from accord.registry import services
from accord.registry.models import Country, Membership, Organization

WRITERS = 8
day = datetime.date

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(work, n=WRITERS):
    """Run work(i) in n threads started at the same moment; return their outcomes."""
    barrier = threading.Barrier(n)
    outcomes = [None] * n

    def run(i):
        try:
            barrier.wait(timeout=10)
            for _attempt in range(200):
                try:
                    outcomes[i] = ("ok", work(i))
                    break
                except OperationalError as exc:
                    # The test database on SQLite is shared in memory, where a busy table
                    # fails at once instead of waiting as the real file database does: wait.
                    if "locked" not in str(exc):
                        raise
                    time.sleep(0.02)
        except ValidationError as exc:
            outcomes[i] = ("refused", exc)
        except Exception as exc:  # noqa: BLE001 - reported by the test
            outcomes[i] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return outcomes


@pytest.fixture
def pair(db):
    org = Organization.objects.create(acronym="RACE", name="Race", kind="regional")
    country = Country.objects.get(iso3="FRA")
    return org, country


def overlapping(org, country):
    spells = list(
        Membership.objects.filter(organization=org, country=country).order_by("valid_from")
    )
    for a, b in zip(spells, spells[1:], strict=False):
        if a.valid_to is None or b.valid_from is None or a.valid_to >= b.valid_from:
            return [a, b]
    return []


def test_concurrent_creates_of_the_same_spell_leave_one(pair):
    org, country = pair

    def create(i):
        return services.membership_create(
            actor=None,
            organization=Organization.objects.get(pk=org.pk),
            country=Country.objects.get(pk=country.pk),
            status="full",
            valid_from=day(2000 + i, 1, 1),
        )

    outcomes = run_together(create)
    kinds = [kind for kind, _ in outcomes]
    assert "error" not in kinds, [o for o in outcomes if o[0] == "error"]
    assert kinds.count("ok") == 1, outcomes
    assert Membership.objects.filter(organization=org, country=country).count() == 1
    # Every refusal the writers saw from the rule names the clash.
    for kind, exc in outcomes:
        if kind == "refused" and isinstance(exc, ValidationError):
            assert "overlap" in " ".join(exc.messages)


def test_concurrent_patches_into_overlap_leave_no_overlap(pair):
    org, country = pair
    spells = [
        services.membership_create(
            actor=None,
            organization=org,
            country=country,
            status="full",
            valid_from=day(1990 + 2 * i, 1, 1),
            valid_to=day(1990 + 2 * i, 12, 31),
        )
        for i in range(WRITERS)
    ]

    def stretch(i):
        spell = Membership.objects.get(pk=spells[i].pk)
        return services.membership_update(
            actor=None,
            membership=spell,
            expected_version=spell.version,
            valid_to=day(2030, 12, 31),  # each reaches into all the later spells
        )

    outcomes = run_together(stretch)
    assert "error" not in [k for k, _ in outcomes], outcomes
    assert None not in outcomes
    assert overlapping(org, country) == []
    # The last spell may stretch freely: nothing follows it.
    assert outcomes[-1][0] == "ok"


def test_an_overlap_is_refused_even_past_the_service_check(pair):
    """PostgreSQL's constraint refuses a row written around the services; on SQLite, where
    writers take turns, the services' check is the guard."""
    from django.db import IntegrityError, transaction

    org, country = pair
    Membership.objects.create(organization=org, country=country, status="full")
    if connection.vendor == "postgresql":
        with pytest.raises(IntegrityError, match="membership_no_overlap"), transaction.atomic():
            Membership.objects.create(
                organization=org, country=country, status="observer", valid_from=day(2020, 1, 1)
            )
    else:
        with pytest.raises(ValidationError, match="overlaps"):
            services.membership_create(
                actor=None,
                organization=org,
                country=country,
                status="observer",
                valid_from=day(2020, 1, 1),
            )


def test_concurrent_creates_of_one_partnership_pair_are_a_422_not_a_500(db):
    """Two editors add the same partnership at once: one is saved, the other told why."""
    a = Organization.objects.create(acronym="PAIRA", name="A", kind="regional")
    b = Organization.objects.create(acronym="PAIRB", name="B", kind="regional")

    def create(i):
        return services.partnership_create(
            actor=None,
            organization=Organization.objects.get(pk=a.pk),
            partner=Organization.objects.get(pk=b.pk),
            type="thematic",
        )

    outcomes = run_together(create)
    kinds = [kind for kind, _ in outcomes]
    assert "error" not in kinds, [o for o in outcomes if o[0] == "error"]
    assert kinds.count("ok") == 1
    for kind, exc in outcomes:
        if kind == "refused":
            assert "already have a partnership" in " ".join(exc.messages)


def test_concurrent_creates_of_one_acronym_are_a_422_not_a_500(db):
    def create(i):
        return services.organization_create(
            actor=None, acronym="TWICE", name=f"Twice {i}", kind="other"
        )

    outcomes = run_together(create)
    kinds = [kind for kind, _ in outcomes]
    assert "error" not in kinds, [o for o in outcomes if o[0] == "error"]
    assert kinds.count("ok") == 1
    assert Organization.objects.filter(acronym="TWICE").count() == 1
