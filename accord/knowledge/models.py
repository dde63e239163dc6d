from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accord.core.historical import History
from accord.core.markdown import render_markdown
from accord.core.models import ClassifiedModel, VersionedModel
from accord.taxonomy.choices import Phase

from .choices import PracticeKind, RequestKind, RequestStatus
from .querysets import (
    CommitmentQuerySet,
    PracticeQuerySet,
    PracticeShareQuerySet,
    RequestQuerySet,
)


def phases_field():
    return models.JSONField(
        _("conflict-cycle phases"),
        default=list,
        blank=True,
        help_text=_("Early warning, conflict prevention, crisis management, rehabilitation."),
    )


def phase_errors(phases) -> str | None:
    """What is wrong with a list of phases (as meetings store them), or None."""
    if not isinstance(phases, list) or any(p not in Phase.values for p in phases):
        return _("Phases are a list of: %(phases)s.") % {"phases": ", ".join(Phase.values)}
    if len(set(phases)) != len(phases):
        return _("A phase is named twice.")
    return None


def sample_field():
    return models.BooleanField(
        _("illustrative sample"),
        default=False,
        help_text=_("Made-up data of the demo workspace, not a real record."),
    )


class Practice(ClassifiedModel):
    """An experience, best practice or lesson learned, to share with partners."""

    kind = models.CharField(_("kind"), max_length=16, choices=PracticeKind.choices)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body"), blank=True, help_text=_("Markdown."))
    themes = models.ManyToManyField(
        "taxonomy.Theme", blank=True, related_name="practices", verbose_name=_("themes")
    )
    phases = phases_field()
    source_organization = models.ForeignKey(
        "registry.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="practices_from",
        verbose_name=_("source organization"),
    )
    recipient_organizations = models.ManyToManyField(
        "registry.Organization",
        blank=True,
        related_name="practices_received",
        verbose_name=_("recipient organizations"),
    )
    region = models.CharField(
        _("region"), max_length=100, blank=True, help_text=_("Where it was gained.")
    )
    date = models.DateField(_("date"), null=True, blank=True)
    is_sample = sample_field()

    objects = PracticeQuerySet.as_manager()
    history = History(m2m_fields=["themes", "recipient_organizations", "shared_with"])

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("practice")
        verbose_name_plural = _("practices")
        indexes = [
            models.Index(fields=["kind", "date"], name="practice_kind_date"),
            models.Index(fields=["source_organization", "date"], name="practice_source_date"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("knowledge:practice_detail", args=[self.pk])

    def body_html(self):
        return render_markdown(self.body)

    def clean(self):
        if message := phase_errors(self.phases):
            raise ValidationError({"phases": message})


class PracticeShare(VersionedModel):
    """One occasion a practice was shared with an organization: the log of who got what."""

    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="shares", verbose_name=_("practice")
    )
    organization = models.ForeignKey(
        "registry.Organization",
        on_delete=models.PROTECT,
        related_name="practice_shares",
        verbose_name=_("organization"),
    )
    shared_on = models.DateField(_("shared on"))
    note = models.TextField(_("note"), blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("shared by"),
    )

    objects = PracticeShareQuerySet.as_manager()
    history = History()

    class Meta:
        ordering = ["-shared_on", "-pk"]
        verbose_name = _("practice shared")
        verbose_name_plural = _("practices shared")
        indexes = [
            models.Index(fields=["organization", "shared_on"], name="practice_share_org_day"),
        ]

    def __str__(self):
        return f"{self.practice} → {self.organization} ({self.shared_on})"

    def get_absolute_url(self):
        return reverse("knowledge:practice_detail", args=[self.practice_id]) + "#shares"


class Request(ClassifiedModel):
    """A partner organization's request to learn: what it asked, and what it was given."""

    kind = models.CharField(_("kind"), max_length=16, choices=RequestKind.choices)
    organization = models.ForeignKey(
        "registry.Organization",
        on_delete=models.PROTECT,
        related_name="knowledge_requests",
        verbose_name=_("requesting organization"),
    )
    person = models.ForeignKey(
        "registry.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="knowledge_requests",
        verbose_name=_("requested by"),
    )
    subject = models.CharField(_("subject"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    themes = models.ManyToManyField(
        "taxonomy.Theme", blank=True, related_name="knowledge_requests", verbose_name=_("themes")
    )
    phases = phases_field()
    received = models.DateField(_("received"))
    due = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    answer = models.TextField(_("answer"), blank=True, help_text=_("Markdown."))
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    shared_practices = models.ManyToManyField(
        Practice, blank=True, related_name="requests", verbose_name=_("practices shared")
    )
    shared_documents = models.ManyToManyField(
        "registry.FrameworkDocument",
        blank=True,
        related_name="knowledge_requests",
        verbose_name=_("documents shared"),
    )
    meetings = models.ManyToManyField(
        "meetings.Meeting",
        blank=True,
        related_name="knowledge_requests",
        verbose_name=_("linked meetings"),
    )
    actions = models.ManyToManyField(
        "meetings.Action",
        blank=True,
        related_name="knowledge_requests",
        verbose_name=_("linked actions"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    is_sample = sample_field()

    objects = RequestQuerySet.as_manager()
    history = History(
        m2m_fields=[
            "themes",
            "shared_practices",
            "shared_documents",
            "meetings",
            "actions",
            "shared_with",
        ]
    )

    class Meta:
        ordering = ["-received", "-pk"]
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        indexes = [
            models.Index(fields=["organization", "received"], name="request_org_received"),
            models.Index(fields=["status", "due"], name="request_status_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(status=RequestStatus.ANSWERED, answered_on__isnull=False)
                    | (
                        ~models.Q(status=RequestStatus.ANSWERED)
                        & models.Q(answered_on__isnull=True)
                    )
                ),
                name="request_answered_on_when_answered",
                violation_error_message=_("An answered request has an answer date; others none."),
            ),
        ]

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return reverse("knowledge:request_detail", args=[self.pk])

    def answer_html(self):
        return render_markdown(self.answer)

    def clean(self):
        errors = {}
        if message := phase_errors(self.phases):
            errors["phases"] = message
        if self.received and self.due and self.due < self.received:
            errors["due"] = _("A request is due on or after the day it was received.")
        if self.status == RequestStatus.ANSWERED and self.answered_on is None:
            errors["answered_on"] = _("An answered request has an answer date.")
        if self.status != RequestStatus.ANSWERED and self.answered_on is not None:
            errors["answered_on"] = _("Only an answered request has an answer date.")
        if self.received and self.answered_on and self.answered_on < self.received:
            errors["answered_on"] = _("A request is answered on or after the day it was received.")
        if self.person_id is not None and self.organization_id is not None:
            if self.person.organization_id != self.organization_id:
                errors["person"] = _("The person is not of the requesting organization.")
        if errors:
            raise ValidationError(errors)


class Commitment(VersionedModel):
    """A commitment of a framework document, and the activities that implement it."""

    document = models.ForeignKey(
        "registry.FrameworkDocument",
        on_delete=models.CASCADE,
        related_name="commitments",
        verbose_name=_("document"),
    )
    reference = models.CharField(
        _("reference"),
        max_length=100,
        blank=True,
        help_text=_("Where it stands in the document: “Chapter VIII, para 3”."),
    )
    text = models.TextField(_("text"))
    source = models.URLField(_("source"), max_length=500, blank=True)
    themes = models.ManyToManyField(
        "taxonomy.Theme", blank=True, related_name="commitments", verbose_name=_("themes")
    )
    phases = phases_field()
    organizations = models.ManyToManyField(
        "registry.Organization",
        blank=True,
        related_name="named_in_commitments",
        verbose_name=_("organizations named"),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    # What implements it; declared here so that meetings need not know of knowledge.
    meetings = models.ManyToManyField(
        "meetings.Meeting", blank=True, related_name="commitments", verbose_name=_("meetings")
    )
    actions = models.ManyToManyField(
        "meetings.Action", blank=True, related_name="commitments", verbose_name=_("actions")
    )
    practices = models.ManyToManyField(
        Practice, blank=True, related_name="commitments", verbose_name=_("practices")
    )
    requests = models.ManyToManyField(
        Request, blank=True, related_name="commitments", verbose_name=_("requests")
    )

    objects = CommitmentQuerySet.as_manager()
    history = History(
        m2m_fields=["themes", "organizations", "meetings", "actions", "practices", "requests"]
    )

    class Meta:
        ordering = ["document", "order", "pk"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "reference"],
                condition=~models.Q(reference=""),
                name="commitment_unique_reference",
                violation_error_message=_("The document already has a commitment at this place."),
            )
        ]

    def __str__(self):
        return f"{self.reference}: {self.text[:60]}" if self.reference else self.text[:80]

    def get_absolute_url(self):
        return reverse("knowledge:commitment_detail", args=[self.pk])

    def clean(self):
        if message := phase_errors(self.phases):
            raise ValidationError({"phases": message})

    def validate_constraints(self, exclude=None):
        """The one rule across rows is about the reference: name it, not "non_field_errors"."""
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict({})
            if NON_FIELD_ERRORS in errors:
                errors.setdefault("reference", []).extend(errors.pop(NON_FIELD_ERRORS))
            raise ValidationError(errors) from None


from .models_attachments import RecordAttachment  # noqa: E402,F401
from .models_semantic import PracticeEmbedding, RequestEmbedding  # noqa: E402,F401
