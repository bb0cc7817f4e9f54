"""Public pages: certificate verification (no login) and the youth application training."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hub.roles import is_staff_member
from learning import interview, selectors
from learning.forms import CvForm
from learning.models import InterviewRun
from learning.pdf import cv_pdf


@require_GET
def verify(request, code):
    certificate = selectors.certificate_by_code(code)
    context = {
        "certificate": certificate,
        "valid": certificate is not None and certificate.is_valid(),
        "now": timezone.now(),
    }
    return render(request, "learning/verify.html", context, status=200 if certificate else 404)


@require_GET
def learn(request):
    runs = []
    if request.user.is_authenticated and not is_staff_member(request.user):
        runs = list(InterviewRun.objects.filter(youth=request.user)[:20])
    return render(request, "learning/learn.html", {"runs": runs, "total": len(interview.STEPS) - 1})


@require_GET
def interview_practice(request):
    path = interview.parse_path(request.GET.get("path", ""))
    turns, step = interview.walk(path)
    path = [turn.chosen.key for turn in turns]
    context = {
        "turns": turns,
        "step": step,
        "last": turns[-1] if turns else None,
        "path": ".".join(path),
        "options": [(option, ".".join([*path, option.key])) for option in step.options],
        "good": sum(turn.chosen.good for turn in turns),
        "may_keep": request.user.is_authenticated and not is_staff_member(request.user),
    }
    return render(request, "learning/interview.html", context)


@login_required
@require_POST
def interview_keep(request):
    """A signed-in young person keeps a finished run in their account (only the answer keys)."""
    if is_staff_member(request.user):
        return redirect("learning:learn")
    turns, step = interview.walk(interview.parse_path(request.POST.get("path", "")))
    if not step.is_end:
        messages.error(request, _("Please finish the interview first."))
        return redirect(reverse("learning:interview") + f"?path={request.POST.get('path', '')}")
    InterviewRun.objects.create(
        youth=request.user,
        language=get_language(),
        path=[turn.chosen.key for turn in turns],
        good_answers=sum(turn.chosen.good for turn in turns),
    )
    messages.success(request, _("Your result is kept in your account. You can delete it at any time."))
    return redirect("learning:learn")


@login_required
@require_POST
def interview_runs_delete(request):
    InterviewRun.objects.filter(youth=request.user).delete()
    messages.success(request, _("Your interview results are deleted."))
    return redirect("learning:learn")


def cv_labels() -> dict:
    return {
        "cv": _("Curriculum vitae"),
        "profile": _("About me"),
        "experience": _("Work experience and internships"),
        "education": _("School and education"),
        "skills": _("Skills"),
        "languages": _("Languages"),
        "letter": _("Cover letter"),
    }


@require_http_methods(["GET", "POST"])
def cv_helper(request):
    form = CvForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        response = HttpResponse(cv_pdf(form.cleaned_data, labels=cv_labels()), content_type="application/pdf")
        response["Content-Disposition"] = 'attachment; filename="cv.pdf"'
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "learning/cv.html", {"form": form})
