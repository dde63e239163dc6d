from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def load_reference_data(sender, using="default", **kwargs):
    # Reference data, like contenttypes and permissions: present after every migrate or flush.
    from accord.importers.countries import load_countries

    load_countries()


class RegistryConfig(AppConfig):
    name = "accord.registry"
    label = "registry"
    verbose_name = _("Registry")

    def ready(self):
        post_migrate.connect(load_reference_data, sender=self)
        # Organizations, partnerships, people and documents carry a journal (accord.journal).
        from accord.journal.attach import register

        from .models import FrameworkDocument, Organization, Partnership, Person

        register(Organization, Partnership, Person, FrameworkDocument)

        from .pickers import register_pickers

        register_pickers()
