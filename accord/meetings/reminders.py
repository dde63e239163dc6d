"""Reminder digests: one email a day to each owner of actions due soon or overdue.

`accord remind [--days N] [--dry-run]` (the management command is a thin wrapper) sends each
user who owns an open action due within N days, or overdue, one digest of those actions,
only those the user may see. Editors and administrators also get the partnerships and
framework documents due for review or expiring within those days (registry.reviews_due).

At most one digest per user and day, even when the command runs twice or on two machines at
once: the ReminderLog row for (user, day) is written in the same transaction as the sending,
under a unique constraint, so a second run finds it (or waits for it) and skips; a send that
fails rolls the row back, and the next run tries again.

Actions owned by a person (not a user) have no one to write to: the summary lists them.
Emails go through Django's email backend (console unless ACCORD_EMAIL_HOST sets SMTP), in
the owner's chosen language, else the workspace's default.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accord.core import policy
from accord.core.choices import Role
from accord.registry import selectors as registry

from . import selectors
from .choices import OPEN_ACTION_STATUSES
from .feed_tokens import default_language, language_codes
from .models import Action, ReminderLog

logger = logging.getLogger(__name__)

DEFAULT_DAYS = 7
MAX_DAYS = 366
# Actions and reviews listed in one digest (all are counted).
MAX_ITEMS = 100
# Person-owned actions named one by one in the summary.
MAX_LISTED = 20


@dataclass
class Digest:
    """What one user is reminded of today."""

    user: object
    language: str
    actions: list[Action]
    action_count: int
    overdue_count: int
    reviews: list  # registry.selectors.Review

    @property
    def empty(self) -> bool:
        return not self.actions and not self.reviews


@dataclass
class Summary:
    """What a run did, for the command's output."""

    dry_run: bool = False
    sent: list[str] = field(default_factory=list)
    already_sent: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    no_email: list[str] = field(default_factory=list)
    no_role: list[str] = field(default_factory=list)
    person_owned: list[Action] = field(default_factory=list)
    person_owned_count: int = 0

    def lines(self) -> list[str]:
        """The summary in plain words: "3 digests sent, 1 skipped: already sent today"."""
        verb = _("would be sent") if self.dry_run else _("sent")
        head = ngettext(
            "%(count)d digest %(verb)s", "%(count)d digests %(verb)s", len(self.sent)
        ) % {"count": len(self.sent), "verb": verb}
        skipped = []
        if self.already_sent:
            skipped.append(
                _("%(count)d skipped: already sent today") % {"count": len(self.already_sent)}
            )
        if self.no_email:
            skipped.append(
                _("%(count)d skipped: no email address (%(names)s)")
                % {"count": len(self.no_email), "names": ", ".join(self.no_email)}
            )
        if self.no_role:
            skipped.append(
                _("%(count)d skipped: no role in the workspace (%(names)s)")
                % {"count": len(self.no_role), "names": ", ".join(self.no_role)}
            )
        if self.failed:
            skipped.append(
                _("%(count)d failed (%(names)s); they are tried again on the next run")
                % {
                    "count": len(self.failed),
                    "names": "; ".join(f"{name}: {error}" for name, error in self.failed),
                }
            )
        lines = [", ".join([head, *skipped]) + "."]
        if self.person_owned_count:
            lines.append(
                ngettext(
                    "%(count)d action due is owned by a person, not a user, and was not emailed:",
                    "%(count)d actions due are owned by a person, not a user, and were not "
                    "emailed:",
                    self.person_owned_count,
                )
                % {"count": self.person_owned_count}
            )
            for action in self.person_owned:
                due = action.due.isoformat() if action.due else "-"
                owner = action.owner_person.name if action.owner_person else "-"
                lines.append(f"  #{action.pk} {due} {action.title} ({owner})")
            if self.person_owned_count > len(self.person_owned):
                lines.append(
                    "  "
                    + _("… and %(count)d more.")
                    % {"count": self.person_owned_count - len(self.person_owned)}
                )
        return lines


def _due_filter(prefix: str, horizon: datetime.date) -> Q:
    return Q(**{f"{prefix}status__in": OPEN_ACTION_STATUSES, f"{prefix}due__lte": horizon})


def candidates(horizon: datetime.date):
    """Active users who own an action due by `horizon` (or overdue), and every active editor
    and administrator (reviews); each annotated `due_actions` (before the policy)."""
    users = get_user_model().objects.filter(is_active=True)
    editors = Q(is_superuser=True) | Q(accord_profile__role__in=[Role.ADMINISTRATOR, Role.EDITOR])
    return (
        users.annotate(
            due_actions=Count("meeting_actions", filter=_due_filter("meeting_actions__", horizon))
        )
        .filter(Q(due_actions__gt=0) | editors)
        .select_related("accord_profile", "reminder_preference")
        .order_by("pk")
    )


