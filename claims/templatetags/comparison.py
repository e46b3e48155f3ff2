"""The editor's comparison of a working copy with the public version, in templates."""

from django import template

register = template.Library()


@register.filter
def carried_by(comparison, copy) -> str:
    """What carries a piece of evidence's stance, in words (``PublicComparison.carried_by``)."""
    return comparison.carried_by(copy)
