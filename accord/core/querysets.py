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
        """The records the user may see, as a condition on the rows themselves.

        No "pk IN (SELECT ...)": that lists every visible record first, which on a large table
        costs a scan of it before the query's own indexes are used. Sharing is a correlated
        EXISTS on the sharing table, so that a record shared with the partner several ways still
        counts once."""
        shared = None
        partner = policy.partner_organization_id(user)
        if partner is not None:
            field = self.model._meta.get_field("shared_with")
            through = field.remote_field.through
            shared = models.Exists(
                through.objects.filter(
                    **{field.m2m_field_name(): models.OuterRef("pk")},
                    **{f"{field.m2m_reverse_field_name()}_id": partner},
                )
            )
        condition = policy.classified_filter(user, shared=shared)
        if condition is None:
            return self.none()
        if not condition:
            return self
        return self.filter(condition)
