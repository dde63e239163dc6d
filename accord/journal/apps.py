from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JournalConfig(AppConfig):
    """Dated notes on records of any app that registers its models (see attach.register)."""

    name = "accord.journal"
    label = "journal"
    verbose_name = _("Journal")
