"""The search through the selector: stems, phrases, ranking, snippets, facets, visibility, and
an index that follows every write in the writer's transaction."""

import datetime

import pytest
from django.core.management import call_command
from django.db import transaction

from accord.core import services as core
from accord.core.choices import Classification
from accord.meetings import services as meetings
from accord.meetings.models import Meeting
from accord.registry import services as registry
from accord.search import index
from accord.search.models import SearchEntry, SearchEntryOrganization, SearchEntryTheme
from accord.search.selectors import Filters, highlight, search

pytestmark = pytest.mark.django_db


def at(*args):
    return datetime.datetime(*args, tzinfo=datetime.UTC)


def found(user, text, **filters):
    return [(hit.kind, hit.id) for hit in search(user, text, filters=Filters(**filters)).hits]


def titles(user, text, **filters):
    return [hit.title for hit in search(user, text, filters=Filters(**filters), limit=100).hits]


def meeting(title, **fields):
    values = {
        "format": "bilateral",
        "start": at(2022, 6, 1, 9),
        "end": at(2022, 6, 1, 10),
        "classification": Classification.PUBLIC,
    }
    values.update(fields)
    return meetings.meeting_create(actor=None, title=title, **values)


def test_a_stem_finds_its_forms(world, mw):
    meeting("Talks on the mediation of disputes")
    admin = world.users.admin
    assert titles(admin, "mediate") == ["Talks on the mediation of disputes"]
    assert titles(admin, "MEDIATING disputes") == ["Talks on the mediation of disputes"]


def test_a_phrase_needs_its_words_in_order(world, mw):
    meeting("Early warning and late action")
    meeting("Warning: early start")
    admin = world.users.admin
    assert "Early warning and late action" in titles(admin, '"early warning"')
    assert "Warning: early start" not in titles(admin, '"early warning"')
    assert "Warning: early start" in titles(admin, "early warning")


def test_title_hits_come_before_body_hits(world, mw):
    meeting("Annual review", minutes="Much about cybersecurity, cybersecurity and more.")
    meeting("Cybersecurity consultations")
    assert titles(world.users.admin, "cybersecurity")[:2] == [
        "Cybersecurity consultations",
        "Annual review",
    ]


def test_snippets_mark_the_hits_and_escape_the_text(world, mw):
    meeting("Workshop", minutes="Talks about <script>alert(1)</script> and border management.")
    [hit] = search(world.users.admin, "border").hits
    assert "<mark>border</mark>" in hit.snippet
    # SQLite gives the text as it is, escaped here; PostgreSQL's ts_headline drops the tags.
    assert "<" not in hit.snippet.replace("<mark>", "").replace("</mark>", "")


def test_highlight_escapes_all_but_its_own_marks():
    html = highlight('a <b onclick="x">&</b> \x02hit\x03')
    assert html == "a &lt;b onclick=&quot;x&quot;&gt;&amp;&lt;/b&gt; <mark>hit</mark>"


def test_marks_typed_into_a_record_are_not_taken_for_hits(world, mw):
    # The models refuse control characters; a write that bypasses them is cleaned when indexed.
    m = meeting("Workshop")
    Meeting.objects.filter(pk=m.pk).update(minutes="Odd \x02characters\x03 and border talks.")
    index.reindex(m)
    [hit] = search(world.users.admin, "border").hits
    assert hit.snippet.count("<mark>") == 1


def test_a_restricted_meeting_is_never_found_or_counted(world, mw):
    for user in (world.users.viewer, world.users.partner, mw.sco_partner):
        result = search(user, "RESTRICTED")
        assert result.count == 0
        assert result.hits == []
        assert all(values == [] for values in result.facets.values()), user
        # Its agenda and outcome, within the meeting's document and on their own: hidden too.
        assert search(user, "RESTRICTED-OUTCOME").count == 0
    admin = search(world.users.admin, "RESTRICTED")
    kinds = {hit.kind for hit in admin.hits}
    assert {"meeting", "outcome", "action", "document", "person"} <= kinds


