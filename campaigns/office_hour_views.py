"""The social-media office hour: staff book a slot with the streetwork team; online mentors keep the
weekly hours they hold and see who booked them."""

from datetime import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from campaigns import office_hours
from campaigns.forms import OfficeHourBookingForm, OfficeHoursForm
from campaigns.models import OfficeHours
from hub.roles import OFFICE_HOURS_HOLD


@require_http_methods(["GET", "POST"])
def office_hour(request):
    """Every member of the staff area may book (the staff-area guard has let them in)."""
    now = timezone.now()
    slots = office_hours.office_hour_slots(now=now, for_user=request.user)
    form = OfficeHourBookingForm(request.POST or None, slots=slots)
    if request.method == "POST" and form.is_valid():
        try:
            office_hours.office_hour_book(
                booked_by=request.user,
                starts_at=datetime.fromisoformat(form.cleaned_data["starts_at"]),
                platform=form.cleaned_data["platform"],
                question=form.cleaned_data["question"],
                now=now,
            )
        except office_hours.SlotUnavailable:
            form.add_error("starts_at", _("This slot has just been taken. Please choose another one."))
        else:
            messages.success(
                request, _("Your office hour is booked. The streetwork team looks forward to it.")
            )
            return redirect("campaigns_staff:office_hour")
    context = {
        "form": form,
        "has_slots": bool(slots),
        "bookings": office_hours.bookings_of(request.user, now=now),
        "may_hold": request.user.has_perm(OFFICE_HOURS_HOLD),
    }
    return render(request, "campaigns/staff/office_hour.html", context, status=400 if form.errors else 200)


@require_POST
def office_hour_cancel(request, booking_id: int):
    booking = office_hours.access_booking(request.user, booking_id)
    office_hours.office_hour_cancel(booking=booking)
    messages.success(request, _("The office hour is cancelled."))
    return redirect("campaigns_staff:office_hour")


@require_http_methods(["GET", "POST"])
def office_hours_held(request):
    """An online mentor's own weekly hours: add a range, or remove one."""
    if not request.user.has_perm(OFFICE_HOURS_HOLD):
        raise PermissionDenied
    form = OfficeHoursForm(request.POST or None)
    if request.method == "POST" and "remove" in request.POST:
        OfficeHours.objects.filter(host=request.user, pk=_int(request.POST["remove"])).delete()
        messages.success(request, _("The hours are removed."))
        return redirect("campaigns_staff:office_hours_held")
    if request.method == "POST" and form.is_valid():
        OfficeHours.objects.create(host=request.user, **form.cleaned_data)
        messages.success(request, _("The hours are added."))
        return redirect("campaigns_staff:office_hours_held")
    context = {
        "form": form,
        "hours": OfficeHours.objects.filter(host=request.user),
        "bookings": office_hours.bookings_of(request.user, now=timezone.now()).filter(host=request.user),
    }
    return render(
        request, "campaigns/staff/office_hours_held.html", context, status=400 if form.errors else 200
    )


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 12 else None
