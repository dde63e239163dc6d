"""The full-text engines behind one interface: SQLite FTS5 and PostgreSQL's tsvector.

Each engine gives a queryset of matching rows from which the entry's fields are reached
through `prefix` (the visibility, filters and facets are written once, in selectors.py, on
that queryset), and annotates a page of it with `rank` (smaller is better) and `snippet`
(the body's best passage, the hits between HIT_START and HIT_END). The query only ever
reaches the engine as values: FTS5 gets a MATCH string the parser built of quoted tokens,
PostgreSQL gets each term as a parameter of plainto_tsquery / phraseto_tsquery.
"""

from __future__ import annotations

from django.db import connection, models
from django.db.models.expressions import RawSQL

from .models import SearchEntry, SearchFts
from .query import Query

# Marks around a hit in a snippet: control characters, taken out of every indexed text
# (index.clean_text), so that the page can escape the snippet and then mark the hits.
HIT_START = "\x02"
HIT_END = "\x03"
ELLIPSIS = "…"
# A title hit counts this many times a body hit.
TITLE_WEIGHT = 10.0
SNIPPET_WORDS = 24


class Backend:
    prefix = ""

    def matching(self, query: Query) -> models.QuerySet:
        raise NotImplementedError

    def ranked(self, queryset: models.QuerySet, query: Query) -> models.QuerySet:
        raise NotImplementedError


class SQLiteBackend(Backend):
    """FTS5 over the entries' title and body (migration 0002), ranked by bm25."""

    prefix = "entry__"

    def matching(self, query: Query) -> models.QuerySet:
        match = RawSQL(  # noqa: S611 - our SQL; the query comes in as parameters
            '"search_fts" MATCH %s', [query.fts5()], output_field=models.BooleanField()
        )
        return SearchFts.objects.filter(match)

    def ranked(self, queryset, query):
        return queryset.annotate(
            rank=RawSQL(  # noqa: S611 - our SQL; the query comes in as parameters
                'bm25("search_fts", %s, 1.0)', [TITLE_WEIGHT], output_field=models.FloatField()
            ),
            snippet=RawSQL(  # noqa: S611 - our SQL; the query comes in as parameters
                'snippet("search_fts", 1, %s, %s, %s, %s)',
                [HIT_START, HIT_END, ELLIPSIS, SNIPPET_WORDS],
                output_field=models.TextField(),
            ),
        ).order_by("rank", "entry_id")


class PostgreSQLBackend(Backend):
    """The entries' stored tsvector (title A, body B, English) with its GIN index."""

    prefix = ""

    @staticmethod
    def tsquery(query: Query) -> tuple[str, list]:
        parts, params = [], []
        for term in query.terms:
            function = "phraseto_tsquery" if term.is_phrase else "plainto_tsquery"
            parts.append(f"{function}('english'::regconfig, %s)")
            params.append(term.text)
        return "(" + " && ".join(parts) + ")", params

    def matching(self, query: Query) -> models.QuerySet:
        sql, params = self.tsquery(query)
        match = RawSQL(  # noqa: S611 - our SQL; the query comes in as parameters
            f'"search_searchentry"."document" @@ {sql}', params, output_field=models.BooleanField()
        )
        return SearchEntry.objects.filter(match)

    def ranked(self, queryset, query):
        sql, params = self.tsquery(query)
        # Weights of {D, C, B, A}: the body (B) a tenth of the title (A). Negated, so that
        # smaller is better on both engines.
        weights = "{0, 0, %s, 1}" % (1 / TITLE_WEIGHT)
        options = (
            f"StartSel={HIT_START}, StopSel={HIT_END}, MaxWords={SNIPPET_WORDS}, MinWords=8, "
            f'MaxFragments=2, FragmentDelimiter=" {ELLIPSIS} "'
        )
        return queryset.annotate(
            rank=RawSQL(  # noqa: S611 - our SQL; the query comes in as parameters
                f'-ts_rank(%s::float4[], "search_searchentry"."document", {sql})',
                [weights, *params],
                output_field=models.FloatField(),
            ),
            snippet=RawSQL(  # noqa: S611 - our SQL; the query comes in as parameters
                f'ts_headline(\'english\'::regconfig, "search_searchentry"."body", {sql}, %s)',
                [*params, options],
                output_field=models.TextField(),
            ),
        ).order_by("rank", "pk")


def backend() -> Backend:
    if connection.vendor == "postgresql":
        return PostgreSQLBackend()
    if connection.vendor == "sqlite":
        return SQLiteBackend()
    raise NotImplementedError(f"No search engine for {connection.vendor}.")
