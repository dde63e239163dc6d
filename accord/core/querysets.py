from django.db import models

from . import policy


class OpenQuerySet(models.QuerySet):
    """Records every user with a role may see (reference data: countries, organizations...)."""

    def visible_to(self, user):
        if not policy.can_view(user):
            return self.none()
        return self


class ClassifiedQuerySet(models.QuerySet):
    """Records whose classification and sharing decide who sees them."""

    def visible_to(self, user):
        condition = policy.classified_filter(user)
        if condition is None:
            return self.none()
        if not condition:
            return self
        # Sharing joins a many-to-many table; a subquery keeps one row per record.
        return self.filter(pk__in=self.model.objects.filter(condition).values("pk"))
