"""The demo meetings (accord/meetings/demo.py): illustrative, relative to today, idempotent,
and showing each role something different."""

import datetime
import io
import textwrap

import pytest
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from accord.core.choices import Role
from accord.importers.demo import load_demo
from accord.meetings import demo, health, services
from accord.meetings.models import Action, AgendaItem, Meeting, Outcome, Series
from accord.registry.models import Organization
from conftest import make_user

YEAR = datetime.timedelta(days=365)


def history_rows() -> int:
    return sum(model.history.count() for model in (Series, Meeting, AgendaItem, Outcome, Action))


class DemoMeetingsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo()
        cls.report = demo.load()
        from django.contrib.auth import get_user_model

        User = get_user_model()
        cls.un = Organization.objects.get(acronym="UN")
        cls.editor = make_user(User, "demo-editor", Role.EDITOR)
        cls.viewer = make_user(User, "demo-viewer", Role.VIEWER)
        cls.partner = make_user(User, "demo-un", Role.PARTNER, cls.un)

    def test_the_file_says_it_is_illustrative(self):
        head = demo.DEMO_FILE.read_text(encoding="utf-8").splitlines()[0]
        assert "ILLUSTRATIVE SAMPLE DATA" in head
        assert demo.parse()["meetings"]

    def test_the_osce_formats_are_series_with_meetings_over_three_years(self):
        titles = set(Series.objects.values_list("title", flat=True))
        assert {
            "OSCE–EU annual staff talks",
            "OSCE–NATO staff talks",
            "OSCE–UN–Council of Europe tripartite high-level meeting",
            "OSCE–Council of Europe Co-ordination Group",
        } <= titles
        meetings = Meeting.objects.all()
        assert meetings.count() >= 20
        assert not meetings.filter(is_sample=False).exists()
        now = timezone.now()
        held = meetings.filter(status="held")
        assert held.count() >= 15
        assert not held.filter(start__gt=now).exists()
        assert not held.filter(start__lt=now - 3 * YEAR).exists()
        assert meetings.filter(status="planned", start__gt=now).exists()
        assert AgendaItem.objects.count() >= 40 and Outcome.objects.count() >= 25
        statuses = set(Action.objects.values_list("status", flat=True))
        assert {"open", "done", "in_progress"} <= statuses
        assert Action.objects.overdue(timezone.localdate()).count() >= 3
        assert Action.objects.filter(carried_to__isnull=False).exists()

    def test_a_second_load_changes_nothing(self):
        before = history_rows()
        report = demo.load()
        assert not report.changed, (report.created, report.updated, report.deleted)
        assert history_rows() == before

    def test_the_series_dates_follow_their_rule(self):
        """The meetings of a series fall on its rule's dates, so "Create the next occurrence"
        takes the date after the planned one."""
        series = Series.objects.get(title="OSCE–EU annual staff talks")
        starts = [m.local_start for m in Meeting.objects.filter(series=series).order_by("start")]
        for start in starts:
            # The second Tuesday of March, at 10:00 in the place's time zone.
            assert (start.month, start.weekday(), (start.day - 1) // 7, start.hour) == (
                3,
                1,
                1,
                10,
            )
        following = services.next_start(series)
        assert following.date() > starts[-1].date()
        assert (following.month, following.weekday()) == (3, 1)

    def test_roles_see_different_meetings(self):
        def titles(user):
            return set(Meeting.objects.visible_to(user).values_list("title", flat=True))

        restricted = "Consultation with NATO on crisis management"
        shared = "Preparatory video conference with the UN on the tripartite meeting"
        internal = "OSCE–EU annual staff talks"
        public = "OSCE–UN–Council of Europe tripartite high-level meeting"
        assert {restricted, shared, internal, public} <= titles(self.editor)
        assert restricted not in titles(self.viewer)
        assert {shared, internal, public} <= titles(self.viewer)
        assert titles(self.partner) >= {shared, public}
        assert not titles(self.partner) & {restricted, internal}

    def test_the_restricted_meeting_changes_the_editors_light_not_the_viewers(self):
        nato = Organization.objects.get(acronym="NATO")
        editor = health.engagement_of(self.editor, nato)
        viewer = health.engagement_of(self.viewer, nato)
        assert editor.days_since < viewer.days_since
        assert editor.score > viewer.score

    def test_the_lights_differ_across_partners(self):
        lights = {
            o.acronym: health.of_record(o).light
            for o in health.annotate(Organization.objects.all(), self.editor)
        }
        assert lights["OSCE"] == "none"
        assert lights["OIC"] == "red" and lights["CICA"] == "red"
        assert "green" in lights.values()

    def test_pages_say_sample(self):
        self.client.force_login(self.viewer)
        meeting = Meeting.objects.filter(title__startswith="OSCE–EU").first()
        for url in (
            "/meetings/",
            meeting.get_absolute_url(),
            "/actions/",
            "/organizations/EU/",
        ):
            html = self.client.get(url).content.decode()
            assert "Illustrative sample data" in html, url

    def test_the_overdue_series_are_on_the_dashboard(self):
        from accord.meetings import selectors

        overdue = {o.series.title for o in selectors.overdue_series(self.viewer)}
        assert "OSCE–CICA contacts" in overdue


@pytest.mark.django_db
def test_a_later_day_moves_the_dates_and_adds_nothing():
    load_demo()
    today = timezone.localdate()
    demo.load(today=today)
    count = Meeting.objects.count()
    later = today + datetime.timedelta(days=400)
    now = timezone.now() + datetime.timedelta(days=400)
    report = demo.load(today=later, now=now)
    assert report.updated and not report.created.get("meetings")
    assert Meeting.objects.count() == count
    held = Meeting.objects.filter(status="held")
    assert not held.filter(start__gt=now).exists()
    assert not held.filter(start__lt=now - 3 * YEAR).exists()
    assert Meeting.objects.filter(status="planned", start__gt=now).exists()
    # And on that day, again nothing changes.
    assert not demo.load(today=later, now=now).changed


@pytest.mark.django_db
def test_accord_demo_loads_the_meetings_after_the_workspace():
    out = io.StringIO()
    call_command("demo", "--no-serve", stdout=out)
    text = out.getvalue()
    assert (
        text.index("Created:") < text.index("Meetings demo, created") < text.index("Demo accounts")
    )
    out = io.StringIO()
    call_command("demo", "--no-serve", stdout=out)
    assert "The demo meetings are already up to date." in out.getvalue()


@pytest.mark.django_db
def test_a_wrong_file_names_every_problem(tmp_path):
    load_demo()
    bad = tmp_path / "demo.yaml"
    bad.write_text(
        textwrap.dedent(
            """
            illustrative: true
            series:
              - key: s
                title: S
                format: tea_party
                cadence: FREQ=SOMETIMES
                anchor: 2015-01-01
                organizations: [OSCE, NOPE]
            meetings:
              - series: s
                occurrence: -1
                participants:
                  - [Nobody Known, attended]
              - title: Alone
                days_ago: 3
                actions:
                  - title: Do it
                    status: finished
            """
        )
    )
    with pytest.raises(demo.DemoMeetingsError) as error:
        demo.load(path=bad)
    text = str(error.value)
    for expected in ("tea_party", "FREQ=SOMETIMES", "NOPE", "Nobody Known", "finished"):
        assert expected in text, expected
    assert not Meeting.objects.exists()
