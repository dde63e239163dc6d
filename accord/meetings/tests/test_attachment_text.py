"""A meeting's files are read when they are uploaded, and the search finds the meeting by
their text, only for those who see the meeting; a file that cannot be read is refused with
nothing stored."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from accord.core.models import Deletion
from accord.core.services import restore_deletion
from accord.core.tests import sample_files
from accord.meetings import services
from accord.meetings.models import Attachment
from accord.search.models import SearchEntry
from accord.search.selectors import search

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_storage(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


def found(user, text):
    return [(hit.kind, hit.id) for hit in search(user, text).hits]


def test_a_meeting_is_found_by_the_text_of_its_files(world, mw):
    editor = world.users.editor
    pdf = ContentFile(sample_files.pdf_bytes("Axolotl agreement"), name="Minutes.pdf")
    attachment = services.attachment_create(actor=editor, meeting=mw.public, file=pdf)
    assert attachment.text == "Axolotl agreement"
    word = ContentFile(
        sample_files.docx_bytes("Brief", table=[["Topic", "Pangolin"]]), name="Brief.docx"
    )
    services.attachment_create(actor=editor, meeting=mw.public, file=word)
    assert found(world.users.viewer, "axolotl") == [("meeting", mw.public.pk)]
    assert found(world.users.viewer, "pangolin") == [("meeting", mw.public.pk)]
    services.attachment_delete(actor=editor, attachment=attachment)
    assert found(world.users.viewer, "axolotl") == []
    restore_deletion(Deletion.objects.latest("pk"), actor=editor)
    assert found(world.users.viewer, "axolotl") == [("meeting", mw.public.pk)]


def test_a_restricted_meetings_file_is_not_found_by_a_viewer(world, mw):
    file = ContentFile(b"Narwhal protocol", name="Notes.txt")
    services.attachment_create(actor=None, meeting=mw.restricted, file=file)
    result = search(world.users.viewer, "narwhal")
    assert result.count == 0 and result.hits == []
    assert all(values == [] for values in result.facets.values())
    assert found(world.users.admin, "narwhal") == [("meeting", mw.restricted.pk)]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("Minutes.pdf", sample_files.encrypted_pdf_bytes(), "“Minutes.pdf” is encrypted"),
        ("Minutes.pdf", sample_files.broken_pdf_bytes(), "could not be read as a PDF file"),
        ("Brief.docx", sample_files.broken_docx_bytes(), "could not be read as a Word document"),
    ],
)
def test_an_unreadable_file_is_refused_with_nothing_stored(world, mw, name, content, message):
    before = sorted(SearchEntry.objects.values_list("kind", "object_id", "body"))
    with pytest.raises(ValidationError) as caught:
        services.attachment_create(
            actor=None, meeting=mw.public, file=ContentFile(content, name=name)
        )
    assert message in caught.value.message_dict["file"][0]
    assert not Attachment.objects.exists()
    with pytest.raises(FileNotFoundError):
        default_storage.listdir(f"meetings/{mw.public.pk}")
    assert sorted(SearchEntry.objects.values_list("kind", "object_id", "body")) == before
