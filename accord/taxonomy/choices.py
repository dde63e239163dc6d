from django.db import models
from django.utils.translation import gettext_lazy as _


class Dimension(models.TextChoices):
    """The OSCE's three dimensions of security, and what spans them."""

    POLITICO_MILITARY = "politico_military", _("Politico-military")
    ECONOMIC_ENVIRONMENTAL = "economic_environmental", _("Economic and environmental")
    HUMAN = "human", _("Human")
    CROSS_DIMENSIONAL = "cross_dimensional", _("Cross-dimensional")


class Phase(models.TextChoices):
    """The conflict cycle, from the first signs to rebuilding after it."""

    EARLY_WARNING = "early_warning", _("Early warning")
    CONFLICT_PREVENTION = "conflict_prevention", _("Conflict prevention")
    CRISIS_MANAGEMENT = "crisis_management", _("Crisis management")
    POST_CONFLICT_REHABILITATION = "post_conflict_rehabilitation", _("Post-conflict rehabilitation")
