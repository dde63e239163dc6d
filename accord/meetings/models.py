import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accord.core.historical import History
from accord.core.models import ClassifiedModel, VersionedModel
from accord.journal.attach import journal_relation
from accord.taxonomy.choices import Phase

from . import recurrence
from .choices import (
    ActionStatus,
    Attendance,
    MeetingFormat,
    MeetingLevel,
    MeetingStatus,
    OutcomeKind,
)
from .querysets import (
    ActionQuerySet,
    AgendaItemQuerySet,
    MeetingPartQuerySet,
    MeetingQuerySet,
    OutcomeQuerySet,
    ParticipantQuerySet,
    SeriesPartQuerySet,
    SeriesQuerySet,
)

# Online links open in a browser: http and https only (no javascript:, file: or ftp:).
web_link = URLValidator(schemes=["http", "https"])
# Two weeks: the longest a conference (or a series' default meeting) lasts.
MAX_DURATION_MINUTES = 14 * 24 * 60


def online_link_field():
    return models.URLField(
        _("online link"),
        max_length=500,
        blank=True,
        validators=[web_link],
        help_text=_("The address of the video call (http or https)."),
    )


def time_zone_field():
    return models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        validators=[recurrence.validate_time_zone],
        help_text=_("The place's time zone, as the IANA database names it (Europe/Vienna)."),
    )


class Series(ClassifiedModel):
    """A recurring meeting format ("OSCE–EU annual staff talks") with its cadence."""

    title = models.CharField(_("title"), max_length=300)
    format = models.CharField(_("format"), max_length=20, choices=MeetingFormat.choices)
    level = models.CharField(
        _("level"),
        max_length=20,
        choices=MeetingLevel.choices,
        default=MeetingLevel.HEADQUARTERS,
    )
    cadence = models.CharField(
        _("cadence"),
        max_length=300,
        validators=[recurrence.validate_cadence],
        help_text=_(
            "An RFC 5545 recurrence rule without DTSTART: FREQ=YEARLY for every year, "
            "FREQ=MONTHLY;INTERVAL=6 for every six months, FREQ=YEARLY;BYMONTH=6;BYDAY=-1TH "
            "for the last Thursday of June. The first meeting gives the start."
        ),
    )
    place = models.CharField(_("default place"), max_length=200, blank=True)
    online_link = online_link_field()
    time_zone = time_zone_field()
    default_start_time = models.TimeField(
        _("default start time"),
        null=True,
        blank=True,
        help_text=_("Local time of day in the series' time zone."),
    )
    default_duration_minutes = models.PositiveIntegerField(
        _("default duration (minutes)"),
        default=120,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DURATION_MINUTES)],
    )
    host_organization = models.ForeignKey(
        "registry.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_series",
        verbose_name=_("host"),
    )
    organizations = models.ManyToManyField(
        "registry.Organization",
        blank=True,
        related_name="meeting_series",
        verbose_name=_("participating organizations"),
    )
    themes = models.ManyToManyField(
        "taxonomy.Theme", blank=True, related_name="series", verbose_name=_("themes")
    )

    objects = SeriesQuerySet.as_manager()
    history = History(m2m_fields=["organizations", "themes", "shared_with"])

    class Meta:
        ordering = ["title"]
        verbose_name = _("series")
        verbose_name_plural = _("series")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:series_detail", args=[self.pk])

    def save(self, *args, **kwargs):
        self.cadence = recurrence.normalize(self.cadence)
        super().save(*args, **kwargs)

    def clean(self):
        self.cadence = recurrence.normalize(self.cadence)

    def cadence_days(self) -> int | None:
        """About how many days apart its meetings are (two consecutive dates of the rule)."""
        return recurrence.cadence_days(self.cadence)


