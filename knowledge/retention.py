"""The knowledge base's purge for the one retention mechanism (hub/retention.py): unanswered-search counts
older than the coordinators' period go – editors look at the last months, not at years."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hub.retention import Purge, delete_ids, policy_cutoff
from knowledge.models import SearchMiss


def _old_search_misses(now):
    return SearchMiss.objects.filter(day__lt=timezone.localdate(policy_cutoff("search_misses", now=now)))


SEARCH_MISSES = Purge(
    "search_misses",
    _("Knowledge base: counts of unanswered searches"),
    _old_search_misses,
    delete_ids(SearchMiss),
)
