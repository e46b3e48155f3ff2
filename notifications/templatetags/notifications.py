"""The person's unread notifications, as a count in the header of every admin page."""

from django import template

from claims.visibility import is_desk_member

from .. import selectors

register = template.Library()


@register.inclusion_tag("notifications/_nav.html", takes_context=True)
def notification_nav(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if not is_desk_member(user):
        return {"show": False}
    return {"show": True, "unread": selectors.unread_count(user)}
