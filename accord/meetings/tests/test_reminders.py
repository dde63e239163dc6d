"""`accord remind`: one digest a day per owner, only what the owner may see, dry runs."""

import datetime
import smtplib
from io import StringIO

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accord.core.choices import Classification
from accord.meetings import reminders, services
from accord.meetings.models import ReminderLog, ReminderPreference
from accord.registry import services as registry_services


class FailingBackend(BaseEmailBackend):
    """An SMTP server that refuses every message."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def remind(*args) -> str:
    out = StringIO()
    call_command("remind", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def due(world):
    """The viewer owns actions due soon, overdue, later, done and restricted; a person owns one."""
    today = timezone.localdate()
    d = datetime.timedelta
    viewer = world.users.viewer
    viewer.email = "viewer@example.org"
    viewer.save()

    def action(title, when, **extra):
        fields = {
            "actor": None,
            "title": title,
            "due": today + d(days=when),
            "organization": world.un,
            "classification": Classification.PUBLIC,
            "owner_user": viewer,
        }
        fields.update(extra)
        return services.action_create(**fields)

    return {
        "soon": action("DUE-SOON", 3),
        "overdue": action("OVERDUE", -5),
        "later": action("DUE-LATER", 30),
        "done": action("DONE-ALREADY", 1, status="done"),
        "restricted": action("RESTRICTED-OWNED", 2, classification=Classification.RESTRICTED),
        "person": action("PERSON-OWNED", 2, owner_user=None, owner_person=world.shared_person),
    }


@pytest.mark.django_db
def test_one_digest_a_day_even_when_run_twice(world, due):
    out = remind()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["viewer@example.org"]
    body = message.body
    assert "DUE-SOON" in body and "OVERDUE" in body
    for absent in ("DUE-LATER", "DONE-ALREADY", "RESTRICTED-OWNED", "PERSON-OWNED"):
        assert absent not in body
    assert "2 actions due" in message.subject
    html = message.alternatives[0][0]
    assert "DUE-SOON" in html and "RESTRICTED-OWNED" not in html
    assert "1 digest sent." in out
    assert "PERSON-OWNED" in out  # listed in the summary: nobody to write to
    log = ReminderLog.objects.get(user=world.users.viewer)
    assert (log.day, log.actions) == (timezone.localdate(), 2)

    again = remind()
    assert len(mail.outbox) == 1
    assert "0 digests sent, 1 skipped: already sent today." in again


@pytest.mark.django_db
def test_days_widens_the_window(world, due):
    remind("--days", "40")
    assert "DUE-LATER" in mail.outbox[0].body


@pytest.mark.django_db
def test_dry_run_sends_nothing(world, due):
    out = remind("--dry-run")
    assert mail.outbox == []
    assert not ReminderLog.objects.exists()
    assert "1 digest would be sent." in out
    # A real run afterwards still sends today's digest.
    remind()
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_failed_send_is_not_recorded(world, due):
    summary = reminders.send_reminders(connection=FailingBackend())
    assert summary.failed and summary.failed[0][0] == "viewer"
    assert not ReminderLog.objects.exists()
    assert "tried again on the next run" in " ".join(summary.lines())
    reminders.send_reminders()
    assert len(mail.outbox) == 1
    assert ReminderLog.objects.count() == 1


@pytest.mark.django_db
def test_command_fails_when_a_send_fails(world, due, settings):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    with pytest.raises(CommandError, match="could not be sent"):
        remind()


@pytest.mark.django_db
def test_one_log_row_per_user_and_day(world):
    today = timezone.localdate()
    ReminderLog.objects.create(user=world.users.viewer, day=today, sent_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        ReminderLog.objects.create(user=world.users.viewer, day=today, sent_at=timezone.now())


@pytest.mark.django_db
def test_owners_without_email_or_role_are_skipped(world, due, django_user_model):
    world.users.viewer.email = ""
    world.users.viewer.save()
    services.action_create(
        actor=None,
        title="NOROLE-ACTION",
        due=timezone.localdate(),
        owner_user=world.users.norole,
        classification=Classification.PUBLIC,
    )
    world.users.norole.email = "norole@example.org"
    world.users.norole.save()
    out = remind()
    assert mail.outbox == []
    assert "skipped: no email address (viewer)" in out
    assert "skipped: no role in the workspace (norole)" in out


@pytest.mark.django_db
def test_editors_get_the_reviews_due(world):
    today = timezone.localdate()
    registry_services.partnership_update(
        actor=None,
        partnership=world.p_un,
        expected_version=None,
        review_on=today + datetime.timedelta(days=2),
    )
    registry_services.partnership_update(
        actor=None,
        partnership=world.p_sco,
        expected_version=None,
        review_on=today - datetime.timedelta(days=2),
    )
    for user in (world.users.editor, world.users.viewer):
        user.email = f"{user.username}@example.org"
        user.save()
    out = remind()
    assert "1 digest sent." in out  # the viewer owns nothing and reviews nothing
    (message,) = mail.outbox
    assert message.to == ["editor@example.org"]
    assert "OSCE – UN" in message.body
    assert "OSCE – SCO" in message.body  # restricted, but the editor sees it
    assert "2 reviews due" in message.subject


@pytest.mark.django_db
def test_digest_in_the_owners_language(world, due):
    ReminderPreference.objects.create(user=world.users.viewer, language="fr")
    remind()
    (message,) = mail.outbox
    assert message.extra_headers["Content-Language"] == "fr"
    assert "2 actions à échéance" in message.subject
    assert "Bonjour" in message.body


@pytest.mark.django_db
def test_days_must_be_a_sensible_number(world):
    for bad in ("-1", "abc", "100000"):
        with pytest.raises(CommandError, match="--days"):
            remind("--days", bad)


@pytest.mark.django_db
def test_remind_query_count_per_owner_is_fixed(world, django_user_model):
    """A fixed number of queries per owner, however many actions each owns."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accord.core.choices import Role
    from conftest import make_user

    def owner(name, actions):
        user = make_user(django_user_model, name, Role.VIEWER)
        user.email = f"{name}@example.org"
        user.save()
        for j in range(actions):
            services.action_create(
                actor=None,
                title=f"{name}-{j}",
                due=timezone.localdate(),
                owner_user=user,
                classification=Classification.PUBLIC,
            )

    def run() -> int:
        ReminderLog.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            reminders.send_reminders()
        return len(queries.captured_queries)

    owner("first", 1)
    one = run()
    owner("second", 1)
    two = run()
    owner("third", 12)
    three = run()
    assert three - two == two - one  # the third owner, with 12 actions, costs as the second
    assert two - one <= 6
    assert len(mail.outbox) == 6


