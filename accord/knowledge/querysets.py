"""Chainable reads with the visibility policy built in (`visible_to(user)`).

Practices and requests are classified records. A partner's focal point also sees only their
own organization's requests, whatever their classification, and only the share-log entries of
their own organization. A commitment is seen with its document.
"""

from __future__ import annotations

from django.apps import apps
from django.db import models

from accord.core import policy
from accord.core.querysets import ClassifiedQuerySet


def _sees_everything(user) -> bool | None:
    """True for administrators and editors, None for users who see nothing, else False."""
    condition = policy.classified_filter(user)
    if condition is None:
        return None
    return not condition


def _exists_visible(user, model: str, outer: str) -> models.Exists:
    visible = apps.get_model(model).objects.visible_to(user)
    return models.Exists(visible.filter(pk=models.OuterRef(outer)))


class PracticeQuerySet(ClassifiedQuerySet):
    pass


class PracticeShareQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Entries of visible practices; a partner's only those with their organization."""
        sees = _sees_everything(user)
        if sees is None:
            return self.none()
        if sees:
            return self
        qs = self.filter(_exists_visible(user, "knowledge.Practice", "practice_id"))
        partner = policy.partner_organization_id(user)
        if partner is not None:
            qs = qs.filter(organization_id=partner)
        return qs


class RequestQuerySet(ClassifiedQuerySet):
    def visible_to(self, user):
        qs = super().visible_to(user)
        partner = policy.partner_organization_id(user)
        if partner is not None:
            qs = qs.filter(organization_id=partner)
        return qs


class CommitmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Commitments of the documents the user may see."""
        sees = _sees_everything(user)
        if sees is None:
            return self.none()
        if sees:
            return self
        return self.filter(_exists_visible(user, "registry.FrameworkDocument", "document_id"))
