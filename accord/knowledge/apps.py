from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    """Practices, partners' requests to learn, and the commitments of framework documents."""

    name = "accord.knowledge"
    label = "knowledge"
    verbose_name = _("Knowledge")

    def ready(self):
        # The menu entry core draws (extensions.py).
        from .extensions import register_extensions

        register_extensions()

        # `accord demo`'s commitments, practices and requests, after the meetings (demo.py).
        from .demo import register_demo_loader

        register_demo_loader()

        # What the workspace-wide search finds of knowledge (search.py).
        from .search import register_search

        register_search()

        # Similar practices: vectors refreshed after a save (semantic.py, accord[semantic]).
        from .semantic import connect as connect_semantic

        connect_semantic()

        # The commitments on meeting, action and document pages (panels.py).
        from .panels import register_panels

        register_panels()

        # The files panel of a framework document's page (panels_attachments.py).
        from .panels_attachments import register_panels as register_attachment_panels

        register_attachment_panels()

        # Picker kinds the request forms need (practices, actions) if no one else made them.
        from .forms_requests import register_pickers

        register_pickers()
