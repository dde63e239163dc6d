"""Reading a record's history as a list of changes with their differences."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .historical import m2m_field_names
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
    # Many-to-many links of each entry: one query per field for the whole page.
    links: dict[str, dict[int, frozenset]] = {}
    for name in m2m_field_names(model):
        field = model._meta.get_field(name)
        column = f"{field.m2m_reverse_field_name()}_id"
        link_model = getattr(model.history.model, name).model
        ids = [r.history_id for r in [*records, previous] if r is not None]
        grouped: dict[int, set] = {i: set() for i in ids}
        for history_id, target in link_model.objects.filter(history_id__in=ids).values_list(
            "history_id", column
        ):
            grouped[history_id].add(target)
            names_needed.setdefault(field.related_model, set()).add(target)
        links[name] = {i: frozenset(v) for i, v in grouped.items()}
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
        for name, by_entry in links.items():
            new = by_entry.get(record.history_id, frozenset())
            old = by_entry.get(older.history_id, frozenset()) if older is not None else None
            if new == old or (old is None and not new):
                continue
            related = model._meta.get_field(name).related_model
            change.differences.append(
                Difference(
                    field=name,
                    label=str(model._meta.get_field(name).verbose_name),
                    old=_names(related, old, names) if old is not None else "—",
                    new=_names(related, new, names),
                )
            )
        changes.append(change)
    return page_obj, changes


def _names(related, ids, names) -> str:
    return "; ".join(sorted(names.get((related, i), f"#{i}") for i in ids)) or "—"
