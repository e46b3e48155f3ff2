"""Admin input that used to end in a 500, answered like any other bad input instead.

- ``?article=abc`` on an add page (initial values from the query string): a value that is not
  the related object's id is dropped, the form simply starts empty there.
- ``history/abc/`` (simple-history's page of one past version): a 404, as for an unknown id.
- A search of hundreds of words: one OR per field per word reached SQLite's expression depth;
  the admin says how many words it takes instead of searching.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404

MAX_SEARCH_WORDS = 16


class SafeInputAdminMixin:
    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        for name, value in list(initial.items()):
            try:
                field = self.model._meta.get_field(name)
            except Exception:  # noqa: S112 - not a model field: the form ignores it
                continue
            target = getattr(field, "target_field", None)
            if target is None:
                continue
            try:
                for item in value if isinstance(value, list) else [value]:
                    target.to_python(item)
                    if str(item).isdigit() and int(item) > 2**63 - 1:
                        raise ValidationError("too large")
            except ValidationError:
                del initial[name]
        return initial

    def check_version_id(self, version_id) -> None:
        """A 404 for a version that is not a whole number (simple-history's page of one past
        version would look it up as one and fail)."""
        if not str(version_id).isascii() or not str(version_id).isdigit():
            raise Http404("There is no such version.")

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self.check_version_id(version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_search_results(self, request, queryset, search_term):
        if len(search_term.split()) > MAX_SEARCH_WORDS:
            messages.warning(
                request,
                f"Search with at most {MAX_SEARCH_WORDS} words: "
                f"this search had {len(search_term.split())}, so nothing was searched.",
            )
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term)
