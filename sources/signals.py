"""Signals sent by sources.services, for apps that keep something computed from provenance.

``sources`` knows nothing of the apps that listen (claims stores each claim's independence
block, computed from the lineages of the sources it cites).
"""

from django.dispatch import Signal

# Sent inside the transaction of the change, after the closure table is up to date, with
# ``source_ids``: the sources whose provenance (what they rest on) or whose title, kind or
# record changed. Every source resting on them is reached through them: listeners follow the
# closure table.
lineage_changed = Signal()

# Sent inside the transaction of a desk member's edit of sources (a source's fields, its
# provenance, or the outlet it belongs to), with ``source_ids`` and ``author``. The public reads
# the sources as an approval froze them; listeners put the verdicts whose frozen copies now
# differ back in front of an editor.
sources_edited = Signal()
