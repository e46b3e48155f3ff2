"""The desk's queues in the admin: on its home page and as counts in its navigation."""

from django import template
from django.urls import reverse

from claims import selectors

register = template.Library()


def _queue_url(key: str) -> str:
    return f"{reverse('admin:claims_claim_changelist')}?queue={key}"


@register.simple_tag(takes_context=True)
def desk_queues(context):
    user = context["request"].user
    queues = selectors.desk_queues(user)
    for queue in queues:
        queue["url"] = _queue_url(queue["key"])
    return queues


@register.inclusion_tag("admin/claims/_queue_nav.html", takes_context=True)
def queue_nav(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_staff:
        return {"counts": []}
    counts = selectors.queue_counts(user)
    for entry in counts:
        entry["url"] = _queue_url(entry["key"])
    return {"counts": counts}
