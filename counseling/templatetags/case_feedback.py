"""`{% feedback_questions case %}` on the young person's case page: the questions after a closed case
(counseling/feedback.py), kept out of the shared case view and template."""

from django import template

from counseling import feedback
from counseling.feedback_forms import FeedbackForm

register = template.Library()


@register.inclusion_tag("counseling/includes/case_feedback.html", takes_context=True)
def feedback_questions(context, case):
    if not feedback.feedback_open(case, context["user"]):
        return {"form": None}
    return {"case": case, "form": FeedbackForm(), "csrf_token": context.get("csrf_token")}
