"""Staff pages of the learning platform: my courses, a course, its lessons and quizzes, the certificate
PDF, enrolling staff (coordinators), the training reports and the quality-standard library."""

import mimetypes

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hub.audit import AuditAction, audit_record
from hub.csv_export import csv_download
from hub.links import absolute_url
from learning import access, reports, selectors, services
from learning.forms import EnrolStaffForm, quiz_form_data
from learning.models import EnrolmentSource, StandardVersion
from learning.pdf import certificate_pdf

REPORT_PAGE_SIZE = 100


def _course_url(course) -> str:
    return reverse("learning_staff:course", args=[course.slug])


@require_GET
def my_courses(request):
    courses = selectors.courses_for(request.user)
    context = {
        "courses": courses,
        "now": timezone.now(),
        "may_manage": access.may_manage_courses(request.user),
    }
    return render(request, "learning/staff/my_courses.html", context)


@require_GET
def course(request, slug):
    course = access.access_course(request.user, slug)
    enrolment = selectors.current_enrolment(request.user, course)
    context = {
        "course": course,
        "enrolment": enrolment,
        "progress": selectors.progress_of(enrolment, course),
        "modules": selectors.modules_of(course),
        "certificate": selectors.latest_certificate(request.user, course),
        "may_self_enrol": selectors.may_self_enrol(course),
        "may_manage": access.may_manage_courses(request.user),
        "now": timezone.now(),
    }
    return render(request, "learning/staff/course.html", context)


@require_POST
def course_enrol(request, slug):
    course = access.access_course(request.user, slug)
    if not selectors.may_self_enrol(course):
        raise PermissionDenied
    services.enrolment_create(user=request.user, course=course, source=EnrolmentSource.SELF)
    messages.success(request, _("You are enrolled. Good luck!"))
    return redirect(_course_url(course))


@require_http_methods(["GET", "POST"])
def course_enrol_staff(request, slug):
    if not access.may_manage_courses(request.user):
        raise PermissionDenied
    course = access.access_course(request.user, slug)
    form = EnrolStaffForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        for user in form.cleaned_data["users"]:
            services.enrolment_create(user=user, course=course, source=EnrolmentSource.COORDINATOR)
        count = len(form.cleaned_data["users"])
        messages.success(request, _("%(count)s staff members are enrolled.") % {"count": count})
        return redirect(_course_url(course))
    return render(request, "learning/staff/enrol_staff.html", {"course": course, "form": form})


@require_http_methods(["GET", "POST"])
def lesson(request, slug, lesson_id):
    course, enrolment, lesson = access.access_lesson(request.user, slug, lesson_id)
    if request.method == "POST":
        certificate = services.lesson_complete(enrolment=enrolment, lesson=lesson)
        if certificate:
            messages.success(request, _("Course completed – your certificate is ready."))
        return redirect(_course_url(course))
    progress = selectors.progress_of(enrolment, course)
    context = {"course": course, "lesson": lesson, "done": lesson.pk in progress.done_lessons}
    return render(request, "learning/staff/lesson.html", context)


@require_GET
def lesson_file(request, slug, lesson_id, document_id):
    """A lesson's video, audio or download, for those enrolled only (not a public document URL)."""
    _course, _enrolment, lesson = access.access_lesson(request.user, slug, lesson_id)
    files = {block.value.pk: block for block in lesson.body if block.block_type in ("media", "download")}
    if document_id not in files:
        raise Http404
    document = files[document_id].value
    content_type = mimetypes.guess_type(document.filename)[0] or "application/octet-stream"
    return FileResponse(
        document.file.open("rb"),
        as_attachment=files[document_id].block_type == "download",
        filename=document.filename,
        content_type=content_type,
    )


@require_http_methods(["GET", "POST"])
def quiz(request, slug, quiz_id):
    course, enrolment, quiz = access.access_quiz(request.user, slug, quiz_id)
    attempts = selectors.progress_of(enrolment, course).attempts.get(quiz.pk, [])
    context = {"course": course, "quiz": quiz, "attempts": attempts, "chosen": {}, "missing": []}
    if request.method == "POST":
        answers, missing = quiz_form_data(quiz, request.POST)
        if missing:
            messages.error(request, _("Please answer every question."))
            return render(
                request, "learning/staff/quiz.html", {**context, "chosen": answers, "missing": missing}
            )
        try:
            attempt = services.quiz_submit(enrolment=enrolment, quiz=quiz, answers=answers)
        except services.QuizLocked:
            messages.error(request, _("This quiz cannot be taken again."))
            return redirect(_course_url(course))
        attempts = [*attempts, attempt]
        context.update(attempts=attempts, result=attempt, chosen=answers)
    context["left"] = services.attempts_left(quiz, len(attempts), enrolment)
    context["passed"] = any(a.passed for a in attempts)
    # The right answers only once they can no longer make the next attempt trivial.
    context["reveal"] = context["passed"] or context["left"] == 0
    if context.get("result"):
        context["feedback"] = _feedback(quiz, context["chosen"], reveal=context["reveal"])
    return render(request, "learning/staff/quiz.html", context)


