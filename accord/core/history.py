"""Reading a record's history as a list of changes with their differences."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from . import policy
from .historical import m2m_field_names
from .services import editable_field_names
from .textdiff import is_prose, word_diff

SKIPPED = {"version", "updated", "created"}


@dataclass
class Difference:
    field: str
    label: str
    old: object
    new: object
    # True when `old` and `new` are texts marked word by word (escaped HTML).
    words: bool = False


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
        # A record the user may not see is left out, as everywhere else.
        return names.get((f.related_model, value), "—")
    if f.choices:
        return dict(f.flatchoices).get(value, value)
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return value


def _difference(model, name, old, new, older, names) -> Difference:
    """The difference of one field between two versions; long texts are compared by word."""
    field = model._meta.get_field(name)
    label = str(field.verbose_name)
    if older is not None and not field.is_relation and not field.choices and is_prose(old, new):
        marked_old, marked_new = word_diff(old, new)
        return Difference(name, label, marked_old, marked_new, words=True)
    return Difference(
        field=name,
        label=label,
        old=_display(model, name, old, names) if older is not None else "—",
        new=_display(model, name, new, names),
    )


def visible_versions(model: type[models.Model], user) -> Q | None:
    """The history rows of `model` that `user` may see; None means none.

    A version is judged by the classification and sharing it had then, not by today's: the
    restricted past of a record made public later stays hidden from viewers and partners.
    """
    from .models import ClassifiedModel

    if not policy.can_view(user):
        return None
    if not issubclass(model, ClassifiedModel) or policy.can_edit(user):
        return Q()  # nothing is hidden from editors, nor open records from anyone
    links = model.history.model.shared_with.model
    shared = Exists(
        links.objects.filter(
            history=OuterRef("pk"), organization_id=policy.partner_organization_id(user)
        )
    )
    return policy.classified_filter(user, shared=shared)


def visible_history(model: type[models.Model], user):
    """`model.history` narrowed to the versions `user` may see."""
    condition = visible_versions(model, user)
    if condition is None:
        return model.history.none()
    return model.history.filter(condition) if condition else model.history.all()


def related_names(user, needed: dict[type[models.Model], set]) -> dict:
    """{(model, pk): name} of the related records `user` may see, deleted ones included.

    Records that still exist are named through the policy; a deleted one is named after its
    last version, if the user may see that version. Anything else is left out.
    """
    names = {}
    for related, ids in needed.items():
        manager = related._default_manager
        qs = manager.visible_to(user) if hasattr(manager, "visible_to") else manager.none()
        found = set()
        for obj in qs.filter(pk__in=ids):
            names[(related, obj.pk)] = str(obj)
            found.add(obj.pk)
        missing = set(ids) - found
        if not missing or getattr(related, "history", None) is None:
            continue
        # The base manager on purpose, to tell a deleted record from a hidden one: only a
        # deleted one may be named (after its last version, if the user could see that). A
        # hidden one that exists is left out, even if it was deleted and restored once.
        gone = missing - set(
            related._base_manager.filter(pk__in=missing).values_list("pk", flat=True)
        )
        if not gone:
            continue
        last = (
            related.history.filter(id__in=gone, history_type="-")
            .filter(history_id__in=visible_history(related, user).values("history_id"))
            .order_by("id", "-history_id")
        )
        for row in last:
            try:
                label = str(row.instance)
            except ObjectDoesNotExist:  # it names another deleted record
                label = str(related._meta.verbose_name)
            names.setdefault((related, row.id), _("%(name)s (deleted)") % {"name": label})
    return names


def history_page(
    instance: models.Model, *, user, page: int = 1, per_page: int = 20, count: bool = True
):
    """One page of a record's changes that `user` may see, newest first, with what changed.

    Versions the user could not have seen are left out, and each shown version is compared
    with the previous one the user may see, so nothing of a hidden version shows through.
    Related records are named through the policy. Costs a fixed number of queries: the page
    of history rows (with their users), the row just before the page to diff the oldest
    against, and a few per related model named. `count=False` (a record's page, which shows
    the latest changes only) gives no page object and spares the COUNT query.
    """
    model = type(instance)
    condition = visible_versions(model, user)
    qs = instance.history.select_related("history_user").order_by("-history_id")
    qs = qs.none() if condition is None else qs.filter(condition)
    if count:
        page_obj = Paginator(qs, per_page).get_page(page)
        records = list(page_obj.object_list)
    else:
        page_obj = None
        records = list(qs[:per_page])
    previous = None
    if records:
        last = records[-1]
        previous = qs.filter(history_id__lt=last.history_id).first()
    names_needed: dict[type[models.Model], set] = {}
    fields = [
        n for n in editable_field_names(model) if n not in SKIPPED and policy.field_visible(user, n)
    ]
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
    raw_links: dict[str, dict[int, set]] = {}
    for name in m2m_field_names(model):
        if not policy.field_visible(user, name):
            continue
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
        raw_links[name] = grouped
    names = related_names(user, names_needed)
    # Links to records the user may not see are left out before comparing, so a change
    # among hidden records shows as no change at all.
    links: dict[str, dict[int, frozenset]] = {}
    for name, grouped in raw_links.items():
        related = model._meta.get_field(name).related_model
        links[name] = {
            i: frozenset(t for t in targets if (related, t) in names)
            for i, targets in grouped.items()
        }
    changes = []
    chain = [*records, previous]
    for record, older in zip(chain, chain[1:], strict=False):
        change = Change(record=record, kind=KIND.get(record.history_type, record.history_type))
        if record.history_type == "-":  # the record as it was deleted: nothing changed in it
            changes.append(change)
            continue
        for name in fields:
            field = model._meta.get_field(name)
            new = getattr(record, field.attname)
            old = getattr(older, field.attname) if older is not None else None
            if field.is_relation:
                # Hidden related records count as none.
                new = new if (field.related_model, new) in names else None
                old = old if (field.related_model, old) in names else None
            if older is None and record.history_type != "+":
                continue
            if older is None or new != old:
                if older is None and new in (None, "", []):
                    continue
                change.differences.append(_difference(model, name, old, new, older, names))
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
    return "; ".join(sorted(names[(related, i)] for i in ids if (related, i) in names)) or "—"
