from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    GLOBAL = "global", _("Global")
    REGIONAL = "regional", _("Regional")
    SUB_REGIONAL = "sub_regional", _("Sub-regional")
    UN_BODY = "un_body", _("UN body")
    OTHER = "other", _("Other")


class MembershipStatus(models.TextChoices):
    FULL = "full", _("Full member")
    ASSOCIATE = "associate", _("Associate member")
    OBSERVER = "observer", _("Observer")
    PARTNER = "partner", _("Partner for co-operation")
    SUSPENDED = "suspended", _("Suspended")


# Statuses that make a state a member (its seat may be suspended, it is still a member).
MEMBER_STATUSES = (MembershipStatus.FULL, MembershipStatus.ASSOCIATE, MembershipStatus.SUSPENDED)


class PartnershipType(models.TextChoices):
    STRATEGIC = "strategic", _("Strategic")
    INSTITUTIONAL = "institutional", _("Institutional")
    REGIONAL_DIALOGUE = "regional_dialogue", _("Regional dialogue")
    THEMATIC = "thematic", _("Thematic")
    OTHER = "other", _("Other")


class PartnershipStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    DORMANT = "dormant", _("Dormant")
    PROPOSED = "proposed", _("Proposed")
    ENDED = "ended", _("Ended")


class Priority(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class DocumentKind(models.TextChoices):
    FOUNDING_ACT = "founding_act", _("Founding act")
    SUMMIT_DOCUMENT = "summit_document", _("Summit document")
    CHARTER = "charter", _("Charter")
    DECLARATION = "declaration", _("Declaration")
    STRATEGY = "strategy", _("Strategy")
    PLAN_OF_ACTION = "plan_of_action", _("Plan of action")
    MEMORANDUM = "memorandum", _("Memorandum of understanding")
    AGREEMENT = "agreement", _("Agreement")
    OTHER = "other", _("Other")
