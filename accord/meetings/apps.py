from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """Meetings with partners, recurring series, agendas, outcomes and follow-up actions."""

    name = "accord.meetings"
    label = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        # Meetings carry a journal (accord.journal), as the registry's records do.
        from accord.journal.attach import register

        from .models import Meeting

        register(Meeting)

        from .pickers import register_pickers

        register_pickers()

        # The menu entries and dashboard panels core draws.
        from .extensions import register_extensions

        register_extensions()

        # The account page's link to the calendar feed and reminder settings.
        from .feeds import register_account_link

        register_account_link()

        # The engagement health on the organization list and page (health.py).
        from .health import register_extensions as register_health

        register_health()

        # `accord demo`'s meetings, after the registry's workspace (demo.py).
        from .demo import register_demo_loader

        register_demo_loader()

        # What the workspace-wide search finds of meetings (search.py).
        from .search import register_search

        register_search()