@pytest.mark.django_db
def test_links_when_the_site_address_is_set(world, due, settings):
    settings.ACCORD_SITE_URL = "https://accord.example.org"
    remind()
    (message,) = mail.outbox
    assert f"https://accord.example.org/actions/{due['soon'].pk}/" in message.body
    assert (
        f'href="https://accord.example.org/actions/{due["soon"].pk}/"'
        in (message.alternatives[0][0])
    )


class SlowBackend(BaseEmailBackend):
    """Django's test outbox, slow enough for a second run to start meanwhile."""

    def send_messages(self, email_messages):
        import time

        time.sleep(0.5)
        mail.outbox.extend(email_messages)
        return len(email_messages)


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_one_digest(world, due):
    """Two `accord remind` at the same moment (two cron hosts): one digest, not two.

    Each run is a thread with its own connection, released together (run_together); on SQLite,
    whose shared in-memory test database refuses a busy table at once, a refused run tries
    again, as a run against the real file database would wait."""
    from accord.registry.tests.test_concurrent_spells import run_together

    outcomes = run_together(lambda i: reminders.send_reminders(connection=SlowBackend()), n=2)
    assert [kind for kind, _ in outcomes] == ["ok", "ok"], outcomes
    summaries = [summary for _, summary in outcomes]
    assert len(mail.outbox) == 1
    assert sorted(len(s.sent) for s in summaries) == [0, 1]
    assert sorted(len(s.already_sent) for s in summaries) == [0, 1]
    assert ReminderLog.objects.count() == 1
