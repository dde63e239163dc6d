from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def load_reference_data(sender, using="default", **kwargs):
    # Reference data, like contenttypes and permissions: present after every migrate or flush.
    from .countries import load_countries

    load_countries()


def load_demo_workspace(*, stdout, verbosity=1):
    """`accord demo`'s first part: the OSCE demo workspace (accord/importers/demo.py)."""
    from django.core.management import call_command

    call_command("load_demo", stdout=stdout, verbosity=verbosity)


class ImportersConfig(AppConfig):
    name = "accord.importers"
    label = "importers"
    verbose_name = _("Importers")

    def ready(self):
        # After the registry's tables are migrated (or flushed), as contenttypes does.
        post_migrate.connect(
            load_reference_data,
            sender=self.apps.get_app_config("registry"),
            dispatch_uid="accord.importers.load_reference_data",
        )
        from accord.core import extensions

        # First: the other apps' demo data refers to the workspace's organizations.
        extensions.register_demo_loader("workspace", load=load_demo_workspace, order=10)
