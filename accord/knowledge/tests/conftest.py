"""A small world of practices, requests and commitments on top of the meetings' world."""

import datetime
from types import SimpleNamespace

import pytest

from accord.core.choices import Classification
from accord.knowledge import services
from accord.meetings.tests.conftest import build_meetings
from accord.taxonomy.models import Theme

day = datetime.date


def build_knowledge(world, mw):
    """Practices, requests and commitments of every classification, linked to hidden records.

    - practices: `public` (from the UN, shared with the UN and the SCO in the log),
      `shared` (internal, shared with the UN: "UN-SHARED-PRACTICE"), `internal` (shared with
      nobody: "INTERNAL-PRACTICE"), `restricted` ("RESTRICTED-PRACTICE");
    - requests: `un_request` (the UN's, internal, shared with the UN), linking a public and
      a restricted practice, document, meeting and action; `sco_request` (the SCO's, public:
      "SCO-PUBLIC-REQUEST", which the UN's focal point never sees); `restricted_request`
      ("RESTRICTED-REQUEST", the UN's);
    - commitments: `commitment` on the public Helsinki document, naming the UN and the SCO
      and linked to visible and hidden activities; `secret_commitment` on the restricted
      document ("RESTRICTED-COMMITMENT").
    """
    rights = Theme.objects.get(slug="human-rights")
    public = services.practice_create(
        actor=None,
        kind="best_practice",
        title="Election observation handbook",
        summary="How observers are trained.",
        body="**Observers** are trained for a week. <script>alert(1)</script>",
        themes=[rights],
        phases=["conflict_prevention"],
        source_organization=world.un,
        recipient_organizations=[world.sco],
        region="Central Asia",
        date=day(2023, 5, 1),
        classification=Classification.PUBLIC,
    )
    shared = services.practice_create(
        actor=None,
        kind="experience",
        title="UN-SHARED-PRACTICE",
        date=day(2022, 1, 1),
        classification=Classification.INTERNAL,
        shared_with=[world.un],
    )
    internal = services.practice_create(
        actor=None,
        kind="lesson_learned",
        title="INTERNAL-PRACTICE",
        date=day(2021, 1, 1),
        classification=Classification.INTERNAL,
    )
    restricted = services.practice_create(
        actor=None,
        kind="lesson_learned",
        title="RESTRICTED-PRACTICE",
        date=day(2024, 2, 1),
        classification=Classification.RESTRICTED,
    )
    un_share = services.practice_share(
        actor=None, practice=public, organization=world.un, shared_on=day(2023, 6, 1)
    )
    sco_share = services.practice_share(
        actor=None,
        practice=public,
        organization=world.sco,
        shared_on=day(2023, 7, 1),
        note="SCO-SHARE-NOTE",
    )
    un_request = services.request_create(
        actor=None,
        notify=False,
        kind="briefing",
        organization=world.un,
        person=world.shared_person,
        subject="Briefing on early warning",
        description="What the Conflict Prevention Centre does.",
        received=day(2024, 1, 10),
        due=day(2024, 3, 1),
        themes=[rights],
        phases=["early_warning"],
        classification=Classification.INTERNAL,
        shared_with=[world.un],
        shared_practices=[public, restricted],
        shared_documents=[world.doc, world.secret_doc],
        meetings=[mw.public, mw.restricted],
        actions=[mw.action, mw.secret_action],
    )
    sco_request = services.request_create(
        actor=None,
        notify=False,
        kind="study_visit",
        organization=world.sco,
        subject="SCO-PUBLIC-REQUEST",
        received=day(2024, 2, 1),
        classification=Classification.PUBLIC,
    )
    restricted_request = services.request_create(
        actor=None,
        notify=False,
        kind="training",
        organization=world.un,
        subject="RESTRICTED-REQUEST",
        received=day(2024, 2, 2),
        classification=Classification.RESTRICTED,
    )
    commitment = services.commitment_create(
        actor=None,
        document=world.doc,
        reference="Chapter VIII, para 3",
        text="Co-operation with the United Nations and regional organizations.",
        themes=[rights],
        organizations=[world.un, world.sco],
        meetings=[mw.public, mw.restricted],
        actions=[mw.action, mw.secret_action],
        practices=[public, restricted],
        requests=[un_request, restricted_request, sco_request],
    )
    secret_commitment = services.commitment_create(
        actor=None,
        document=world.secret_doc,
        reference="1",
        text="RESTRICTED-COMMITMENT",
    )
    return SimpleNamespace(
        rights=rights,
        public=public,
        shared=shared,
        internal=internal,
        restricted=restricted,
        un_share=un_share,
        sco_share=sco_share,
        un_request=un_request,
        sco_request=sco_request,
        restricted_request=restricted_request,
        commitment=commitment,
        secret_commitment=secret_commitment,
    )


@pytest.fixture
def mw(world, django_user_model):
    return build_meetings(world, django_user_model)


@pytest.fixture
def kw(world, mw):
    return build_knowledge(world, mw)
