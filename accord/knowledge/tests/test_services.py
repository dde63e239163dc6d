"""The write path: validation, versions, history, the share log, requests and their emails."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from accord.core.choices import Classification
from accord.core.exceptions import ConflictError
from accord.knowledge import services
from accord.knowledge.models import Commitment, Practice, PracticeShare, Request

day = datetime.date


def test_a_practice_is_created_changed_and_deleted_with_history(world, kw):
    editor = world.users.editor
    practice = services.practice_create(
        actor=editor,
        kind="experience",
        title="Border management training",
        themes=[kw.rights],
        phases=["crisis_management"],
        recipient_organizations=[world.sco],
    )
    assert practice.version == 1
    updated = services.practice_update(
        actor=editor, practice=practice, expected_version=1, title="Border training", themes=[]
    )
    assert updated.version == 2 and list(updated.themes.all()) == []
    entries = list(Practice.history.filter(id=practice.pk).order_by("history_id"))
    assert [e.history_type for e in entries] == ["+", "~"]
    assert entries[-1].history_user == editor
    with pytest.raises(ConflictError):
        services.practice_update(actor=editor, practice=practice, expected_version=1, title="x")
    services.practice_delete(actor=editor, practice=updated, expected_version=2)
    assert not Practice.objects.filter(pk=practice.pk).exists()


@pytest.mark.parametrize(
    "phases", [["early_warning", "early_warning"], ["dawn"], "early_warning", [1]]
)
def test_phases_are_a_list_of_known_phases(world, phases):
    with pytest.raises(ValidationError) as exc:
        services.practice_create(actor=None, kind="experience", title="x", phases=phases)
    assert "phases" in exc.value.message_dict


def test_only_editors_write(world, kw):
    for role in ("viewer", "partner"):
        with pytest.raises(PermissionDenied):
            services.practice_create(actor=getattr(world.users, role), kind="experience", title="x")
        with pytest.raises(PermissionDenied):
            services.commitment_create(
                actor=getattr(world.users, role), document=world.doc, text="x"
            )


def test_sharing_a_practice_logs_it_and_shares_an_internal_one(world, kw):
    editor = world.users.editor
    share = services.practice_share(
        actor=editor, practice=kw.internal, organization=world.sco, shared_on=day(2024, 5, 1)
    )
    assert share.shared_by == editor and share.organization == world.sco
    practice = Practice.objects.get(pk=kw.internal.pk)
    assert list(practice.shared_with.all()) == [world.sco]
    assert practice.version == 2
    assert practice.history.latest("history_id").history_change_reason.startswith("Shared with")
    # A second share with the same organization is logged, and shares nothing new.
    services.practice_share(actor=editor, practice=kw.internal, organization=world.sco)
    assert PracticeShare.objects.filter(practice=kw.internal).count() == 2
    assert Practice.objects.get(pk=kw.internal.pk).version == 2


def test_a_restricted_practice_is_not_shared(world, kw):
    with pytest.raises(ValidationError) as exc:
        services.practice_share(
            actor=world.users.editor, practice=kw.restricted, organization=world.un
        )
    assert "practice" in exc.value.message_dict
    assert not kw.restricted.shares.exists()


def test_a_partner_submits_a_request_for_their_own_organization(
    world, kw, django_capture_on_commit_callbacks, settings
):
    settings.ACCORD_REQUEST_NOTIFY = ["office@example.org"]
    partner = world.users.partner
    with django_capture_on_commit_callbacks(execute=True):
        request = services.request_submit(
            actor=partner,
            kind="study_visit",
            subject="Study visit on border management",
            description="Two days in Vienna.",
            phases=["conflict_prevention"],
        )
    assert request.organization == world.un
    assert request.classification == Classification.INTERNAL
    assert list(request.shared_with.all()) == [world.un]
    assert request.status == "received" and request.submitted_by == partner
    assert request.history.get().history_user == partner
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["office@example.org"]
    assert "UN" in message.subject and "Study visit on border management" in message.subject


def test_a_partner_cannot_submit_for_another_organization(world, kw):
    with pytest.raises(ValidationError) as exc:
        services.request_submit(
            actor=world.users.partner, kind="information", subject="x", organization=world.sco
        )
    assert "organization" in exc.value.message_dict
    for role in ("viewer", "editor"):
        with pytest.raises(PermissionDenied):
            services.request_submit(
                actor=getattr(world.users, role), kind="information", subject="x"
            )


def test_no_mail_before_the_commit_and_none_if_it_rolls_back(
    world, kw, django_capture_on_commit_callbacks, settings
):
    settings.ACCORD_REQUEST_NOTIFY = ["office@example.org"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.request_submit(actor=world.users.partner, kind="training", subject="Training")
    # Nothing is sent yet; the mail is one of what waits for the commit (with accord[semantic]
    # the vectors' refresh waits too), and it is sent once that runs.
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert [m.subject for m in mail.outbox] == ["New request from UN: Training"]
    mail.outbox.clear()
    # A refused request sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(ValidationError):
            services.request_submit(actor=world.users.partner, kind="bogus", subject="x")
    assert mail.outbox == []


def test_the_office_defaults_to_administrators_and_editors(
    world, kw, django_capture_on_commit_callbacks, settings
):
    settings.ACCORD_REQUEST_NOTIFY = []
    for role, email in (("admin", "a@example.org"), ("editor", "e@example.org")):
        user = getattr(world.users, role)
        user.email = email
        user.save()
    world.users.viewer.email = "v@example.org"
    world.users.viewer.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.request_submit(actor=world.users.partner, kind="training", subject="Training")
    assert sorted(mail.outbox[0].to) == ["a@example.org", "e@example.org"]


def test_answering_a_request_logs_the_practices_shared(world, kw):
    editor = world.users.editor
    answered = services.request_answer(
        actor=editor,
        request=kw.sco_request,
        expected_version=1,
        answer="See the *handbook*.",
        shared_practices=[kw.shared],
        shared_documents=[world.doc],
    )
    assert answered.status == "answered" and answered.answered_on is not None
    assert "<em>handbook</em>" in answered.answer_html()
    assert list(answered.shared_practices.all()) == [kw.shared]
    share = PracticeShare.objects.get(practice=kw.shared, organization=world.sco)
    assert share.shared_on == answered.answered_on
    assert world.sco in Practice.objects.get(pk=kw.shared.pk).shared_with.all()
    # Back to "in progress": the answer date goes.
    reopened = services.request_update(
        actor=editor, request=answered, expected_version=answered.version, status="in_progress"
    )
    assert reopened.answered_on is None


def test_request_dates_are_checked(world, kw):
    with pytest.raises(ValidationError) as exc:
        services.request_create(
            actor=None,
            notify=False,
            kind="information",
            organization=world.un,
            subject="x",
            received=day(2024, 5, 1),
            due=day(2024, 4, 1),
        )
    assert "due" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.request_create(
            actor=None,
            notify=False,
            kind="information",
            organization=world.sco,
            person=world.shared_person,
            subject="x",
        )
    assert "person" in exc.value.message_dict
    with pytest.raises(ConflictError):
        services.request_update(
            actor=None, request=kw.un_request, expected_version=7, subject="Stale"
        )


def test_commitments_are_ordered_linked_and_unlinked_with_history(world, kw, mw):
    editor = world.users.editor
    second = services.commitment_create(actor=editor, document=world.doc, text="Second")
    assert second.order == kw.commitment.order + 1
    linked = services.commitment_link(actor=editor, commitment=second, record=mw.internal)
    assert list(linked.meetings.all()) == [mw.internal] and linked.version == 2
    again = services.commitment_link(actor=editor, commitment=linked, record=mw.internal)
    assert again.version == 2
    services.commitment_link(actor=editor, commitment=linked, record=kw.shared)
    current = Commitment.objects.get(pk=second.pk)
    unlinked = services.commitment_unlink(actor=editor, commitment=current, record=mw.internal)
    assert list(unlinked.meetings.all()) == [] and list(unlinked.practices.all()) == [kw.shared]
    reasons = [h.history_change_reason for h in unlinked.history.order_by("history_id")]
    assert reasons[1].startswith("Linked") and reasons[-1].startswith("Unlinked")
    with pytest.raises(ValidationError):
        services.commitment_link(actor=editor, commitment=unlinked, record=world.un)
    with pytest.raises(ValidationError) as exc:
        services.commitment_create(
            actor=editor, document=world.doc, reference="Chapter VIII, para 3", text="Twice"
        )
    assert "The document already has a commitment at this place." in str(exc.value)
    services.commitment_delete(actor=editor, commitment=unlinked, expected_version=4)
    assert not Commitment.objects.filter(pk=second.pk).exists()


def test_deleting_a_request_takes_it_out_of_commitments_and_can_be_undone(world, kw):
    from accord.core.services import restore_deletion

    deletion = services.request_delete(actor=world.users.editor, request=kw.un_request)
    assert kw.un_request.pk not in kw.commitment.requests.values_list("pk", flat=True)
    restore_deletion(deletion, actor=world.users.editor)
    assert Request.objects.filter(pk=kw.un_request.pk).exists()
