"""Feedback after a closed case: the young person's questions (also shown on the case page through
`counseling/includes/case_feedback.html`) and the results for coordinators and site leads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from counseling import feedback
from counseling.access import access_case_participant
from counseling.feedback_forms import FeedbackForm, feedback_query
from hub import statistics


@login_required
@require_http_methods(["GET", "POST"])
def case_feedback(request, public_id):
    case = access_case_participant(request.user, public_id)
    if not feedback.feedback_open(case, request.user):
        if case.feedback_given:
            messages.info(request, _("You have already answered these questions for this conversation."))
        else:
            messages.info(request, _("You can answer these questions once the conversation is closed."))
        return redirect("counseling:case", public_id=case.public_id)
    form = FeedbackForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            feedback.feedback_give(case=case, user=request.user, **form.cleaned_data)
        except feedback.FeedbackRefused:  # answered meanwhile, in another tab
            messages.info(request, _("You have already answered these questions for this conversation."))
        else:
            messages.success(request, _("Thank you! Your answers help us to get better."))
        return redirect("counseling:case", public_id=case.public_id)
    status = 400 if form.errors else 200
    return render(request, "counseling/case_feedback.html", {"case": case, "form": form}, status=status)


@require_GET
def feedback_results(request):
    """Beside the statistics: counts suppressed as they are, and the free texts after their delay."""
    scope = feedback.feedback_scope(request.user)
    if scope is False:
        raise PermissionDenied
    form, query = feedback_query(request.GET, scope=scope)
    table = feedback.feedback_table(scope, **query)
    texts = feedback.feedback_texts(scope, year=query["year"], month=query["month"], filters=query["filters"])
    context = {
        "form": form,
        "table": table,
        "texts": texts,
        "dimension_label": feedback.DIMENSIONS[table.dimension],
        "threshold": statistics.THRESHOLD,
        "delay_days": feedback.TEXT_DELAY_DAYS,
        "all_sites": scope is None,
    }
    return render(request, "counseling/staff/feedback_results.html", context)
