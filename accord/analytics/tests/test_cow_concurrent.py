"""Real concurrent imports: each a thread with its own connection, released together. They
take turns; the first writes, the others find everything there and change nothing."""

import threading
import time

import pytest
from django.db import OperationalError, connections

from accord.analytics import cow
from accord.analytics.models import SourceMembership
from accord.registry.models import Organization, OrganizationIdentifier

from . import cowfiles

pytestmark = pytest.mark.django_db(transaction=True)
WRITERS = 4


def test_concurrent_imports_of_the_same_files_write_once(tmp_path):
    directory = cowfiles.write(tmp_path, cowfiles.nato_like())
    barrier = threading.Barrier(WRITERS)
    outcomes = [None] * WRITERS

    def run(i):
        try:
            barrier.wait(timeout=10)
            for _attempt in range(300):
                try:
                    outcomes[i] = ("ok", cow.import_cow(directory))
                    break
                except OperationalError as exc:
                    # The in-memory SQLite test database fails a busy write at once, where
                    # the file database waits: wait and try again.
                    if "locked" not in str(exc):
                        raise
                    time.sleep(0.02)
        except Exception as exc:  # noqa: BLE001 - reported by the test
            outcomes[i] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert all(o is not None and o[0] == "ok" for o in outcomes), outcomes
    reports = [report for _ok, report in outcomes]
    assert sum(1 for r in reports if r.changed) == 1, "one import writes, the others find it"
    assert sum(r.organizations_created for r in reports) == 2
    assert Organization.objects.filter(acronym__in=["NATO", "TESTO"]).count() == 2
    assert OrganizationIdentifier.objects.filter(scheme="cow-igo").count() == 2
    assert SourceMembership.objects.count() == max(r.spells_added for r in reports)
