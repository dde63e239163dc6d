"""REST endpoints for deleted records: editors list them and bring them back."""

from __future__ import annotations

import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from .api import require_edit
from .apinput import Paged
from .models import Deletion
from .services import restore_deletion

router = Router(tags=["deleted records"])


class WentWith(Schema):
    model: str
    count: int


class DeletionOut(Schema):
    id: int
    deleted: datetime.datetime
    user: str | None
    model: str = Field(..., description="app_label.model of the deleted record")
    object_id: int
    label: str
    went_with_it: list[WentWith]
    restored: datetime.datetime | None

    @staticmethod
    def resolve_user(obj):
        return obj.user.get_username() if obj.user_id else None

    @staticmethod
    def resolve_went_with_it(obj):
        return obj.contents


class RestoredOut(DeletionOut):
    not_restored: list[str] = Field([], description="Links to records deleted since, left out")


@router.get("/deleted", response=list[DeletionOut])
@paginate(Paged)
def deletion_list(request):
    """Deleted records, newest first (administrators and editors)."""
    require_edit(request)
    return Deletion.objects.select_related("user").order_by("-deleted", "-pk")


@router.post("/deleted/{pk}/restore", response=RestoredOut)
def deletion_restore(request, pk: int):
    """Bring a deleted record back with what was deleted with it and the links it lost."""
    require_edit(request)
    deletion = get_object_or_404(Deletion.objects.select_related("user"), pk=pk)
    return restore_deletion(deletion, actor=request.user)
