"""The search index: one entry per record of a registered kind, with its facets.

The full-text part lives beside these tables, made by the migrations for the database in use
(backends.py): an FTS5 table over the entries' title and body on SQLite, a weighted tsvector
column with a GIN index on PostgreSQL.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    """What the search finds of one record: its kind and id, its text, its link and year."""

    kind = models.CharField(_("kind"), max_length=40)
    object_id = models.PositiveBigIntegerField(_("record"))
    title = models.TextField(_("title"))
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("address"), max_length=500)
    year = models.SmallIntegerField(_("year"), null=True, blank=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique_record")
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id}: {self.title[:60]}"


class SearchEntryTheme(models.Model):
    """A theme an entry is tagged with (an id: a theme deleted since just drops out)."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="themes")
    theme_id = models.PositiveBigIntegerField()

    class Meta:
        verbose_name = _("search entry theme")
        indexes = [models.Index(fields=["theme_id", "entry"], name="search_theme_entry")]

    def __str__(self):
        return f"{self.entry_id}: theme {self.theme_id}"


class SearchEntryOrganization(models.Model):
    """An organization an entry names (host, participant, owner...), by id."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="organizations")
    organization_id = models.PositiveBigIntegerField()

    class Meta:
        verbose_name = _("search entry organization")
        indexes = [models.Index(fields=["organization_id", "entry"], name="search_org_entry")]

    def __str__(self):
        return f"{self.entry_id}: organization {self.organization_id}"


class SearchFts(models.Model):
    """The SQLite FTS5 table over the entries (external content: the text stays in
    search_searchentry, triggers keep the two in step). Only queried on SQLite."""

    entry = models.OneToOneField(
        SearchEntry,
        primary_key=True,
        db_column="rowid",
        on_delete=models.DO_NOTHING,
        related_name="+",
    )

    class Meta:
        managed = False
        db_table = "search_fts"

    def __str__(self):
        return f"search_fts {self.pk}"