def digest_for(user, *, today: datetime.date, days: int, language: str) -> Digest:
    """The actions `user` owns and may see, due by today + days (overdue ones included), and
    for an editor or administrator the reviews due; each list soonest first."""
    horizon = today + datetime.timedelta(days=days)
    actions = (
        selectors.actions_for(user, owner=user, today=today)
        .filter(status__in=OPEN_ACTION_STATUSES, due__lte=horizon)
        .select_related("meeting", "organization")
        # The email names no owner and no later meeting: none of the list's prefetches.
        .prefetch_related(None)
    )
    counts = actions.order_by().aggregate(
        n=Count("pk"), overdue=Count("pk", filter=Q(due__lt=today))
    )
    reviews = []
    if policy.can_edit(user):
        reviews = registry.reviews_due(user=user, within_days=days, today=today, limit=MAX_ITEMS)
    return Digest(
        user=user,
        language=language,
        actions=list(actions[:MAX_ITEMS]),
        action_count=counts["n"],
        overdue_count=counts["overdue"],
        reviews=reviews,
    )


def site_url(path: str) -> str:
    """An absolute address on the site, when ACCORD_SITE_URL says where it is; else ""."""
    base = getattr(settings, "ACCORD_SITE_URL", "")
    return f"{base.rstrip('/')}{path}" if base else ""


def message_for(digest: Digest, *, today: datetime.date, days: int, connection=None):
    """The digest as an email (text and HTML), written in the owner's language."""
    with translation.override(digest.language):
        context = {
            "user": digest.user,
            "digest": digest,
            "today": today,
            "days": days,
            "site_url": site_url("/"),
            "actions": [
                {
                    "action": action,
                    "url": site_url(reverse("meetings:action_detail", args=[action.pk])),
                }
                for action in digest.actions
            ],
            "reviews": [
                {"review": review, "url": site_url(review.record.get_absolute_url())}
                for review in digest.reviews
            ],
        }
        parts = []
        if digest.action_count:
            parts.append(
                ngettext("%(count)d action due", "%(count)d actions due", digest.action_count)
                % {"count": digest.action_count}
            )
        if digest.reviews:
            parts.append(
                ngettext("%(count)d review due", "%(count)d reviews due", len(digest.reviews))
                % {"count": len(digest.reviews)}
            )
        subject = _("Accord reminders: %(items)s") % {"items": ", ".join(parts)}
        text = render_to_string("meetings/email/reminder.txt", context)
        html = render_to_string("meetings/email/reminder.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[digest.user.email],
        connection=connection,
        headers={"Auto-Submitted": "auto-generated", "Content-Language": digest.language},
    )
    message.attach_alternative(html, "text/html")
    return message


def _preferred(user) -> str | None:
    preference = getattr(user, "reminder_preference", None)
    if preference is None or preference.language not in language_codes():
        return None
    return preference.language


def send_reminders(
    *,
    days: int = DEFAULT_DAYS,
    dry_run: bool = False,
    today: datetime.date | None = None,
    connection=None,
) -> Summary:
    """Send today's digests (or, with dry_run, only say what would be sent)."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=days)
    summary = Summary(dry_run=dry_run)
    done_today = set(ReminderLog.objects.filter(day=today).values_list("user_id", flat=True))
    person_owned = Action.objects.filter(
        _due_filter("", horizon), owner_user__isnull=True, owner_person__isnull=False
    )
    summary.person_owned_count = person_owned.count()
    if summary.person_owned_count:
        summary.person_owned = list(
            person_owned.select_related("owner_person").order_by("due", "pk")[:MAX_LISTED]
        )
    if not dry_run and connection is None:
        connection = get_connection()
    for user in candidates(horizon):
        name = user.get_username()
        if policy.role_of(user) is None:
            if user.due_actions:
                summary.no_role.append(name)
            continue
        if not user.email:
            if user.due_actions:
                summary.no_email.append(name)
            continue
        if user.pk in done_today:
            summary.already_sent.append(name)
            continue
        language = _preferred(user) or default_language()
        digest = digest_for(user, today=today, days=days, language=language)
        if digest.empty:
            continue
        if dry_run:
            summary.sent.append(name)
            continue
        try:
            with transaction.atomic():
                # Another run that got here first holds (or has committed) this row: the
                # insert waits for it, then fails on the unique constraint.
                ReminderLog.objects.create(
                    user=user,
                    day=today,
                    sent_at=timezone.now(),
                    actions=digest.action_count,
                    reviews=len(digest.reviews),
                )
                message_for(digest, today=today, days=days, connection=connection).send()
        except IntegrityError:
            summary.already_sent.append(name)
            continue
        except (smtplib.SMTPException, OSError) as exc:
            # The log row went with the transaction: the next run tries this user again.
            logger.warning("Reminder to %s not sent: %s", name, exc)
            summary.failed.append((name, str(exc) or exc.__class__.__name__))
            continue
        summary.sent.append(name)
    return summary
