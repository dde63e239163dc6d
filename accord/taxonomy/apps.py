from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaxonomyConfig(AppConfig):
    """Themes and conflict-cycle phases that meetings, practices and requests are tagged with."""

    name = "accord.taxonomy"
    label = "taxonomy"
    verbose_name = _("Themes")
