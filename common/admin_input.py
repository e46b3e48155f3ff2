"""Admin input that used to end in a 500, answered like any other bad input instead.

- (Ids, filters, selections and initial values in admin URLs: common/untrusted.py, for every
  admin at once.)
- A search of hundreds of words: one OR per field per word reached SQLite's expression depth;
  the admin says how many words it takes instead of searching.
"""

from django.contrib import messages

MAX_SEARCH_WORDS = 16


class SafeInputAdminMixin:
    def get_search_results(self, request, queryset, search_term):
        if len(search_term.split()) > MAX_SEARCH_WORDS:
            messages.warning(
                request,
                f"Search with at most {MAX_SEARCH_WORDS} words: "
                f"this search had {len(search_term.split())}, so nothing was searched.",
            )
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term)
