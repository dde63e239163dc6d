"""Sentence embeddings of practices and requests, for "similar practices" (accord[semantic]).

One row per record, keyed by the record's id. No database constraint ties a row to its
record, and a delete does not cascade to it: a record's delete (and its confirm page, and the
"recently deleted" entry) stays about what a person wrote. The row goes with its record's
post_delete signal, and `accord embed` removes any left behind (semantic.py).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EmbeddingFields(models.Model):
    """What each stored vector keeps: the vector, and the hash of the text it was made from."""

    # float32, little-endian, normalized: semantic.DIMENSIONS of them.
    vector = models.BinaryField(_("vector"))
    # sha256 of the model's name and the text embedded: a changed text (or model) is stale.
    text_hash = models.CharField(_("text hash"), max_length=64)
    updated = models.DateTimeField(_("updated"), db_index=True)

    class Meta:
        abstract = True


class PracticeEmbedding(EmbeddingFields):
    """A practice's sentence embedding: what its similar practices are found by."""

    practice = models.OneToOneField(
        "knowledge.Practice",
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("practice"),
    )

    class Meta:
        verbose_name = _("practice embedding")
        verbose_name_plural = _("practice embeddings")

    def __str__(self):
        return f"practice {self.practice_id}"


class RequestEmbedding(EmbeddingFields):
    """A request's sentence embedding: the practices similar to what it asks."""

    request = models.OneToOneField(
        "knowledge.Request",
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("request"),
    )

    class Meta:
        verbose_name = _("request embedding")
        verbose_name_plural = _("request embeddings")

    def __str__(self):
        return f"request {self.request_id}"
