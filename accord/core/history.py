"""Reading a record's history as a list of changes with their differences."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .services import editable_field_names

SKIPPED = {"version", "updated", "created"}


@dataclass
class Difference:
    field: str
    label: str
    old: object
    new: object


@dataclass
class Change:
    record: object
    kind: str
    differences: list[Difference] = field(default_factory=list)

    @property
    def user(self):
        return self.record.history_user

    @property
    def date(self):
        return self.record.history_date

    @property
    def reason(self):
        return self.record.history_change_reason

    @property
    def history_id(self):
        return self.record.history_id


KIND = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


def _display(model: type[models.Model], name: str, value, names: dict) -> object:
    f = model._meta.get_field(name)
    if value in (None, ""):
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if f.is_relation:
        return names.get((f.related_model, value), f"#{value}")
    if f.choices:
        return dict(f.flatchoices).get(value, value)
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return value


def history_page(instance: models.Model, *, page: int = 1, per_page: int = 20):
    """One page of a record's changes, newest first, each with what it changed.

    Costs a fixed number of queries: the page of history rows (with their users), the row
    just before the page to diff the oldest against, and one query per related model named.
    """
    model = type(instance)
    qs = instance.history.select_related("history_user").order_by("-history_id")
    paginator = Paginator(qs, per_page)
    page_obj = paginator.get_page(page)
    records = list(page_obj.object_list)
    previous = None
    if records:
        last = records[-1]
        previous = (
            instance.history.filter(history_id__lt=last.history_id).order_by("-history_id").first()
        )
    names_needed: dict[type[models.Model], set] = {}
    fields = [n for n in editable_field_names(model) if n not in SKIPPED]
    relations = {
        n: model._meta.get_field(n) for n in fields if model._meta.get_field(n).is_relation
    }
    for record in [*records, previous]:
        if record is None:
            continue
        for f in relations.values():
            value = getattr(record, f.attname)
            if value is not None:
                names_needed.setdefault(f.related_model, set()).add(value)
    names = {}
    for related, ids in names_needed.items():
        for obj in related._base_manager.filter(pk__in=ids):
            names[(related, obj.pk)] = str(obj)
    changes = []
    chain = [*records, previous]
    for record, older in zip(chain, chain[1:], strict=False):
        change = Change(record=record, kind=KIND.get(record.history_type, record.history_type))
        for name in fields:
            attname = model._meta.get_field(name).attname
            new = getattr(record, attname)
            old = getattr(older, attname) if older is not None else None
            if older is None and record.history_type != "+":
                continue
            if older is None or new != old:
                if older is None and new in (None, "", []):
                    continue
                change.differences.append(
                    Difference(
                        field=name,
                        label=str(model._meta.get_field(name).verbose_name),
                        old=_display(model, name, old, names) if older is not None else "—",
                        new=_display(model, name, new, names),
                    )
                )
        changes.append(change)
    return page_obj, changes
