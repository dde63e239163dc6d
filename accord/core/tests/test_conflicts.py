"""The merge of a stale edit: what is merged by itself and what the user must choose."""

import pytest

from accord.core.conflicts import Outcome, choices_in, comparable, merge, resolve
from accord.registry.models import Organization, Partnership

BASE = {"name": "United Nations", "hq": "New York", "founded": 1945, "kind": "global"}


def test_each_outcome():
    mine = {**BASE, "name": "UN (mine)", "hq": "Geneva", "founded": 1946}
    theirs = {**BASE, "hq": "Nairobi", "founded": 1946, "kind": "other"}
    outcomes = merge(BASE, mine, theirs)
    assert outcomes == {
        "name": Outcome.MINE,  # only I changed it
        "hq": Outcome.CONFLICT,  # we both did, differently
        "founded": Outcome.SAME,  # we both did, the same way
        "kind": Outcome.THEIRS,  # only they did
    }


def test_nobody_changed_anything():
    assert set(merge(BASE, dict(BASE), dict(BASE)).values()) == {Outcome.UNCHANGED}


def test_resolve_takes_theirs_where_only_they_changed_and_where_chosen():
    mine = {**BASE, "name": "UN (mine)", "hq": "Geneva", "founded": 1900}
    theirs = {**BASE, "hq": "Nairobi", "kind": "other", "founded": 2000}
    outcomes = merge(BASE, mine, theirs)
    assert resolve(mine, theirs, outcomes) == {
        "name": "UN (mine)",
        "hq": "Geneva",  # keep mine by default
        "founded": 1900,
        "kind": "other",
    }
    chosen = resolve(mine, theirs, outcomes, {"hq": "theirs", "founded": "mine"})
    assert (chosen["hq"], chosen["founded"], chosen["kind"]) == ("Nairobi", 1900, "other")
    # A choice on a field that is not in conflict changes nothing.
    assert resolve(mine, theirs, outcomes, {"name": "theirs"})["name"] == "UN (mine)"


def test_without_the_start_every_difference_is_a_conflict():
    mine = {**BASE, "hq": "Geneva"}
    theirs = {**BASE, "kind": "other"}
    outcomes = merge(None, mine, theirs)
    assert outcomes["hq"] == outcomes["kind"] == Outcome.CONFLICT
    assert outcomes["name"] == Outcome.UNCHANGED


def test_values_compare_whatever_their_source():
    hq_country = Organization._meta.get_field("headquarters_country")
    basis = Partnership._meta.get_field("basis")
    former = Organization._meta.get_field("former_names")
    name = Organization._meta.get_field("name")
    assert comparable(basis, [3, 1]) == comparable(basis, (1, 3)) == frozenset({1, 3})
    assert comparable(basis, None) == frozenset()
    assert comparable(former, []) is None
    assert comparable(former, ["a", "b"]) == ("a", "b")
    assert comparable(name, "") is None
    assert comparable(hq_country, 7) == 7


@pytest.mark.django_db
def test_related_records_compare_by_id(world):
    basis = Partnership._meta.get_field("basis")
    hq_country = Organization._meta.get_field("headquarters_country")
    usa = world.countries["USA"]
    assert comparable(hq_country, usa) == comparable(hq_country, usa.pk)
    assert comparable(basis, Partnership.basis.through.objects.none()) == frozenset()
    assert comparable(basis, [world.doc]) == frozenset({world.doc.pk})


def test_choices_are_read_from_the_radio_buttons():
    data = {"resolve-name": "theirs", "resolve-hq": "mine", "resolve-x": "whatever", "name": "a"}
    assert choices_in(data) == {"name": "theirs", "hq": "mine"}
