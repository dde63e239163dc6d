"""Membership data imported from a published data set, kept apart from the entered memberships.

A data set (the Correlates of War IGO data v3.0) is reproduced as it was published: one row
per spell of consecutive years in which a state held one status in an organization. Entered
memberships (registry.Membership) have day precision and their own history; these have year
precision, and their history is the data set's: re-importing the same files changes nothing,
and the `Dataset` row says which files were read, when and by whom.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accord.core.querysets import OpenQuerySet


class SourceStatus(models.TextChoices):
    FULL = "full", _("Full member")
    ASSOCIATE = "associate", _("Associate member")
    OBSERVER = "observer", _("Observer")


class Dataset(models.Model):
    """A published membership data set, as last imported."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    citation = models.TextField(_("citation"), blank=True)
    url = models.URLField(_("address"), blank=True)
    first_year = models.PositiveSmallIntegerField(_("first year covered"))
    last_year = models.PositiveSmallIntegerField(_("last year covered"))
    imported_at = models.DateTimeField(_("imported at"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("imported by"),
    )
    # {file name: sha256} of the files read, and what the import counted.
    files = models.JSONField(_("files"), default=dict)
    counts = models.JSONField(_("counts"), default=dict)

    objects = OpenQuerySet.as_manager()

    class Meta:
        ordering = ["key"]
        verbose_name = _("data set")
        verbose_name_plural = _("data sets")

    def __str__(self):
        return self.name


class SourceMembershipQuerySet(OpenQuerySet):
    def in_year(self, year: int):
        """Spells that overlap the year (a state counts in a year when its spell does)."""
        return self.filter(first_year__lte=year, last_year__gte=year)


class SourceMembership(models.Model):
    """A state's status in an organization over whole years, as a data set has it."""

    dataset = models.ForeignKey(
        Dataset, on_delete=models.CASCADE, related_name="spells", verbose_name=_("data set")
    )
    organization = models.ForeignKey(
        "registry.Organization",
        on_delete=models.CASCADE,
        related_name="source_memberships",
        verbose_name=_("organization"),
    )
    country = models.ForeignKey(
        "registry.Country",
        on_delete=models.PROTECT,
        related_name="source_memberships",
        verbose_name=_("country"),
    )
    status = models.CharField(_("status"), max_length=16, choices=SourceStatus.choices)
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"))

    objects = SourceMembershipQuerySet.as_manager()

    class Meta:
        ordering = ["organization_id", "country_id", "first_year"]
        verbose_name = _("imported membership")
        verbose_name_plural = _("imported memberships")
        indexes = [
            models.Index(
                fields=["dataset", "organization", "first_year", "last_year"],
                name="analytics_spell_org_years",
            ),
            models.Index(
                fields=["dataset", "country", "first_year", "last_year"],
                name="analytics_spell_country_years",
            ),
            models.Index(
                fields=["dataset", "first_year", "last_year"], name="analytics_spell_years"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_year__gte=models.F("first_year")),
                name="analytics_spell_years_in_order",
            )
        ]

    def __str__(self):
        return f"{self.country_id} in {self.organization_id}, {self.first_year}–{self.last_year}"
