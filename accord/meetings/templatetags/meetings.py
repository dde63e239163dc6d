"""Template helpers of the meetings pages."""

from django import template
from django.utils.html import format_html

from .. import cadence as cadences

register = template.Library()


@register.simple_tag
def cadence(rule: str, short: bool = False):
    """A series' cadence in words, with the rule itself for those who read RRULEs (`short`:
    in a tooltip); the rule alone when it is not one of the common cadences."""
    text = cadences.describe(rule)
    if text is None:
        return format_html('<code class="text-break">{}</code>', rule)
    if short:
        return format_html('<span title="{}">{}</span>', rule, text)
    return format_html(
        '{} <code class="small text-body-secondary text-break">{}</code>', text, rule
    )
