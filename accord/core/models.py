import hashlib
import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Classification, Role
from .querysets import ClassifiedQuerySet, OpenQuerySet

# Control characters: none in a line of text; tabs and line breaks only in a longer text.
CONTROL_IN_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class VersionedModel(models.Model):
    """A record whose every save bumps a version number, so stale edits can be refused."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = OpenQuerySet.as_manager()

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        """Django's field checks, and no control characters in any text, whoever writes it."""
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for field in self._meta.concrete_fields:
            if exclude and field.name in exclude or field.name in errors:
                continue
            value = getattr(self, field.attname)
            if not isinstance(value, str):
                continue
            pattern = CONTROL_IN_TEXT if isinstance(field, models.TextField) else CONTROL_IN_LINE
            if pattern.search(value):
                errors[field.name] = [
                    ValidationError(_("Control characters are not allowed here."), code="control")
                ]
        if errors:
            raise ValidationError(errors)


class ClassifiedModel(VersionedModel):
    """A record that may be sensitive: its classification and sharing decide who sees it."""

    classification = models.CharField(
        _("classification"),
        max_length=16,
        choices=Classification.choices,
        default=Classification.INTERNAL,
        help_text=_(
            "Public: every user. Internal: staff, and partners it is shared with. "
            "Restricted: administrators and editors only."
        ),
    )
    shared_with = models.ManyToManyField(
        settings.ACCORD_ORGANIZATION_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("shared with"),
        help_text=_("Partner organizations whose focal points may see this internal record."),
    )

    objects = ClassifiedQuerySet.as_manager()

    class Meta:
        abstract = True


class Profile(models.Model):
    """A user's role in the workspace, and for a partner, the organization they speak for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="accord_profile"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.VIEWER)
    organization = models.ForeignKey(
        settings.ACCORD_ORGANIZATION_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="partner_users",
        verbose_name=_("organization"),
    )

    class Meta:
        verbose_name = _("profile")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role=Role.PARTNER) | models.Q(organization__isnull=False),
                name="profile_partner_has_organization",
                violation_error_message=_("A partner user must belong to an organization."),
            )
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the REST API; only its hash is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField(null=True, blank=True)
    last_used = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")

    def __str__(self):
        return f"{self.prefix}… ({self.user})"

    @classmethod
    def issue(cls, *, user, name: str = "", days: int | None = None) -> tuple["ApiToken", str]:
        raw = secrets.token_urlsafe(32)
        days = settings.ACCORD_TOKEN_DAYS if days is None else days
        token = cls.objects.create(
            user=user,
            name=name,
            key_hash=hash_token(raw),
            prefix=raw[:8],
            expires=timezone.now() + timedelta(days=days) if days else None,
        )
        return token, raw


class Deletion(models.Model):
    """One delete through the services: the record, and what went with it, to bring back.

    Every record deleted with it (cascades) and the root itself got a "-" history entry
    dated exactly `deleted`; records that only lost a link to it got a "~" entry with the
    same date. Restoring reads those entries back.
    """

    deleted = models.DateTimeField(_("deleted"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("deleted by"),
    )
    model = models.CharField(_("kind of record"), max_length=100)
    object_id = models.BigIntegerField(_("record id"))
    label = models.CharField(_("record"), max_length=300)
    # [{"model": "registry.membership", "count": 57}, ...] — what went with it.
    contents = models.JSONField(_("deleted with it"), default=list, blank=True)
    # [{"model": "registry.person", "field": "partnership", "ids": [3], "links": [[3, 7]]}]:
    # records that lost a link to a deleted record, and the id each pointed at.
    unlinked = models.JSONField(_("links removed"), default=list, blank=True)
    restored = models.DateTimeField(_("restored"), null=True, blank=True)
    restored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("restored by"),
    )

    class Meta:
        ordering = ["-deleted", "-pk"]
        verbose_name = _("deletion")
        verbose_name_plural = _("deletions")

    def __str__(self):
        return self.label

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("deleted_detail", args=[self.pk])

    @property
    def model_class(self):
        from django.apps import apps

        return apps.get_model(self.model)
