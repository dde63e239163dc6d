"""The engagement health of an organization read through health.annotate() (the organization
list's rows carry its annotations)."""

from django import template

from .. import health

register = template.Library()


@register.simple_tag
def engagement_of(record):
    """The Engagement of an annotated organization: `{% engagement_of o as e %}`."""
    return health.of_record(record)
