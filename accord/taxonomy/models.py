from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accord.core.historical import History
from accord.core.models import VersionedModel
from accord.core.querysets import OpenQuerySet

from .choices import Dimension

# Themes nest at most this deep (dimension › theme › sub-theme › ...).
MAX_DEPTH = 4


class ThemeQuerySet(OpenQuerySet):
    def roots(self):
        return self.filter(parent__isnull=True)


class Theme(VersionedModel):
    """A subject of co-operation in a small hierarchy under the OSCE's dimensions."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("key"), max_length=60, unique=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("broader theme"),
    )
    dimension = models.CharField(_("dimension"), max_length=24, choices=Dimension.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ThemeQuerySet.as_manager()
    history = History()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the reader's language: the seeded names have translations."""
        return gettext(self.name) if self.name else ""

    def clean(self):
        if self.parent_id is None:
            return
        parent, depth, seen = self.parent, 1, {self.pk}
        while parent is not None:
            if parent.pk in seen:
                raise ValidationError({"parent": _("A theme cannot be inside itself.")})
            seen.add(parent.pk)
            depth += 1
            parent = parent.parent
        if depth > MAX_DEPTH:
            raise ValidationError({"parent": _("Themes nest at most four levels deep.")})
        if self.dimension and self.parent.dimension != self.dimension:
            raise ValidationError(
                {"dimension": _("A theme belongs to the dimension of its broader theme.")}
            )