def test_facets_count_only_what_the_user_sees(world, mw):
    meeting("Security dialogue one", classification=Classification.PUBLIC, themes=[mw.rights])
    meeting(
        "Security dialogue two",
        classification=Classification.RESTRICTED,
        themes=[mw.rights],
        organizations=[world.sco],
        start=at(2019, 1, 1, 9),
        end=at(2019, 1, 1, 10),
    )
    viewer = search(world.users.viewer, "security dialogue")
    assert viewer.count == 1
    facets = {name: {v.value: v.count for v in values} for name, values in viewer.facets.items()}
    assert facets["kind"] == {"meeting": 1}
    assert facets["theme"] == {mw.rights.pk: 1}
    assert facets["year"] == {2022: 1}
    assert world.sco.pk not in facets["organization"]
    editor = search(world.users.editor, "security dialogue")
    assert editor.count == 2
    assert {v.value: v.count for v in editor.facets["year"]} == {2022: 1, 2019: 1}


def test_a_partner_sees_what_is_shared_with_its_organization(world, mw):
    assert found(world.users.partner, "UN-SHARED-MEETING") == [("meeting", mw.shared.pk)]
    assert found(mw.sco_partner, "UN-SHARED-MEETING") == []
    assert found(world.users.partner, "INTERNAL-MEETING") == []
    assert found(world.users.viewer, "INTERNAL-MEETING") == [("meeting", mw.internal.pk)]


def test_filters_narrow_the_hits_and_each_facet_keeps_its_choices(world, mw):
    meeting("Border talks", themes=[mw.rights], organizations=[world.un])
    registry.document_create(
        actor=None, key="border-doc", title="Border document", year=2001, kind="other",
        classification=Classification.PUBLIC,
    )  # fmt: skip
    admin = world.users.admin
    assert titles(admin, "border", kind="document") == ["Border document"]
    assert titles(admin, "border", theme=mw.rights.pk) == ["Border talks"]
    assert titles(admin, "border", organization=world.un.pk) == ["Border talks"]
    assert titles(admin, "border", year=2001) == ["Border document"]
    result = search(admin, "border", filters=Filters(kind="document"))
    assert {v.value for v in result.facets["kind"]} == {"meeting", "document"}
    assert search(admin, "border", filters=Filters(kind="nothing")).count == 0


def test_paging(world, mw):
    for n in range(5):
        meeting(f"Paging meeting {n}")
    first = search(world.users.admin, "paging", limit=2)
    second = search(world.users.admin, "paging", limit=2, offset=2)
    assert first.count == second.count == 5
    assert len(first.hits) == len(second.hits) == 2
    assert not {h.id for h in first.hits} & {h.id for h in second.hits}
    assert search(world.users.admin, "paging", offset=10).hits == []


def test_a_user_without_a_role_finds_nothing(world, mw):
    assert search(world.users.norole, "talks").count == 0


# ---------------------------------------------------------------- the index follows the writes


def test_the_index_follows_create_update_and_delete(world, mw):
    admin = world.users.admin
    m = meeting("Maritime security talks")
    assert found(admin, "maritime") == [("meeting", m.pk)]
    m = meetings.meeting_update(
        actor=None, meeting=m, expected_version=m.version, title="Riverine security talks"
    )
    assert found(admin, "maritime") == []
    assert found(admin, "riverine") == [("meeting", m.pk)]
    item = meetings.agenda_item_create(actor=None, meeting=m, title="Hydrography")
    assert found(admin, "hydrography") == [("meeting", m.pk)]
    outcome = meetings.outcome_create(
        actor=None, agenda_item=item, kind="decision", text="Chart the estuary"
    )
    assert set(found(admin, "estuary")) == {("meeting", m.pk), ("outcome", outcome.pk)}
    meetings.outcome_delete(actor=None, outcome=outcome)
    assert found(admin, "estuary") == []
    meetings.meeting_delete(actor=None, meeting=Meeting.objects.get(pk=m.pk))
    assert found(admin, "riverine") == []
    assert not SearchEntry.objects.filter(kind="meeting", object_id=m.pk).exists()


