"""The confirmation state as people see it: a coloured label that always names the state."""

from django import template
from django.utils.html import format_html

from claims.models import ConfirmationState

register = template.Library()


@register.simple_tag
def state_badge(state: str):
    choice = ConfirmationState(state)
    # The colour comes from a class in static/css/states.css (no inline style, so a strict
    # Content Security Policy holds); the name is always written out, never colour alone.
    return format_html(
        '<span class="state state--{}" title="{}">{}</span>',
        choice.value,
        choice.meaning,
        choice.label,
    )
