from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "accord.registry"
    label = "registry"
    verbose_name = _("Registry")

    def ready(self):
        # Organizations, partnerships, people and documents carry a journal (accord.journal).
        from accord.journal.attach import register

        from .models import FrameworkDocument, Organization, Partnership, Person

        register(Organization, Partnership, Person, FrameworkDocument)

        from .pickers import register_pickers

        register_pickers()

        # The workspace lookups, menu entries and dashboard panels core draws.
        from .extensions import register_extensions

        register_extensions()

        # What the workspace-wide search finds of the registry (search.py).
        from .search import register_search

        register_search()
