import datetime

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accord.core.historical import History
from accord.core.models import ClassifiedModel, VersionedModel
from accord.core.names import country_name, region_name
from accord.journal.attach import journal_relation

from .choices import (
    DocumentKind,
    MembershipStatus,
    OrganizationKind,
    PartnershipStatus,
    PartnershipType,
    Priority,
)
from .names import country_search_text, organization_search_text
from .querysets import (
    CountryQuerySet,
    FrameworkDocumentQuerySet,
    MembershipQuerySet,
    OrganizationQuerySet,
    PartnershipQuerySet,
    PersonQuerySet,
)


class Country(VersionedModel):
    """A state, as ISO 3166-1 names it, with the facts analyses need."""

    iso3 = models.CharField(_("ISO 3166-1 alpha-3"), max_length=3, unique=True)
    # A historical state (the German Democratic Republic, Hanover...) has no alpha-2 or numeric
    # code of its own; its alpha-3 is its ISO 3166-3 code, or one of the user-assigned kind.
    iso2 = models.CharField(
        _("ISO 3166-1 alpha-2"), max_length=2, unique=True, null=True, blank=True
    )
    numeric = models.CharField(
        _("ISO 3166-1 numeric"), max_length=3, unique=True, null=True, blank=True
    )
    name = models.CharField(_("name"), max_length=100)
    official_name = models.CharField(_("official name"), max_length=200, blank=True)
    region = models.CharField(_("region"), max_length=50, blank=True)
    subregion = models.CharField(_("sub-region"), max_length=50, blank=True)
    capital = models.CharField(_("capital"), max_length=100, blank=True)
    capital_lat = models.FloatField(_("capital latitude"), null=True, blank=True)
    capital_lng = models.FloatField(_("capital longitude"), null=True, blank=True)
    cow_code = models.PositiveSmallIntegerField(
        _("Correlates of War code"), null=True, blank=True, unique=True
    )
    borders = models.ManyToManyField(
        "self", blank=True, symmetrical=True, verbose_name=_("land borders")
    )
    # A state that no longer exists is kept with its years, never merged into a successor.
    exists_from = models.PositiveSmallIntegerField(_("exists from (year)"), null=True, blank=True)
    exists_to = models.PositiveSmallIntegerField(
        _("exists to (year)"),
        null=True,
        blank=True,
        help_text=_("The last year of a state that no longer exists; empty while it exists."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    # Every name it is found by, folded (see names.py); kept by save(), not typed.
    search_text = models.TextField(_("search names"), blank=True, default="", editable=False)
    # The reviewed corrections applied to package facts: {field: {value, title, url, checked,
    # note}}, shown beside the fact while it still holds the corrected value.
    fact_sources = models.JSONField(_("fact sources"), default=dict, blank=True, editable=False)

    objects = CountryQuerySet.as_manager()
    history = History(m2m_fields=["borders"], excluded_fields=["search_text", "fact_sources"])

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the reader's language (stored in English)."""
        return country_name(self.name)

    @property
    def is_historical(self) -> bool:
        return self.exists_to is not None

    @property
    def display_region(self) -> str:
        return region_name(self.region)

    @property
    def display_subregion(self) -> str:
        return region_name(self.subregion)

    @property
    def display_official_name(self) -> str:
        return country_name(self.official_name)

    def fact_source(self, field: str) -> dict | None:
        """The source of a corrected fact, while the fact still holds the corrected value."""
        source = (self.fact_sources or {}).get(field)
        if isinstance(source, dict) and source.get("value") == getattr(self, field, None):
            try:
                checked = datetime.date.fromisoformat(str(source.get("checked")))
            except ValueError:
                checked = None
            return {**source, "checked_date": checked}
        return None

    @property
    def capital_source(self) -> dict | None:
        return self.fact_source("capital")

    def save(self, *args, **kwargs):
        self.search_text = country_search_text(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "search_text" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "search_text"]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("registry:country_detail", args=[self.iso3])


# An acronym is part of addresses (/organizations/OSCE/): it starts with a letter, so it is
# never read as an id, and holds letters, digits and single - & . _ between them: no "/",
# no "..", no spaces or control characters.
ACRONYM_PATTERN = r"^[^\W\d_](?:[^\W_]|[-&._](?=[^\W_]))*\Z"
acronym_validator = RegexValidator(
    ACRONYM_PATTERN,
    _(
        "An acronym starts with a letter and holds letters and digits, with single - & . _ "
        "between them (no spaces or slashes)."
    ),
    code="acronym",
)

# The words that follow /organizations/ in the application's own addresses.
RESERVED_ACRONYMS = frozenset({"add", "export"})


def acronym_not_reserved(value):
    if value in RESERVED_ACRONYMS:
        raise ValidationError(
            _("“%(value)s” is a word of the application's addresses, not an acronym."),
            code="reserved",
            params={"value": value},
        )


class Organization(VersionedModel):
    """An intergovernmental organization: the home organization or a partner."""

    acronym = models.CharField(
        _("acronym"),
        max_length=20,
        unique=True,
        validators=[acronym_validator, acronym_not_reserved],
    )
    name = models.CharField(_("name"), max_length=200)
    former_names = models.JSONField(_("former names"), default=list, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=OrganizationKind.choices)
    headquarters = models.CharField(_("headquarters"), max_length=100, blank=True)
    headquarters_country = models.ForeignKey(
        Country,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="headquartered",
        verbose_name=_("headquarters country"),
    )
    founded = models.PositiveSmallIntegerField(_("founded (year)"), null=True, blank=True)
    dissolved = models.PositiveSmallIntegerField(_("dissolved (year)"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    # The themes its mandate covers (what comparative advantage starts from).
    mandate_themes = models.ManyToManyField(
        "taxonomy.Theme",
        blank=True,
        related_name="mandated_organizations",
        verbose_name=_("mandate themes"),
    )
    source = models.CharField(
        _("source"), max_length=500, blank=True, help_text=_("Where these facts come from.")
    )
    cow_ioname = models.CharField(
        _("Correlates of War IGO code"), max_length=20, blank=True, db_index=True
    )
    is_home = models.BooleanField(
        _("home organization"),
        default=False,
        help_text=_("The organization this workspace works for. Exactly one is home."),
    )

    # Its journal entries are deleted with it, and come back when the deletion is undone.
    journal_entries = journal_relation()

    search_text = models.TextField(_("search names"), blank=True, default="", editable=False)

    objects = OrganizationQuerySet.as_manager()
    history = History(excluded_fields=["search_text"], m2m_fields=["mandate_themes"])

    class Meta:
        ordering = ["acronym"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            models.UniqueConstraint(
                Lower("acronym"),
                name="organization_acronym_ci_unique",
                violation_error_message=_("An organization with this acronym already exists."),
            ),
            models.UniqueConstraint(
                fields=["is_home"],
                condition=models.Q(is_home=True),
                name="organization_one_home",
                violation_error_message=_("Another organization is already the home."),
            ),
            models.CheckConstraint(
                condition=models.Q(dissolved__isnull=True)
                | models.Q(founded__isnull=True)
                | models.Q(dissolved__gte=models.F("founded")),
                name="organization_dissolved_after_founded",
                violation_error_message=_("It cannot be dissolved before it was founded."),
            ),
        ]

    def __str__(self):
        return self.acronym

    def get_absolute_url(self):
        return reverse("registry:organization_detail", args=[self.acronym])

    def save(self, *args, **kwargs):
        self.search_text = organization_search_text(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "search_text" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "search_text"]
        super().save(*args, **kwargs)

    def clean(self):
        # The constraint says the same; here the message lands on the field in forms and API.
        if self.founded and self.dissolved and self.dissolved < self.founded:
            raise ValidationError({"dissolved": _("It cannot be dissolved before it was founded.")})


IDENTIFIER_SCHEME_PATTERN = r"^[a-z][a-z0-9-]*\Z"


class OrganizationIdentifier(models.Model):
    """What another register calls the organization: a scheme and a value (`cow-igo` → `NATO`).

    Written by imports (which match organizations by them on the next run) and by
    administrators; read back through `?identifier=scheme:value` in the API."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="identifiers",
        verbose_name=_("organization"),
    )
    scheme = models.CharField(
        _("scheme"),
        max_length=40,
        validators=[RegexValidator(IDENTIFIER_SCHEME_PATTERN)],
        help_text=_("The register, in lower case: cow-igo, wikidata..."),
    )
    value = models.CharField(_("value"), max_length=100)

    class Meta:
        ordering = ["scheme", "value"]
        verbose_name = _("external identifier")
        verbose_name_plural = _("external identifiers")
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "value"],
                name="organization_identifier_unique",
                violation_error_message=_("Another organization has this identifier."),
            )
        ]

    def __str__(self):
        return f"{self.scheme}:{self.value}"


class Membership(VersionedModel):
    """A state's membership in an organization over a date range (`valid_to` is the last day)."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organization"),
    )
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("country")
    )
    status = models.CharField(_("status"), max_length=16, choices=MembershipStatus.choices)
    valid_from = models.DateField(
        _("valid from"), null=True, blank=True, help_text=_("Leave empty when not known.")
    )
    valid_to = models.DateField(
        _("valid to"), null=True, blank=True, help_text=_("The last day; empty while it lasts.")
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = MembershipQuerySet.as_manager()
    history = History()

    class Meta:
        ordering = ["organization__acronym", "country__name", "valid_from"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        indexes = [
            models.Index(fields=["organization", "status", "valid_from", "valid_to"]),
            # Is this country a member of that organization: overlap checks, shared members.
            models.Index(fields=["organization", "country", "status", "valid_from", "valid_to"]),
            models.Index(fields=["country", "valid_from", "valid_to"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="membership_dates_in_order",
                violation_error_message=_("“Valid to” cannot be before “valid from”."),
            )
        ]

    def __str__(self):
        return f"{self.country} in {self.organization}"

    def get_absolute_url(self):
        return reverse("registry:membership_detail", args=[self.pk])

    def clean(self):
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("“Valid to” cannot be before “valid from”.")})


class FrameworkDocument(ClassifiedModel):
    """A document that sets the basis or commitments of co-operation."""

    key = models.SlugField(_("key"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=300)
    year = models.PositiveSmallIntegerField(_("year"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)
    review_on = models.DateField(
        _("next review"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("When the office should look at it again."),
    )
    expires_on = models.DateField(
        _("expires on"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("The last day it is in force, if it has an end."),
    )
    journal_entries = journal_relation()

    objects = FrameworkDocumentQuerySet.as_manager()
    history = History(m2m_fields=["shared_with"])

    class Meta:
        ordering = ["year", "title"]
        verbose_name = _("framework document")
        verbose_name_plural = _("framework documents")

    def __str__(self):
        return f"{self.title} ({self.year})"

    def get_absolute_url(self):
        return reverse("registry:document_detail", args=[self.pk])

    def clean(self):
        if self.adopted_on and self.expires_on and self.expires_on < self.adopted_on:
            raise ValidationError({"expires_on": _("It cannot expire before it was adopted.")})


class Partnership(ClassifiedModel):
    """The relationship of two organizations, usually the home organization and a partner."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="partnerships_as_first",
        verbose_name=_("organization"),
    )
    partner = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="partnerships_as_partner",
        verbose_name=_("partner"),
    )
    type = models.CharField(_("type"), max_length=20, choices=PartnershipType.choices)
    basis = models.ManyToManyField(
        FrameworkDocument, blank=True, related_name="partnerships", verbose_name=_("basis")
    )
    since = models.DateField(_("since"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=PartnershipStatus.choices,
        default=PartnershipStatus.ACTIVE,
    )
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.MEDIUM
    )
    notes = models.TextField(_("notes"), blank=True)
    review_on = models.DateField(
        _("next review"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("When the office should look at this partnership again."),
    )
    journal_entries = journal_relation()

    objects = PartnershipQuerySet.as_manager()
    history = History(m2m_fields=["basis", "shared_with"])

    class Meta:
        ordering = ["partner__acronym"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "partner"],
                name="partnership_unique_pair",
                violation_error_message=_("These two organizations already have a partnership."),
            ),
            models.CheckConstraint(
                condition=~models.Q(organization=models.F("partner")),
                name="partnership_two_organizations",
                violation_error_message=_("A partnership needs two different organizations."),
            ),
        ]

    def __str__(self):
        return f"{self.organization} – {self.partner}"

    def get_absolute_url(self):
        return reverse("registry:partnership_detail", args=[self.pk])


class Person(ClassifiedModel):
    """A focal point or contact person: personal data, so internal by default."""

    name = models.CharField(pgettext_lazy("person", "name"), max_length=200)
    title = models.CharField(pgettext_lazy("person", "job title"), max_length=200, blank=True)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="people",
        verbose_name=_("organization"),
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    partnership = models.ForeignKey(
        Partnership,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="focal_points",
        verbose_name=_("focal point for"),
    )
    role = models.CharField(_("role in the partnership"), max_length=200, blank=True)
    description = models.TextField(_("notes"), blank=True)
    journal_entries = journal_relation()

    objects = PersonQuerySet.as_manager()
    history = History(m2m_fields=["shared_with"])

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("registry:person_detail", args=[self.pk])
