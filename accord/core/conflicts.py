"""A stale edit, field by field: what others changed since the version you started from.

When a save is refused as stale (services.lock_for_update), the edit page compares three
versions of each field the form edits: the one the user started from (read back from the
history), the one saved now ("theirs") and the one the user submitted ("yours"). A field only
one side changed is merged by itself; a field both changed differently is the user's choice.
The page is shown again at the current version, so saving again succeeds unless a third
change came in meanwhile (then the comparison starts again from the version shown).

Every edit form uses this through core.views.ObjectEditView, and the API names the changed
fields in its 409 through changed_field_names().
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from django.db import models

from . import policy
from .historical import m2m_field_names
from .history import _display, _names, related_names
from .services import editable_field_names
from .textdiff import is_prose, word_diff

# "resolve-<field>" = "theirs" | "mine": the user's choice for a field both sides changed.
CHOICE_PREFIX = "resolve-"
MINE, THEIRS = "mine", "theirs"
# History entries read back for attribution; older ones between the two versions are
# still compared (the start and the current values), just not attributed.
MAX_ENTRIES = 100


class Outcome(StrEnum):
    UNCHANGED = "unchanged"  # nobody changed it
    MINE = "mine"  # only you changed it: your value stays
    THEIRS = "theirs"  # only they changed it: their value is taken
    SAME = "same"  # you both made the same change
    CONFLICT = "conflict"  # you both changed it, differently: you choose


def merge(base: dict | None, mine: dict, theirs: dict) -> dict[str, Outcome]:
    """What to do with each field of `mine`, given the version both started from.

    Values must be comparable as they are (see comparable()). Without `base` (its history
    entry is gone) nothing can be merged by itself: every difference is a conflict.
    """
    outcomes = {}
    for name, value in mine.items():
        their = theirs.get(name)
        if base is None:
            outcomes[name] = Outcome.UNCHANGED if value == their else Outcome.CONFLICT
            continue
        before = base.get(name)
        if value == their:
            outcomes[name] = Outcome.UNCHANGED if value == before else Outcome.SAME
        elif their == before:
            outcomes[name] = Outcome.MINE
        elif value == before:
            outcomes[name] = Outcome.THEIRS
        else:
            outcomes[name] = Outcome.CONFLICT
    return outcomes


def resolve(mine: dict, theirs: dict, outcomes: dict, choices: dict | None = None) -> dict:
    """The values to save: theirs where only they changed or where the user took theirs."""
    choices = choices or {}
    result = {}
    for name, value in mine.items():
        outcome = outcomes.get(name, Outcome.UNCHANGED)
        take = outcome == Outcome.THEIRS or (
            outcome == Outcome.CONFLICT and choices.get(name) == THEIRS
        )
        result[name] = theirs.get(name) if take else value
    return result


def comparable(f: models.Field, value):
    """A field's value in one form whether it comes from a form, a record or a history entry:
    ids for related records, a set of ids for many-to-many, None for empty."""
    if f.many_to_many:
        return frozenset(v.pk if isinstance(v, models.Model) else v for v in (value or ()))
    if isinstance(value, models.Model):
        return value.pk
    if value in (None, "", [], ()):
        return None
    if isinstance(value, list):
        return tuple(value)
    return value


def compared_names(model: type[models.Model], names) -> list[str]:
    """Of `names`, the fields a form edits that a history entry keeps."""
    known = set(editable_field_names(model)) | set(m2m_field_names(model))
    return [n for n in names if n in known]


def _links(model, entries, names) -> dict[str, dict[int, frozenset]]:
    """{field: {history_id: ids}}: the many-to-many links each history entry holds."""
    result = {}
    ids = [e.history_id for e in entries]
    for name in names:
        f = model._meta.get_field(name)
        if not f.many_to_many:
            continue
        column = f"{f.m2m_reverse_field_name()}_id"
        link_model = getattr(model.history.model, name).model
        grouped = {i: set() for i in ids}
        for history_id, target in link_model.objects.filter(history_id__in=ids).values_list(
            "history_id", column
        ):
            grouped[history_id].add(target)
        result[name] = {i: frozenset(t) for i, t in grouped.items()}
    return result


def _entry_values(model, entry, names, links) -> dict:
    values = {}
    for name in names:
        f = model._meta.get_field(name)
        if f.many_to_many:
            values[name] = links[name].get(entry.history_id, frozenset())
        else:
            values[name] = comparable(f, getattr(entry, f.attname))
    return values


def _live_values(model, instance, names) -> dict:
    values = {}
    for name in names:
        f = model._meta.get_field(name)
        if f.many_to_many:
            values[name] = frozenset(getattr(instance, name).values_list("pk", flat=True))
        else:
            values[name] = comparable(f, getattr(instance, f.attname))
    return values


def _entries(model, pk, version: int):
    """The history entry at `version` (None if it is gone) and the ones after it, oldest first."""
    history = model.history.filter(id=pk).exclude(history_type="-")
    base = history.filter(version=version).order_by("-history_id").first()
    later = history.select_related("history_user").order_by("-history_id")
    later = (
        later.filter(history_id__gt=base.history_id) if base else later.filter(version__gt=version)
    )
    return base, list(reversed(later[:MAX_ENTRIES]))


def version_values(model, pk, version: int, names) -> dict | None:
    """The values of `names` the record had at `version`, from its history; None if unknown."""
    names = compared_names(model, names)
    base, _later = _entries(model, pk, version)
    if base is not None:
        return _entry_values(model, base, names, _links(model, [base], names))
    # Only for a record the caller already holds, read through the policy (the edit view's
    # object, or changed_field_names' own policy read): this reads nothing new about it.
    current = model._default_manager.filter(pk=pk).first()
    if current is not None and current.version == version:
        return _live_values(model, current, names)
    return None


def changed_field_names(model, pk, version: int, user=None) -> list[str]:
    """The fields changed since `version`, that `user` may see: for the API's 409."""
    # Through the policy: a record the caller may not see has no changed fields to name.
    records = model._default_manager.all()
    if user is not None and hasattr(records, "visible_to"):
        records = records.visible_to(user)
    current = records.filter(pk=pk).first()
    if current is None:
        return []
    names = [
        n
        for n in [*editable_field_names(model), *m2m_field_names(model)]
        if user is None or policy.field_visible(user, n)
    ]
    before = version_values(model, pk, version, names)
    now = _live_values(model, current, names)
    if before is None:
        return names  # the start is unknown: any field may have changed
    return [n for n in names if before[n] != now[n]]