def test_themes_and_organizations_follow_their_links(world, mw):
    m = meeting("Links meeting")
    entry = SearchEntry.objects.get(kind="meeting", object_id=m.pk)
    assert not SearchEntryTheme.objects.filter(entry=entry).exists()
    m = meetings.meeting_update(
        actor=None, meeting=m, expected_version=m.version, themes=[mw.rights],
        organizations=[world.un], host_organization=world.osce,
    )  # fmt: skip
    assert set(SearchEntryTheme.objects.filter(entry=entry).values_list("theme_id", flat=True)) == {
        mw.rights.pk
    }
    orgs = SearchEntryOrganization.objects.filter(entry=entry).values_list(
        "organization_id", flat=True
    )
    assert set(orgs) == {world.un.pk, world.osce.pk}
    # From the other side of the link too.
    mw.rights.meetings.remove(m)
    assert not SearchEntryTheme.objects.filter(entry=entry).exists()


def test_a_write_rolled_back_leaves_the_index_as_it_was(world, mw):
    with pytest.raises(RuntimeError), transaction.atomic():
        meeting("Doomed meeting")
        assert found(world.users.admin, "doomed")
        raise RuntimeError
    assert found(world.users.admin, "doomed") == []


def test_an_undone_deletion_comes_back_into_the_index(world, mw):
    admin = world.users.admin
    deletion = meetings.meeting_delete(actor=None, meeting=mw.public)
    assert found(admin, '"Staff talks 2024"') == []
    assert found(admin, "contacts") == [("action", mw.action.pk)] or found(admin, "contacts") == []
    core.restore_deletion(deletion, actor=admin)
    assert ("meeting", mw.public.pk) in found(admin, '"Staff talks 2024"')
    assert ("outcome", mw.outcome.pk) in found(admin, "exchange contacts")
    entry = SearchEntry.objects.get(kind="meeting", object_id=mw.public.pk)
    assert SearchEntryTheme.objects.filter(entry=entry, theme_id=mw.rights.pk).exists()


def test_a_restored_version_is_what_the_index_holds(world, mw):
    admin = world.users.admin
    doc = registry.document_update(
        actor=None, document=world.doc, expected_version=world.doc.version,
        title="Helsinki Final Act",
    )  # fmt: skip
    assert found(admin, "final act") == [("document", doc.pk)]
    first = doc.history.order_by("history_id").first()
    core.restore(doc, actor=admin, history_id=first.history_id, expected_version=doc.version)
    assert found(admin, "final act") == []
    assert found(admin, '"Helsinki Document"') == [("document", doc.pk)]


def test_reindex_and_remove_for_writes_that_bypass_signals(world, mw):
    Meeting.objects.filter(pk=mw.internal.pk).update(title="Quietly renamed")
    assert found(world.users.admin, "quietly") == []
    index.reindex(Meeting.objects.get(pk=mw.internal.pk))
    assert found(world.users.admin, "quietly") == [("meeting", mw.internal.pk)]
    index.remove(Meeting.objects.get(pk=mw.internal.pk))
    assert found(world.users.admin, "quietly") == []


def snapshot():
    entries = SearchEntry.objects.order_by("kind", "object_id")
    return [
        (
            e.kind,
            e.object_id,
            e.title,
            e.body,
            e.url,
            e.year,
            sorted(e.themes.values_list("theme_id", flat=True)),
            sorted(e.organizations.values_list("organization_id", flat=True)),
        )
        for e in entries
    ]


def test_accord_reindex_rebuilds_the_same_index(world, mw, capsys):
    before = snapshot()
    hits = found(world.users.admin, "talks")
    SearchEntry.objects.all().delete()
    assert found(world.users.admin, "talks") == []
    call_command("reindex")
    out = capsys.readouterr().out
    assert "meeting" in out and "entries indexed" in out
    assert snapshot() == before
    assert found(world.users.admin, "talks") == hits


def test_accord_reindex_one_kind(world, mw, capsys):
    before = snapshot()
    call_command("reindex", "--kind", "meeting")
    assert snapshot() == before
    assert capsys.readouterr().out.startswith("meeting")


def test_migrate_indexes_the_kinds_that_have_records_but_no_entries(world, mw):
    before = snapshot()
    SearchEntry.objects.filter(kind__in=["meeting", "person"]).delete()
    index.fill_missing_kinds()
    assert snapshot() == before
