"""Feedback on barriers (BITV 2.0 § 7): stored sealed, listed for coordinators, answered by mail when the
person left an address. Writes and reads for hub/legal/views.py and staff_views.py."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from hub import sealed
from hub.legal.models import AccessibilityFeedback
from hub.youth_mail import youth_mail_send

MESSAGE_MAX = 5000
PAGE_MAX = 300


def feedback_submit(*, message: str, page: str = "", email: str = "", language: str) -> AccessibilityFeedback:
    feedback = AccessibilityFeedback(wrapped_key=sealed.new_wrapped_key(), language=language)
    feedback.message = sealed.seal(feedback, message, purpose="accessibility-feedback.message")
    if page:
        feedback.page = sealed.seal(feedback, page, purpose="accessibility-feedback.page")
    if email:
        feedback.email = sealed.seal(feedback, email, purpose="accessibility-feedback.email")
    feedback.save()
    return feedback


@dataclass(frozen=True)
class FeedbackReading:
    feedback: AccessibilityFeedback
    message: str
    page: str
    email: str

    @property
    def public_id(self):
        return self.feedback.public_id


def _open(feedback: AccessibilityFeedback, field: str) -> str:
    token = bytes(getattr(feedback, field) or b"")
    return sealed.unseal(feedback, token, purpose=f"accessibility-feedback.{field}") if token else ""


def feedback_reading(feedback: AccessibilityFeedback) -> FeedbackReading:
    opened = {field: _open(feedback, field) for field in ("message", "page", "email")}
    return FeedbackReading(feedback, **opened)


def feedback_recent(*, limit: int = 200) -> list[FeedbackReading]:
    """The newest feedback, opened, for the coordinators' page (one query)."""
    return [feedback_reading(row) for row in AccessibilityFeedback.objects.all()[:limit]]


@transaction.atomic
def feedback_answer(*, feedback: AccessibilityFeedback, answer: str, now: datetime | None = None) -> bool:
    """Mails the answer from the neutral sender, in the language the person wrote in; False when they
    left no address. The mail goes out after commit, so a rolled-back answer sends nothing."""
    email = _open(feedback, "email")
    if not email:
        return False
    feedback.answered_at = now or timezone.now()
    feedback.save(update_fields=["answered_at"])
    transaction.on_commit(
        lambda: youth_mail_send(
            to=email,
            template="legal/mail/feedback_answer",
            context={"answer": answer},
            language=feedback.language,
        )
    )
    return True
