"""The demo knowledge (accord/knowledge/demo.py): sourced commitments, samples, idempotent."""

import io

import pytest
from django.test import TestCase

from accord.core import extensions
from accord.importers.demo import load_demo
from accord.knowledge import demo, selectors
from accord.knowledge.models import Commitment, Practice, Request
from accord.registry.models import FrameworkDocument


class DemoKnowledgeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo()
        cls.report = demo.load()

    def test_every_document_of_the_workspace_named_has_commitments_with_sources(self):
        keys = set(Commitment.objects.values_list("document__key", flat=True))
        assert {
            "helsinki-1975",
            "helsinki-1992",
            "platform-1999",
            "bucharest-2001",
            "maastricht-2003",
        } <= keys
        assert not Commitment.objects.filter(source="").exists()
        assert all(
            s.startswith("http") for s in Commitment.objects.values_list("source", flat=True)
        )

    def test_bucharest_names_the_partners_outside_the_osce_area(self):
        document = FrameworkDocument.objects.get(key="bucharest-2001")
        named = set(
            Commitment.objects.filter(document=document).values_list(
                "organizations__acronym", flat=True
            )
        )
        assert {"SCO", "CICA", "OIC", "LAS", "AU"} <= named

    def test_practices_and_requests_are_samples_and_say_so(self):
        assert Practice.objects.count() == 3 and Request.objects.count() == 2
        assert not Practice.objects.filter(is_sample=False).exists()
        assert not Request.objects.filter(is_sample=False).exists()
        assert all("(sample)" in t for t in Practice.objects.values_list("title", flat=True))
        answered = Request.objects.get(status="answered")
        assert answered.shared_practices.count() == 1 and answered.answered_on is not None

    def test_a_second_load_writes_nothing(self):
        history = sum(m.history.count() for m in (Commitment, Practice, Request))
        report = demo.load()
        assert not report.changed
        assert sum(m.history.count() for m in (Commitment, Practice, Request)) == history

    def test_the_loader_is_registered_after_the_meetings(self):
        keys = [loader.key for loader in extensions.registry.demo_loaders()]
        assert keys.index("knowledge") > keys.index("meetings")
        out = io.StringIO()
        demo.load_demo_knowledge(stdout=out)
        assert "already up to date" in out.getvalue()

    def test_the_bucharest_commitment_shows_engagement_with_each_partner(self):
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.create_superuser("demo-admin", password="x" * 20)
        commitment = Commitment.objects.get(organizations__acronym="CICA")
        rows = selectors.commitment_engagements(user, commitment)
        assert [r["organization"].acronym for r in rows] == ["AU", "CICA", "LAS", "OIC", "SCO"]
        sco = rows[-1]
        assert sco["requests"] == 1 and sco["since"].year == 2001
        assert [a.kind for a in selectors.commitment_activities(user, commitment)] == [
            "request",
            "practice",
        ]


def test_a_wrong_file_names_each_problem(db, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "commitments:\n  - document: nowhere\n    text: x\n    organizations: [ZZZ]\n"
        "practices:\n  - title: ''\n    kind: nope\n",
        encoding="utf-8",
    )
    with pytest.raises(demo.DemoKnowledgeError) as exc:
        demo.load(bad)
    message = str(exc.value)
    assert "commitments[1]" in message and "nowhere" in message and "ZZZ" in message
    assert "practices[1]" in message and "kind" in message
    assert not Commitment.objects.exists()
