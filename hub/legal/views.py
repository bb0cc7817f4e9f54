from allauth.core.internal import ratelimit
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hub.legal import feedback, selectors
from hub.legal.forms import FeedbackForm
from hub.legal.models import LegalKind

# Anyone may send feedback without an account; this keeps one address from filling the coordinators'
# list. The count lives in the cache for its window only (never in the database).
FEEDBACK_RATE = {"accessibility_feedback": "5/h/ip"}


def _render_page(request, page, *, feedback_form=None, status=200):
    context = selectors.legal_reading(page, language=get_language())
    if page.kind == LegalKind.ACCESSIBILITY:
        context["feedback_form"] = feedback_form or FeedbackForm()
    elif page.kind == LegalKind.SIGN_LANGUAGE:
        context["videos"] = selectors.sign_language_videos()
    return render(request, "legal/page.html", context, status=status)


@require_GET
def legal_page(request, kind: str):
    """Public: the imprint, the privacy notice, … in the reader's language (German where missing)."""
    page = selectors.legal_page_live(kind)
    if page is None:
        raise Http404
    return _render_page(request, page)


@require_POST
def accessibility_feedback(request):
    """Public: feedback on a barrier, from the accessibility statement's form. A form with errors comes
    back on the statement, filled in, with the error summary."""
    page = selectors.legal_page_live(LegalKind.ACCESSIBILITY)
    if page is None:
        raise Http404
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return _render_page(request, page, feedback_form=form, status=400)
    if not ratelimit.consume(request, app="legal", action="accessibility_feedback", config=FEEDBACK_RATE):
        form.add_error(
            None, _("You have sent several messages in a short time. Please try again in an hour.")
        )
        return _render_page(request, page, feedback_form=form, status=429)
    feedback.feedback_submit(**form.cleaned_data, language=get_language())
    messages.success(request, _("Thank you. Your feedback has reached the team."))
    return redirect(reverse("legal:page", kwargs={"kind": LegalKind.ACCESSIBILITY}) + "#feedback")