@dataclass
class FieldComparison:
    """One field of a stale edit: the three versions as the page shows them."""

    name: str
    label: str
    outcome: Outcome
    base: object = "—"
    theirs: object = "—"
    mine: object = "—"
    # Texts marked word by word (escaped HTML).
    words: bool = False
    changed_by: object = None
    changed_at: object = None
    choice: str = MINE

    @property
    def choice_name(self) -> str:
        return f"{CHOICE_PREFIX}{self.name}"


@dataclass
class Comparison:
    """A stale edit: each field someone changed, and the version the form is shown again at."""

    current_version: int
    base_known: bool
    fields: list[FieldComparison] = field(default_factory=list)
    # Values to put in the form shown again (their value where theirs is taken).
    values: dict = field(default_factory=dict)

    def _with(self, *outcomes):
        return [f for f in self.fields if f.outcome in outcomes]

    @property
    def conflicts(self):
        return self._with(Outcome.CONFLICT)

    @property
    def taken(self):
        return self._with(Outcome.THEIRS)

    @property
    def kept(self):
        return self._with(Outcome.MINE)

    @property
    def same(self):
        return self._with(Outcome.SAME)


def _display_all(model, name, value, names):
    f = model._meta.get_field(name)
    if f.many_to_many:
        return _names(f.related_model, value or (), names)
    if isinstance(value, tuple):
        value = list(value)
    return _display(model, name, value, names)


