"""The reads others build on: upcoming meetings, overdue actions and series, the calendar."""

import datetime

from accord.meetings import selectors, services

from .conftest import at

NOW = at(2025, 6, 1, 12)
TODAY = datetime.date(2025, 6, 1)


def meeting(series=None, *, start, status="planned", title="M", classification="public", **kw):
    return services.meeting_create(
        actor=None,
        title=title,
        series=series,
        format="bilateral",
        start=start,
        end=start + datetime.timedelta(hours=2),
        time_zone="Europe/Vienna",
        status=status,
        classification=classification,
        **kw,
    )


def test_upcoming_meetings_are_planned_ones_within_the_window(world, mw):
    soon = meeting(start=at(2025, 6, 10, 8), title="Soon")
    meeting(start=at(2025, 6, 5, 8), title="Called off", status="cancelled")
    meeting(start=at(2025, 8, 1, 8), title="Later")
    meeting(start=at(2025, 6, 3, 8), title="RESTRICTED", classification="restricted")
    viewer = world.users.viewer
    assert list(selectors.upcoming_meetings(viewer, days=30, now=NOW)) == [soon]
    titles = [m.title for m in selectors.upcoming_meetings(world.users.editor, 30, now=NOW)]
    assert titles == ["RESTRICTED", "Soon"]
    assert len(selectors.upcoming_meetings(viewer, days=90, limit=1, now=NOW)) == 1


def test_overdue_actions_longest_overdue_first(world, mw):
    services.action_create(
        actor=None, title="Older", due=datetime.date(2020, 1, 1), classification="public"
    )
    services.action_create(
        actor=None,
        title="Done late",
        due=datetime.date(2020, 1, 1),
        status="done",
        classification="public",
    )
    services.action_create(
        actor=None, title="Future", due=datetime.date(2999, 1, 1), classification="public"
    )
    titles = [a.title for a in selectors.overdue_actions(world.users.viewer, limit=None)]
    assert titles == ["Older", "Send the contact list"]
    mine = services.action_create(
        actor=None, title="Mine", owner_user=world.users.viewer, due=datetime.date(2020, 1, 1)
    )
    assert list(selectors.actions_for(world.users.viewer, owner=world.users.viewer)) == [mine]
    assert [a.title for a in selectors.actions_for(world.users.viewer, organization=world.un)] == [
        "Send the contact list"
    ]
    listed = {a.title: a.is_overdue for a in selectors.action_list(world.users.viewer)}
    assert listed["Future"] is False and listed["Older"] is True and listed["Done late"] is False


def test_overdue_series(world, mw):
    yearly = services.series_create(
        actor=None, title="Yearly", format="visit", cadence="FREQ=YEARLY", classification="public"
    )
    meeting(yearly, start=at(2023, 5, 1, 8), status="held")  # 762 days before TODAY
    half = services.series_create(
        actor=None,
        title="Half-yearly",
        format="visit",
        cadence="FREQ=MONTHLY;INTERVAL=6",
        classification="public",
    )
    meeting(half, start=at(2025, 1, 1, 8), status="held")  # 151 days: not yet late
    planned = services.series_create(
        actor=None,
        title="Planned ahead",
        format="visit",
        cadence="FREQ=YEARLY",
        classification="public",
    )
    meeting(planned, start=at(2020, 1, 1, 8), status="held")
    meeting(planned, start=at(2099, 1, 1, 8), status="planned")
    cancelled_only = services.series_create(
        actor=None,
        title="Only cancelled",
        format="visit",
        cadence="FREQ=YEARLY",
        classification="public",
    )
    meeting(cancelled_only, start=at(2020, 1, 1, 8), status="cancelled")
    overdue = selectors.overdue_series(world.users.viewer, today=TODAY)
    by_title = {o.series.title: o for o in overdue}
    # The staff talks' last meeting is January 2024: late by its yearly cadence too.
    assert set(by_title) == {"Yearly", "OSCE–UN staff talks"}
    assert (by_title["Yearly"].cadence_days, by_title["Yearly"].days_since) == (365, 762)
    assert by_title["Yearly"].days_late == 397
    assert overdue[0].series.title == "Yearly"  # the most overdue first
    # A later restricted meeting counts for the editor only.
    meeting(yearly, start=at(2025, 5, 1, 8), status="held", classification="restricted")
    assert "Yearly" not in {
        o.series.title for o in selectors.overdue_series(world.users.editor, TODAY)
    }
    assert "Yearly" in {o.series.title for o in selectors.overdue_series(world.users.viewer, TODAY)}


def test_the_calendar_range_and_its_filters(world, mw):
    window = (at(2024, 1, 1), at(2024, 2, 1))
    editor = world.users.editor
    assert [m.title for m in selectors.meetings_in_range(editor, *window)] == ["Staff talks 2024"]
    # A meeting that overlaps the window's start counts.
    meeting(start=at(2023, 12, 31, 23), title="Across new year")
    titles = [m.title for m in selectors.meetings_in_range(editor, *window)]
    assert titles == ["Across new year", "Staff talks 2024"]
    whole_year = (at(2024, 1, 1), at(2025, 1, 1))
    for filters, expected in [
        ({"organization": world.sco}, ["RESTRICTED-MEETING"]),
        ({"format": "staff_talks"}, ["Staff talks 2024"]),
        ({"status": "held"}, ["Staff talks 2024"]),
        ({"theme": mw.rights.parent}, ["Staff talks 2024"]),
        ({"series": mw.series}, ["Staff talks 2024"]),
    ]:
        got = [m.title for m in selectors.meetings_in_range(editor, *whole_year, filters)]
        assert got == expected, filters


def test_the_last_meetings_of_a_partner(world, mw):
    for year in (2021, 2022, 2023):
        meeting(
            start=at(year, 3, 1, 8), status="held", title=f"UN {year}", organizations=[world.un]
        )
    meeting(
        start=at(2024, 9, 1, 8), status="cancelled", title="UN cancelled", organizations=[world.un]
    )
    last = selectors.last_meetings_of(world.users.viewer, world.un)
    assert [m.title for m in last] == ["Staff talks 2024", "UN 2023", "UN 2022"]
    outcomes = [o.text for item in last[0].agenda_items.all() for o in item.outcomes.all()]
    assert outcomes == ["Exchange early-warning contacts"]
    assert [m.title for m in selectors.last_meetings_of(world.users.viewer, world.sco)] == []


def test_the_partner_bar_names_the_partners_most_overdue_and_counts_the_rest(world, mw, client):
    late = datetime.date(2020, 1, 1)
    for organization, overdue in ((world.osce, 0), (world.sco, 2)):
        for _ in range(overdue or 1):
            services.action_create(
                actor=None,
                title=f"For {organization.acronym}",
                organization=organization,
                due=late if overdue else datetime.date(2999, 1, 1),
                classification="public",
            )
    viewer = world.users.viewer
    everyone, more = selectors.open_actions_by_partner(viewer, today=TODAY)
    assert more is False
    assert [row["organization"].acronym for row in everyone] == ["OSCE", "SCO", "UN"]
    top, more = selectors.open_actions_by_partner(viewer, today=TODAY, limit=2)
    # SCO has two overdue, the UN one: OSCE's action is not overdue and is left to the filter.
    assert [(r["organization"].acronym, r["overdue"]) for r in top] == [("SCO", 2), ("UN", 1)]
    assert more is True
    client.force_login(viewer)
    page = client.get("/actions/").content.decode()
    assert 'href="/actions/?organization=SCO"' in page
