"""Pickers: searchable selects for records (countries, organizations, people, documents...).

Use them for any model choice field (forms and django-filter filters)::

    class Meta:
        widgets = {"country": Picker(kind="countries"), "shared_with": MultiPicker(kind="partners")}

or ``self.fields["basis"].widget = MultiPicker(kind="documents")`` in ``__init__`` (set the
field's ``queryset`` first; the widget reads it at render time). ``kind`` names a search
registered with ``accord.core.pickers.register`` (the registry's kinds are in
``accord/registry/pickers.py``).

What the page gets is a normal ``<select>`` that ``static/js/pickers.js`` turns into a Tom
Select control:

- a short list (at most ``ACCORD_PICKER_INLINE_MAX`` rows, 300 by default: every country)
  is rendered in full, so the form works without JavaScript too, and Tom Select searches it
  in the page;
- a longer list renders only its selected options, with their labels, and Tom Select asks
  ``/pick/<kind>/?q=`` as the user types (server-side search through the visibility policy).

The choices are the field's queryset, so the form decides what a user may pick: give it
``visible_to(user)`` for classified models. A selected value outside that queryset (a hidden
record, a stale id) renders as nothing, never with its label. Each picker costs one query.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .pickers import get_kind

# The largest id PostgreSQL and SQLite store (bigint).
BIGINT_MAX = 2**63 - 1
# Texts Tom Select shows, translated here (pickers.js reads them from data attributes).
TEXTS = {
    "no-results": _("No results found"),
    "loading": _("Searching…"),
    "loading-more": _("Loading more results…"),
    "no-more": _("No more results"),
    "remove": _("Remove"),
    "clear": _("Clear"),
}


def inline_max() -> int:
    return getattr(settings, "ACCORD_PICKER_INLINE_MAX", 300)


class PickerMixin:
    """The shared part of Picker and MultiPicker: choices from the field's queryset."""

    def __init__(self, *, kind: str, attrs=None, **kwargs):
        super().__init__(attrs=attrs, **kwargs)
        self.kind = kind
        self.remote = False

    def field_and_queryset(self):
        iterator = self.choices
        field = getattr(iterator, "field", None)
        queryset = getattr(iterator, "queryset", None)
        return field, queryset

    def key(self, field) -> str:
        """The field a value names: "pk", or another unique field (to_field_name)."""
        key = getattr(field, "to_field_name", None)
        if not key or key == field.queryset.model._meta.pk.name:
            return "pk"
        return key

    def clean_values(self, queryset, key: str, values) -> list:
        """The submitted values that can be looked up: no junk reaches the database."""
        model_field = (
            queryset.model._meta.pk if key == "pk" else queryset.model._meta.get_field(key)
        )
        cleaned = []
        for value in values:
            if value in (None, "") or "\x00" in str(value) or len(str(value)) > 200:
                continue
            try:
                value = model_field.to_python(value)
            except ValidationError:
                continue
            if isinstance(value, int) and abs(value) > BIGINT_MAX:
                continue
            cleaned.append(value)
        return cleaned

    def picker_choices(self, value) -> list:
        field, queryset = self.field_and_queryset()
        if queryset is None:  # plain choices: nothing to look up
            self.remote = False
            return list(self.choices)
        kind = get_kind(self.kind)
        queryset = kind.prepare(queryset)
        choices = []
        if getattr(field, "empty_label", None) is not None and not self.allow_multiple_selected:
            choices.append(("", field.empty_label))
        limit = inline_max()
        rows = list(queryset[: limit + 1])
        self.remote = len(rows) > limit
        if self.remote:
            key = self.key(field)
            wanted = self.clean_values(queryset, key, value)
            rows = list(queryset.filter(**{f"{key}__in": wanted})) if wanted else []
        for obj in rows:
            choices.append((field.prepare_value(obj), kind.label(obj)))
        return choices

    def optgroups(self, name, value, attrs=None):
        original = self.choices
        self.choices = self.picker_choices(value)
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = original

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs["data-picker"] = self.kind
        for text_key, text in TEXTS.items():
            widget_attrs[f"data-picker-{text_key}"] = str(text)
        if self.remote:
            field, _queryset = self.field_and_queryset()
            url = reverse("pick", args=[self.kind])
            key = self.key(field)
            if key != "pk":
                url = f"{url}?{urlencode({'key': key})}"
            widget_attrs["data-picker-url"] = url
        return context


class Picker(PickerMixin, forms.Select):
    """A searchable select of one record (see the module's docstring)."""


class MultiPicker(PickerMixin, forms.SelectMultiple):
    """A searchable select of several records (see the module's docstring)."""


def _attrs_html(attrs: dict) -> str:
    """The attributes as django/forms/widgets/attrs.html writes them: True alone, False left out."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


class Select(forms.Select):
    """A plain select that writes its HTML itself, the same as Django's templates write it.

    Django renders each option through a template `include`: the five filters of a list page
    cost more than its queries. Same name, attributes, option groups and selection.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], _attrs_html(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            parts.extend(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    str(option["value"]),
                    _attrs_html(option["attrs"]),
                    option["label"],
                )
                for option in options
            )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("\n  ".join(parts))  # noqa: S308 (each part went through format_html)
