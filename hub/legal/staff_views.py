"""Coordinators read and answer the feedback sent through the accessibility statement."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hub.audit import AuditAction, audit_record
from hub.legal import feedback
from hub.legal.forms import FeedbackAnswerForm
from hub.legal.models import AccessibilityFeedback


def _answer_form(public_id, data=None) -> FeedbackAnswerForm:
    # One answer form per feedback on the page: ids of their own, so each label finds its field.
    return FeedbackAnswerForm(data, auto_id=f"id_%s_{public_id.hex[:12]}")


def _render_list(request, *, failed=None, status=200):
    readings = feedback.feedback_recent()
    # The texts may name a person: reading them is a staff read of personal data.
    audit_record(
        actor=request.user,
        action=AuditAction.FEEDBACK_OPEN,
        target_type="accessibility_feedback",
        target_id="*",
    )
    rows = [
        (reading, failed if failed and failed.data and reading.public_id == failed.public_id else None)
        for reading in readings
    ]
    rows = [(reading, form or _answer_form(reading.public_id)) for reading, form in rows]
    return render(request, "legal/staff/feedback.html", {"rows": rows}, status=status)


@permission_required("legal.view_accessibilityfeedback", raise_exception=True)
@require_GET
def feedback_list(request):
    return _render_list(request)


@permission_required("legal.change_accessibilityfeedback", raise_exception=True)
@require_POST
def feedback_answer(request, public_id):
    row = get_object_or_404(AccessibilityFeedback, public_id=public_id)
    form = _answer_form(row.public_id, request.POST)
    if not form.is_valid():
        form.public_id = row.public_id
        return _render_list(request, failed=form, status=400)
    if feedback.feedback_answer(feedback=row, answer=form.cleaned_data["answer"]):
        messages.success(request, _("The answer has been sent."))
    else:
        messages.error(request, _("This feedback came without an e-mail address: it cannot be answered."))
    return redirect("legal_staff:feedback")
