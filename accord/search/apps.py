from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """One search over every kind of record the apps register (core.extensions)."""

    name = "accord.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self):
        from django.db.models.signals import post_migrate

        from accord.core import extensions

        from .index import connect_kind, fill_missing_kinds

        # Every kind, registered before this app or after it, gets its index housekeeping.
        extensions.on_search_kind(connect_kind)
        # `migrate` on a database with records but no index (yet) indexes them.
        post_migrate.connect(fill_missing_kinds, sender=self, dispatch_uid="accord.search.fill")
