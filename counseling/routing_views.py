"""Staff pages of routing: assigning a case by hand (from the case page or, for staff who may not read
it, the handover page) and the coordinators' list of fallback counselors. No case content here."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from counseling import access
from counseling.assignment import (
    AssignForm,
    FallbackForm,
    access_case_to_assign,
    case_assign,
    fallback_counselors_set,
)
from counseling.models import CounselorProfile


@require_POST
def case_assign_view(request, public_id):
    case = access_case_to_assign(request.user, public_id)
    form = AssignForm(request.POST, user=request.user, case=case)
    back = (
        reverse("counseling_staff:case", args=[case.public_id])
        if access.may_open_case(request.user, case)
        else reverse("counseling_staff:handover", args=[case.public_id])
    )
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(back + "#assign")
    counselor = form.cleaned_data["counselor"]
    case_assign(case=case, counselor=counselor, actor=request.user)
    done = _("The case is now assigned to %(name)s.") % {"name": counselor.get_full_name()}
    messages.success(request, done)
    return redirect(back if access.may_open_case(request.user, case) else reverse("counseling_staff:inbox"))


@permission_required("counseling.change_counselorprofile", raise_exception=True)
@require_http_methods(["GET", "POST"])
def fallback(request):
    current = CounselorProfile.objects.filter(is_fallback=True).values_list("user_id", flat=True)
    data = request.POST if request.method == "POST" else None  # an empty POST clears the list
    form = FallbackForm(data, initial={"counselors": list(current)})
    if form.is_bound and form.is_valid():
        fallback_counselors_set(users=form.cleaned_data["counselors"], actor=request.user)
        messages.success(request, _("The fallback counselors have been saved."))
        return redirect("counseling_staff:fallback")
    return render(request, "counseling/staff/fallback.html", {"form": form})