def compare(instance: models.Model, *, user, base_version: int, mine: dict) -> Comparison | None:
    """Compare what the user submitted (`mine`, a form's cleaned values) with the record now.

    None if the record is gone. Related records are named through the policy: one the user may
    not see is left out, as on every page. A fixed number of queries: the record, the history
    entries since `base_version` with their users, one per many-to-many field, and the names.
    """
    model = type(instance)
    current = model._base_manager.filter(pk=instance.pk).first()
    if current is None:
        return None
    names = [n for n in compared_names(model, mine) if policy.field_visible(user, n)]
    base_entry, later = _entries(model, instance.pk, base_version)
    entries = [e for e in [base_entry, *later] if e is not None]
    links = _links(model, entries, names)
    mine_values = {n: comparable(model._meta.get_field(n), mine[n]) for n in names}
    theirs = _live_values(model, current, names)
    base = _entry_values(model, base_entry, names, links) if base_entry else None
    outcomes = merge(base, mine_values, theirs)

    # Who changed each field last, walking the entries since the start.
    last_change = {}
    previous = base
    for entry in later:
        values = _entry_values(model, entry, names, links)
        for n in names:
            if previous is None or values[n] != previous[n]:
                last_change[n] = entry
        previous = values

    shown = [n for n in names if outcomes[n] != Outcome.UNCHANGED]
    needed: dict = {}
    for n in shown:
        f = model._meta.get_field(n)
        if not f.is_relation:
            continue
        for values in (base, theirs, mine_values):
            if values is None or values[n] is None:
                continue
            ids = values[n] if f.many_to_many else {values[n]}
            needed.setdefault(f.related_model, set()).update(ids)
    names_of = related_names(user, needed) if needed else {}

    comparison = Comparison(current_version=current.version, base_known=base is not None)
    for n in shown:
        f = model._meta.get_field(n)
        entry = last_change.get(n)
        item = FieldComparison(
            name=n,
            label=str(f.verbose_name),
            outcome=outcomes[n],
            changed_by=entry.history_user if entry else None,
            changed_at=entry.history_date if entry else None,
        )
        before = None if base is None else base[n]
        raw = {"base": before, "theirs": theirs[n], "mine": mine_values[n]}
        if not f.is_relation and not f.choices and is_prose(theirs[n], mine_values[n]):
            item.words = True
            if before:
                item.base = before
                item.theirs = word_diff(before, theirs[n])[1]
                item.mine = word_diff(before, mine_values[n])[1]
            else:
                item.theirs, item.mine = word_diff(theirs[n], mine_values[n])
        else:
            for side, value in raw.items():
                setattr(item, side, _display_all(model, n, value, names_of))
            if base is None:
                item.base = None
        comparison.fields.append(item)
    merged = resolve(mine_values, theirs, outcomes)
    comparison.values = {n: form_value(model, n, merged[n]) for n in names}
    return comparison


def form_value(model, name: str, value):
    """A comparable value as form data: a list of ids for many-to-many, a list for a JSON list."""
    f = model._meta.get_field(name)
    if f.many_to_many:
        return sorted(value or ())
    if isinstance(value, tuple):
        return list(value)
    if value is None and isinstance(f, models.JSONField):
        return []
    return value


def with_values(data, model, values: dict, *, version: int | None = None):
    """A copy of the posted `data` with `values` (python values, as form_value gives) in it."""
    data = data.copy()
    for name, value in values.items():
        if model._meta.get_field(name).many_to_many:
            data.setlist(name, [str(pk) for pk in value])
        else:
            data.setlist(name, [value])
    if version is not None:
        data["version"] = str(version)
    return data


def choices_in(data) -> dict[str, str]:
    """{field: "theirs" | "mine"} from the radio buttons of a comparison."""
    return {
        key[len(CHOICE_PREFIX) :]: value
        for key, value in data.items()
        if key.startswith(CHOICE_PREFIX) and value in (MINE, THEIRS)
    }


def apply_choices(instance: models.Model, data):
    """The posted data with "take theirs" applied: their value as of the version the form shows.

    That version's values come from the history, so a third change saved meanwhile does not
    slip in unseen: the save is refused as stale again and compared anew.
    """
    choices = choices_in(data)
    taken = [n for n, choice in choices.items() if choice == THEIRS]
    if not taken or instance is None or instance.pk is None:
        return data
    model = type(instance)
    taken = compared_names(model, taken)
    try:
        version = int(data.get("version", ""))
    except ValueError:
        return data
    theirs = version_values(model, instance.pk, version, taken)
    if theirs is None:
        return data
    return with_values(data, model, {n: form_value(model, n, theirs[n]) for n in taken})
