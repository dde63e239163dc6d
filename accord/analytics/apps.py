from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    """The landscape: imported membership data (COW IGO), overlap, neighbourhood, network."""

    name = "accord.analytics"
    label = "analytics"
    verbose_name = _("Analytics")

    def ready(self):
        # `accord demo` imports the shipped COW IGO files (demo.py).
        from .demo import register_demo_loader

        register_demo_loader()

        # The menu entry, after Knowledge (80), for the home organization's staff.
        from accord.core import extensions, policy

        extensions.register_nav_entry(
            "analytics",
            label=_("Analytics"),
            url_name="analytics:index",
            prefix="/analytics",
            order=90,
            visible=policy.is_home_staff,
        )

        # "Membership over time" on organization and country pages (views.py).
        from .views import register_panels

        register_panels()
