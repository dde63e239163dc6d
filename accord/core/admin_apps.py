from django.contrib.admin.apps import AdminConfig


class AccordAdminConfig(AdminConfig):
    """Django's admin on Accord's site class (kept apart: app configs load before models)."""

    default_site = "accord.core.admin_site.AccordAdminSite"
