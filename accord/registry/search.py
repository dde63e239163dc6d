"""What the workspace-wide search finds of the registry: organizations, people and framework
documents (accord/core/extensions.py, register_search_kind). Registered by
RegistryConfig.ready()."""

from __future__ import annotations

from accord.core import extensions
from accord.core.extensions import SearchDocument

from .models import FrameworkDocument, Organization, Person


def organization_document(org: Organization) -> SearchDocument:
    former = [str(name) for name in org.former_names or [] if name]
    return SearchDocument(
        title=f"{org.acronym} — {org.name}",
        body=SearchDocument.join("; ".join(former), org.headquarters, org.description, org.source),
        url=org.get_absolute_url(),
        year=org.founded,
        organizations=(org.pk,),
    )


def person_document(person: Person) -> SearchDocument:
    # Contact details (email, phone) are personal data the search has no need of.
    return SearchDocument(
        title=person.name,
        body=SearchDocument.join(person.title, person.role, person.description),
        url=person.get_absolute_url(),
        organizations=(person.organization_id,),
    )


def document_document(document: FrameworkDocument) -> SearchDocument:
    return SearchDocument(
        title=document.title,
        body=SearchDocument.join(document.place, document.description, document.source),
        url=document.get_absolute_url(),
        year=document.year,
    )


def register_search() -> None:
    extensions.register_search_kind(
        "organization",
        label=Organization._meta.verbose_name,
        model="registry.Organization",
        document=organization_document,
        visible=Organization.objects.visible_to,
        order=10,
    )
    extensions.register_search_kind(
        "person",
        label=Person._meta.verbose_name,
        model="registry.Person",
        document=person_document,
        visible=Person.objects.visible_to,
        order=20,
    )
    extensions.register_search_kind(
        "document",
        label=FrameworkDocument._meta.verbose_name,
        model="registry.FrameworkDocument",
        document=document_document,
        visible=FrameworkDocument.objects.visible_to,
        order=30,
    )
