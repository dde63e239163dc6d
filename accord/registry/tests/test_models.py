"""The registry's rules, checked through the services every interface writes with."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accord.registry import selectors, services
from accord.registry.models import Country, Membership, Organization, Partnership

day = datetime.date


def messages(caught) -> str:
    return " ".join(caught.value.messages)


@pytest.fixture
def fra(world):
    return world.countries["FRA"]


def spell(world, country, valid_from=None, valid_to=None, organization=None, status="observer"):
    return services.membership_create(
        actor=world.users.editor,
        organization=organization or world.sco,
        country=country,
        status=status,
        valid_from=valid_from,
        valid_to=valid_to,
        # These dates span SCO's founding (2001) on purpose: the tests are about overlaps.
        confirm_before_founding=True,
    )


# ---------------------------------------------------------------- dates in order


def test_a_spell_cannot_end_before_it_starts(world, fra):
    with pytest.raises(ValidationError) as caught:
        spell(world, fra, day(2020, 1, 1), day(2019, 12, 31))
    assert "cannot be before" in messages(caught)
    assert not Membership.objects.filter(organization=world.sco, country=fra).exists()


def test_a_one_day_spell_is_fine(world, fra):
    one_day = spell(world, fra, day(2020, 1, 1), day(2020, 1, 1))
    assert list(Membership.objects.as_of(day(2020, 1, 1)).filter(pk=one_day.pk)) == [one_day]


def test_an_update_cannot_put_the_dates_out_of_order(world, fra):
    created = spell(world, fra, day(2020, 1, 1))
    with pytest.raises(ValidationError):
        services.membership_update(
            actor=world.users.editor,
            membership=created,
            expected_version=1,
            valid_to=day(2019, 1, 1),
        )
    created.refresh_from_db()
    assert (created.valid_to, created.version) == (None, 1)


def test_the_database_refuses_dates_out_of_order_too(world, fra):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            organization=world.sco,
            country=fra,
            status="observer",
            valid_from=day(2020, 1, 1),
            valid_to=day(2019, 1, 1),
        )


def test_an_organization_cannot_be_dissolved_before_it_was_founded(world):
    with pytest.raises(ValidationError) as caught:
        services.organization_create(
            actor=None,
            acronym="WEU",
            name="Western European Union",
            kind="regional",
            founded=1954,
            dissolved=1953,
        )
    assert "dissolved before it was founded" in messages(caught)
    assert not Organization.objects.filter(acronym="WEU").exists()
    weu = services.organization_create(
        actor=None,
        acronym="WEU",
        name="Western European Union",
        kind="regional",
        founded=1954,
        dissolved=2011,
    )
    with pytest.raises(ValidationError):
        services.organization_update(
            actor=world.users.editor, organization=weu, expected_version=1, dissolved=1900
        )
    weu.refresh_from_db()
    assert weu.dissolved == 2011


# ---------------------------------------------------------------- overlapping spells


OVERLAPS = {
    "one common day": ((day(2000, 1, 1), day(2010, 12, 31)), (day(2010, 12, 31), day(2015, 1, 1))),
    "inside": ((day(2000, 1, 1), day(2010, 12, 31)), (day(2005, 1, 1), day(2006, 1, 1))),
    "ends on the start day": (
        (day(2000, 1, 1), day(2010, 12, 31)),
        (day(1990, 1, 1), day(2000, 1, 1)),
    ),
    "open end": ((day(2000, 1, 1), None), (day(2010, 1, 1), day(2012, 1, 1))),
    "two open ends": ((day(2000, 1, 1), None), (day(1990, 1, 1), None)),
    "unknown start": ((day(2000, 1, 1), day(2005, 1, 1)), (None, day(2001, 1, 1))),
    "first always": ((None, None), (day(2020, 1, 1), day(2020, 1, 1))),
    "second always": ((day(2000, 1, 1), day(2005, 1, 1)), (None, None)),
}


def test_overlapping_spells_are_refused(world):
    # One country per case, none of them in the SCO yet.
    countries = Country.objects.exclude(memberships__organization=world.sco).order_by("iso3")
    countries = list(countries[: len(OVERLAPS)])
    for (case, (first, second)), country in zip(OVERLAPS.items(), countries, strict=True):
        spell(world, country, *first)
        with pytest.raises(ValidationError) as caught:
            spell(world, country, *second)
        assert list(caught.value.message_dict) == ["valid_from"], case
        assert "overlaps" in messages(caught), case
        assert Membership.objects.filter(organization=world.sco, country=country).count() == 1


def test_the_overlap_message_names_the_clashing_spell(world, fra):
    spell(world, fra, day(2000, 1, 1), day(2010, 12, 31))
    with pytest.raises(ValidationError) as caught:
        spell(world, fra, day(2005, 1, 1))
    text = messages(caught)
    assert "France" in text and "SCO" in text
    assert "2000-01-01" in text and "2010-12-31" in text


def test_adjoining_spells_are_fine(world, fra):
    spell(world, fra, day(2019, 1, 1), day(2020, 1, 31), status="observer")
    spell(world, fra, day(2020, 2, 1), None, status="full")
    spells = Membership.objects.filter(organization=world.sco, country=fra)
    assert spells.count() == 2
    assert [m.status for m in spells.as_of(day(2020, 1, 31))] == ["observer"]
    assert [m.status for m in spells.as_of(day(2020, 2, 1))] == ["full"]


def test_spells_before_and_after_a_gap_are_fine(world, fra):
    spell(world, fra, day(2000, 1, 1), day(2001, 1, 1))
    spell(world, fra, day(2005, 1, 1), day(2006, 1, 1))
    spell(world, fra, day(2002, 1, 1), day(2004, 12, 31))
    assert Membership.objects.filter(organization=world.sco, country=fra).count() == 3


def test_the_same_country_may_be_in_two_organizations_at_once(world, fra):
    # France is in the UN since 1945; an SCO spell at the same time is a different organization.
    spell(world, fra, day(2000, 1, 1))


def test_an_update_cannot_make_spells_overlap(world, fra):
    spell(world, fra, day(2000, 1, 1), day(2004, 12, 31))
    later = spell(world, fra, day(2005, 1, 1), day(2010, 1, 1))
    with pytest.raises(ValidationError) as caught:
        services.membership_update(
            actor=world.users.editor,
            membership=later,
            expected_version=1,
            valid_from=day(2004, 6, 1),
        )
    assert "overlaps" in messages(caught)
    later.refresh_from_db()
    assert (later.valid_from, later.version) == (day(2005, 1, 1), 1)
    # Moving a spell within its own dates does not clash with itself.
    services.membership_update(
        actor=world.users.editor, membership=later, expected_version=1, valid_to=day(2011, 1, 1)
    )


# ---------------------------------------------------------------- organizations


def test_only_one_home(world):
    with pytest.raises(ValidationError) as caught:
        services.organization_create(
            actor=None, acronym="EU", name="European Union", kind="regional", is_home=True
        )
    assert "OSCE is already the home organization" in messages(caught)
    assert not Organization.objects.filter(acronym="EU").exists()
    with pytest.raises(ValidationError):
        services.organization_update(
            actor=world.users.editor, organization=world.un, expected_version=1, is_home=True
        )
    assert list(Organization.objects.filter(is_home=True)) == [world.osce]
    # The home itself may be saved again as home.
    services.organization_update(
        actor=world.users.editor, organization=world.osce, expected_version=1, name="OSCE"
    )


def test_the_database_allows_one_home_only(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.filter(pk=world.un.pk).update(is_home=True)


def test_acronyms_are_unique_whatever_the_case(world):
    for acronym in ["OSCE", "osce", "Osce", "un"]:
        with pytest.raises(ValidationError) as caught:
            services.organization_create(actor=None, acronym=acronym, name="Copy", kind="other")
        assert "already exists" in messages(caught)
        assert Organization.objects.filter(acronym__iexact=acronym).count() == 1


def test_renaming_to_a_taken_acronym_in_another_case_is_refused(world):
    with pytest.raises(ValidationError):
        services.organization_update(
            actor=world.users.editor, organization=world.sco, expected_version=1, acronym="Un"
        )
    assert Organization.objects.get(pk=world.sco.pk).acronym == "SCO"


def test_the_home_organization_cannot_be_deleted(world):
    with pytest.raises(ValidationError):
        services.organization_delete(actor=world.users.editor, organization=world.osce)
    assert Organization.objects.filter(pk=world.osce.pk).exists()


# ---------------------------------------------------------------- partnerships


def test_an_organization_cannot_partner_itself(world):
    with pytest.raises(ValidationError) as caught:
        services.partnership_create(
            actor=None, organization=world.un, partner=world.un, type="other"
        )
    assert "two different organizations" in messages(caught)
    assert not Partnership.objects.filter(organization=world.un, partner=world.un).exists()


def test_a_pair_has_one_partnership(world):
    with pytest.raises(ValidationError):
        services.partnership_create(
            actor=None, organization=world.osce, partner=world.un, type="other"
        )
    assert Partnership.objects.filter(organization=world.osce, partner=world.un).count() == 1


# ---------------------------------------------------------------- as of a day


def test_valid_to_is_the_last_day_of_a_spell(world, fra):
    created = spell(world, fra, day(2010, 3, 1), day(2015, 6, 30))

    def in_force(on):
        return Membership.objects.as_of(on).filter(pk=created.pk).exists()

    assert not in_force(day(2010, 2, 28))
    assert in_force(day(2010, 3, 1))
    assert in_force(day(2015, 6, 30))
    assert not in_force(day(2015, 7, 1))


def test_open_ends_count_as_always(world):
    algeria = Country.objects.get(iso3="DZA")
    # Algeria's OSCE partnership has neither start nor end.
    partner_spell = Membership.objects.get(organization=world.osce, country=algeria)
    for on in (day(1800, 1, 1), day(2999, 12, 31)):
        assert Membership.objects.as_of(on).filter(pk=partner_spell.pk).exists()


def test_members_as_of_a_day_go_through_the_same_rule(world, fra):
    spell(world, fra, day(2010, 3, 1), day(2015, 6, 30), status="full")
    viewer = world.users.viewer

    def sco_members(on):
        qs = selectors.members_of(user=viewer, organization=world.sco, as_of=on)
        return sorted(m.country.iso3 for m in qs)

    assert sco_members(day(2015, 6, 30)) == ["CHN", "FRA", "KAZ", "RUS"]
    assert sco_members(day(2015, 7, 1)) == ["CHN", "KAZ", "RUS"]
    assert sco_members(day(2001, 6, 14)) == []
    shared = selectors.shared_members(
        user=viewer, a=world.osce, b=world.sco, as_of=day(2015, 6, 30)
    )
    assert sorted(c.iso3 for c in shared) == ["FRA", "KAZ", "RUS"]
