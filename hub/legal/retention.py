"""The legal app's purge for the one retention mechanism (hub/retention.py): accessibility feedback goes
after the coordinators' period, counted from when it came in – with its sealed text and address."""

from django.utils.translation import gettext_lazy as _

from hub.legal.models import AccessibilityFeedback
from hub.retention import Purge, delete_ids, policy_cutoff


def _old_feedback(now):
    cutoff = policy_cutoff("accessibility_feedback", now=now)
    return AccessibilityFeedback.objects.filter(created_at__lt=cutoff)


ACCESSIBILITY_FEEDBACK = Purge(
    "accessibility_feedback",
    _("Accessibility feedback"),
    _old_feedback,
    delete_ids(AccessibilityFeedback),
)
