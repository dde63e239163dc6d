import django_tables2 as tables
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from accord.core.tables import set_priorities

from .models import JournalEntry

ATTRS = {"class": "table table-sm table-hover align-middle"}


class JournalEntryTable(tables.Table):
    date = tables.DateColumn(short=True, linkify=True, verbose_name=_("Date"))
    kind = tables.Column(verbose_name=_("Kind"))
    record = tables.Column(
        empty_values=(), orderable=False, accessor="assigned_object", verbose_name=_("Record")
    )
    text = tables.Column(verbose_name=_("Text"), orderable=False)
    author = tables.Column(verbose_name=_("Author"), order_by=("author__username",))
    classification = tables.Column(verbose_name=_("Classification"))

    class Meta:
        model = JournalEntry
        fields = ["date", "kind", "record", "text", "author", "classification"]
        attrs = ATTRS
        order_by = ("-date",)
        empty_text = _("No journal entry matches these filters.")

    def render_record(self, record):
        obj = record.assigned_object  # prefetched through the policy
        if obj is None:
            return "—"
        return format_html(
            '<span class="badge text-bg-light">{}</span> <a href="{}">{}</a>',
            obj._meta.verbose_name.capitalize(),
            obj.get_absolute_url(),
            obj,
        )

    def render_text(self, value):
        return Truncator(value).words(30)

    def render_author(self, value):
        return value.get_username()


# On a phone: the date, the record and the text.
set_priorities(JournalEntryTable, kind=2, author=2, classification=3)