class SeriesAgendaItem(VersionedModel):
    """An item of a series' template agenda, copied into each new meeting of the series."""

    series = models.ForeignKey(
        Series, on_delete=models.CASCADE, related_name="template_items", verbose_name=_("series")
    )
    position = models.PositiveIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=300)
    notes = models.TextField(_("notes"), blank=True)
    carry_over = models.BooleanField(
        _("carry over"),
        default=False,
        help_text=_("Put it on the agenda of the next meeting of the series too."),
    )

    objects = SeriesPartQuerySet.as_manager()
    history = History()

    class Meta:
        ordering = ["series", "position"]
        verbose_name = _("template agenda item")
        verbose_name_plural = _("template agenda items")
        constraints = [
            models.UniqueConstraint(
                fields=["series", "position"],
                name="series_agenda_item_unique_position",
                violation_error_message=_("Another item already has this position."),
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:series_detail", args=[self.series_id])


class Meeting(ClassifiedModel):
    """A meeting with partners: when and where, who took part, its agenda and minutes."""

    title = models.CharField(_("title"), max_length=300)
    series = models.ForeignKey(
        Series,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
        verbose_name=_("series"),
    )
    format = models.CharField(_("format"), max_length=20, choices=MeetingFormat.choices)
    level = models.CharField(
        _("level"),
        max_length=20,
        choices=MeetingLevel.choices,
        default=MeetingLevel.HEADQUARTERS,
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    time_zone = time_zone_field()
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = online_link_field()
    host_organization = models.ForeignKey(
        "registry.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_meetings",
        verbose_name=_("host"),
    )
    organizations = models.ManyToManyField(
        "registry.Organization",
        blank=True,
        related_name="meetings",
        verbose_name=_("participating organizations"),
    )
    themes = models.ManyToManyField(
        "taxonomy.Theme", blank=True, related_name="meetings", verbose_name=_("themes")
    )
    phases = models.JSONField(
        _("conflict-cycle phases"),
        default=list,
        blank=True,
        help_text=_("Early warning, conflict prevention, crisis management, rehabilitation."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    minutes = models.TextField(_("minutes"), blank=True, help_text=_("Markdown."))
    is_sample = models.BooleanField(
        _("illustrative sample"),
        default=False,
        help_text=_("Made-up data of the demo workspace, not a real meeting."),
    )

    objects = MeetingQuerySet.as_manager()
    history = History(m2m_fields=["organizations", "themes", "shared_with"])
    # Its journal (accord.journal) goes with it when it is deleted, and comes back with it.
    journal_entries = journal_relation()

    class Meta:
        ordering = ["-start", "-pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [
            models.Index(fields=["start", "end"], name="meeting_start_end"),
            models.Index(fields=["series", "start"], name="meeting_series_start"),
            models.Index(fields=["status", "start"], name="meeting_status_start"),
            models.Index(fields=["host_organization", "start"], name="meeting_host_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")),
                name="meeting_ends_after_start",
                violation_error_message=_("A meeting ends after it starts."),
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:meeting_detail", args=[self.pk])

    @property
    def tz(self):
        return recurrence.zone(self.time_zone)

    @property
    def local_start(self) -> datetime.datetime:
        """The start in the meeting's own time zone (stored in UTC)."""
        return self.start.astimezone(self.tz)

    @property
    def local_end(self) -> datetime.datetime:
        return self.end.astimezone(self.tz)

    def clean(self):
        errors = {}
        if (
            isinstance(self.start, datetime.datetime)
            and isinstance(self.end, datetime.datetime)
            and self.end <= self.start
        ):
            errors["end"] = _("A meeting ends after it starts.")
        phases = self.phases
        if not isinstance(phases, list) or any(p not in Phase.values for p in phases):
            errors["phases"] = _("Phases are a list of: %(phases)s.") % {
                "phases": ", ".join(Phase.values)
            }
        elif len(set(phases)) != len(phases):
            errors["phases"] = _("A phase is named twice.")
        if errors:
            raise ValidationError(errors)


class Participant(VersionedModel):
    """A person invited to a meeting, and whether they came."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="participants", verbose_name=_("meeting")
    )
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("person"),
    )
    attendance = models.CharField(
        _("attendance"), max_length=12, choices=Attendance.choices, default=Attendance.INVITED
    )

    objects = ParticipantQuerySet.as_manager()
    history = History()

    class Meta:
        ordering = ["meeting", "person__name", "pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                name="participant_once_per_meeting",
                violation_error_message=_("This person is already a participant."),
            )
        ]

    def __str__(self):
        return f"{self.person} ({self.get_attendance_display()})"

    def get_absolute_url(self):
        return reverse("meetings:meeting_detail", args=[self.meeting_id]) + "#participants"


class AgendaItem(VersionedModel):
    """An item of a meeting's agenda, in its order."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("meeting")
    )
    position = models.PositiveIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=300)
    notes = models.TextField(_("notes"), blank=True)
    carry_over = models.BooleanField(
        _("carry over"),
        default=False,
        help_text=_("Put it on the agenda of the next meeting of the series too."),
    )
    carried_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("carried over from"),
    )

    objects = AgendaItemQuerySet.as_manager()
    history = History()

    class Meta:
        ordering = ["meeting", "position"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"],
                name="agenda_item_unique_position",
                violation_error_message=_("Another item already has this position."),
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:meeting_detail", args=[self.meeting_id]) + f"#item-{self.pk}"


class Outcome(VersionedModel):
    """What came of an agenda item: information, a decision, an agreement or an action."""

    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("agenda item")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=OutcomeKind.choices)
    text = models.TextField(_("text"))

    objects = OutcomeQuerySet.as_manager()
    history = History()

    class Meta:
        ordering = ["agenda_item", "pk"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"

    def get_absolute_url(self):
        meeting_id = self.agenda_item.meeting_id
        return reverse("meetings:meeting_detail", args=[meeting_id]) + f"#outcome-{self.pk}"


class Action(ClassifiedModel):
    """A follow-up to chase until it is done: what, who, by when."""

    title = models.CharField(_("what"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meeting_actions",
        verbose_name=_("owner (user)"),
    )
    owner_person = models.ForeignKey(
        "registry.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
        verbose_name=_("owner (person)"),
    )
    organization = models.ForeignKey(
        "registry.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actions",
        verbose_name=_("partner organization"),
    )
    meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="actions",
        verbose_name=_("raised at"),
    )
    outcome = models.ForeignKey(
        Outcome,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
        verbose_name=_("outcome"),
    )
    due = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    carried_to = models.ManyToManyField(
        Meeting,
        blank=True,
        related_name="carried_actions",
        verbose_name=_("carried over to"),
        help_text=_("Later meetings whose agenda follows it up."),
    )

    objects = ActionQuerySet.as_manager()
    history = History(m2m_fields=["carried_to", "shared_with"])

    class Meta:
        ordering = ["due", "pk"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        indexes = [
            models.Index(fields=["status", "due"], name="action_status_due"),
            models.Index(fields=["owner_user", "status", "due"], name="action_owner_status_due"),
            models.Index(fields=["organization", "status", "due"], name="action_org_status_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(owner_user__isnull=True) | models.Q(owner_person__isnull=True),
                name="action_one_owner",
                violation_error_message=_("An action has one owner: a user or a person."),
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(status=ActionStatus.DONE, completed_on__isnull=False)
                    | (~models.Q(status=ActionStatus.DONE) & models.Q(completed_on__isnull=True))
                ),
                name="action_completed_when_done",
                violation_error_message=_("A done action has a completion date; others have none."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:action_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.owner_user_id is not None and self.owner_person_id is not None:
            errors["owner_person"] = _("An action has one owner: a user or a person.")
        if self.status == ActionStatus.DONE and self.completed_on is None:
            errors["completed_on"] = _("A done action has a completion date.")
        if self.status != ActionStatus.DONE and self.completed_on is not None:
            errors["completed_on"] = _("Only a done action has a completion date.")
        if self.outcome_id is not None and self.meeting_id is not None:
            if self.outcome.agenda_item.meeting_id != self.meeting_id:
                errors["outcome"] = _("The outcome is not one of the meeting's.")
        if errors:
            raise ValidationError(errors)


def attachment_path(instance, filename: str) -> str:
    return f"meetings/{instance.meeting_id}/{filename}"


class Attachment(VersionedModel):
    """A file attached to a meeting (checked by its content, within the size limit)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("meeting")
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    # What the search finds it by (accord/core/textextract.py), read once when it is uploaded.
    # Editable only so that undoing a deletion brings it back (core.services.restore_deletion
    # restores editable fields); no form offers it.
    text = models.TextField(_("text"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    objects = MeetingPartQuerySet.as_manager()
    history = History()

    class Meta:
        ordering = ["meeting", "original_name", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("meetings:meeting_detail", args=[self.meeting_id]) + "#attachments"


# ---------------------------------------------------------------- calendar feeds, reminders


class CalendarFeed(models.Model):
    """A user's secret calendar feed address; only a hash of its token is stored.

    The token is the credential of /calendar/feed/<token>.ics: whoever has the address reads
    the user's calendar, as the user may see it when it is read. One feed per user; renewing
    it replaces the token, revoking it deletes the row.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("user"),
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("starts with"), max_length=8, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return f"{self.prefix}… ({self.user})"


class ReminderPreference(models.Model):
    """A user's choices for reminder emails and the calendar feed: the language to write in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminder_preference",
        verbose_name=_("user"),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        help_text=_("The language of reminder emails and of the calendar feed."),
    )

    class Meta:
        verbose_name = _("reminder preference")
        verbose_name_plural = _("reminder preferences")

    def __str__(self):
        return f"{self.user}: {self.language or '-'}"

    def clean(self):
        codes = {code for code, _name in settings.LANGUAGES}
        if self.language and self.language not in codes:
            raise ValidationError({"language": _("Choose one of the interface languages.")})


class ReminderLog(models.Model):
    """A reminder digest sent to a user on a day: `accord remind` sends at most one a day."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminder_logs",
        verbose_name=_("user"),
    )
    day = models.DateField(_("day"))
    sent_at = models.DateTimeField(_("sent at"))
    actions = models.PositiveIntegerField(_("actions"), default=0)
    reviews = models.PositiveIntegerField(_("reviews"), default=0)

    class Meta:
        ordering = ["-day", "user"]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "day"],
                name="reminder_once_a_day",
                violation_error_message=_("This user already had a reminder on this day."),
            )
        ]

    def __str__(self):
        return f"{self.user} {self.day}"