def _feedback(quiz, chosen, *, reveal: bool):
    """Per question: right or not, and the answers picked; which answers are correct only with `reveal`."""
    items = []
    for question in quiz.questions:
        picked = chosen.get(question.id, [])
        answers = [
            {
                "text": a["text"],
                "picked": i in picked,
                "correct": reveal and a["correct"],
                "feedback": a["feedback"],
            }
            for i, a in enumerate(question.value["answers"])
            if reveal or i in picked
        ]
        right = {i for i, a in enumerate(question.value["answers"]) if a["correct"]} == set(picked)
        items.append({"text": question.value["text"], "right": right, "answers": answers})
    return items


@require_GET
def certificate_download(request, code):
    certificate = access.access_certificate(request.user, code)
    verify_url = absolute_url(reverse("learning:verify", args=[certificate.code]), request=request)
    response = HttpResponse(
        certificate_pdf(certificate, verify_url=verify_url), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code[:8]}.pdf"'
    return response


@require_GET
def report_list(request):
    scope = access.report_site_scope(request.user)
    context = {"courses": reports.course_overview(site_ids=scope), "scoped": scope is not None}
    return render(request, "learning/staff/report_list.html", context)


@require_GET
def report(request, slug):
    scope = access.report_site_scope(request.user)
    course = access.access_course(request.user, slug)
    data = reports.course_report(course, site_ids=scope)
    # The totals count everyone; the list of people is paged in SQL (the CSV export holds them all).
    people = Paginator(data.people, REPORT_PAGE_SIZE).get_page(request.GET.get("page"))
    people.object_list = reports.people_describe(people.object_list, data)
    audit_record(
        actor=request.user,
        action=AuditAction.TRAINING_REPORT_OPEN,
        target_type="training_report",
        target_id=course.slug,
    )
    return render(request, "learning/staff/report.html", {"course": course, "report": data, "people": people})


@require_GET
def report_csv(request, slug):
    scope = access.report_site_scope(request.user)
    course = access.access_course(request.user, slug)
    response, _writer = csv_download(f"training-{course.slug}.csv")
    response.write(reports.course_csv(course, site_ids=scope))
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT_MADE,
        target_type="training_report",
        target_id=course.slug,
    )
    return response


@require_GET
def report_person(request, slug, enrolment_id):
    """One person's progress in the course: lessons done, quiz attempts; coordinators grant attempts."""
    enrolment = access.access_enrolment_report(request.user, slug, enrolment_id)
    course = enrolment.course
    audit_record(
        actor=request.user,
        action=AuditAction.TRAINING_REPORT_OPEN,
        target_type="enrolment",
        target_id=enrolment.pk,
    )
    progress = selectors.progress_of(enrolment, course)
    quizzes = list(course.quizzes.all())
    for quiz in quizzes:
        quiz.my_attempts = progress.attempts.get(quiz.pk, [])
        quiz.left = services.attempts_left(quiz, len(quiz.my_attempts), enrolment)
    context = {
        "course": course,
        "enrolment": enrolment,
        "lessons": list(course.lessons.all()),
        "quizzes": quizzes,
        "progress": progress,
        "may_grant": access.may_manage_courses(request.user),
    }
    return render(request, "learning/staff/report_person.html", context)


@require_POST
def report_grant_attempt(request, slug, enrolment_id, quiz_id):
    if not access.may_manage_courses(request.user):
        raise PermissionDenied
    enrolment = access.access_enrolment_report(request.user, slug, enrolment_id)
    quiz = get_object_or_404(enrolment.course.quizzes, pk=quiz_id)
    services.quiz_attempt_grant(enrolment=enrolment, quiz=quiz)
    messages.success(request, _("One more attempt is granted."))
    return redirect("learning_staff:report_person", slug=slug, enrolment_id=enrolment.pk)


@require_GET
def standards(request):
    return render(
        request, "learning/staff/standards.html", {"standards": selectors.standards_for(request.user)}
    )


@require_POST
def standard_confirm(request, version):
    version = get_object_or_404(StandardVersion.objects.select_related("standard"), public_id=version)
    current = selectors.standards_for(request.user)
    if not any(s.current is not None and s.current.pk == version.pk for s in current):
        messages.error(request, _("A newer version of this standard is in force. Please read that one."))
        return redirect("learning_staff:standards")
    services.standard_confirm(user=request.user, version=version)
    messages.success(request, _("Thank you – your confirmation is recorded."))
    return redirect("learning_staff:standards")
