import uuid
from datetime import date, datetime, timedelta
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hub.audit import AuditAction, audit_record
from hub.visitor_pages import visitor_page
from sites import appointments, finder, groups, selectors, services
from sites.access import access_own_appointment, access_site, access_site_team, site_may_change
from sites.forms import (
    AppointmentStatusForm,
    BookingForm,
    ClosureFormSet,
    GroupFilterForm,
    GroupJoinForm,
    GroupOfferForm,
    GroupSessionFormSet,
    HoursFormSet,
    SiteFinderForm,
    SiteProfileForm,
)
from sites.ics import calendar
from sites.models import (
    ACTIVE_APPOINTMENT,
    Appointment,
    AppointmentStatus,
    GroupOffer,
    GroupParticipation,
    HoursKind,
    ParticipationStatus,
)

# --- public -------------------------------------------------------------------------------------------


def _minute(request) -> str:
    """Open now / opens at: hours are in whole minutes, so the results are the same all minute long.
    Read once per request: a visitor's kept page (hub/visitor_pages.py) is keyed by the same minute."""
    if not hasattr(request, "finder_minute"):
        request.finder_minute = timezone.now().replace(second=0, microsecond=0).isoformat()
    return request.finder_minute


@visitor_page(vary=_minute)
@require_GET
def site_finder(request):
    form = SiteFinderForm(request.GET or None)
    results, origin, data = [], None, {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        origin = finder.coordinates_from_browser(data["lat"], data["lon"]) if data["lat"] else None
        origin = origin or (finder.locate(data["q"]) if data["q"] else None)
        if origin is None and (data["q"] or data["lat"]):
            form.add_error("q", _("We could not find this place. Please enter a German postcode or town."))
        elif origin is not None:
            # Called by the template only when the shared results fragment is not there yet.
            results = SimpleLazyObject(
                partial(_finder_results, origin, language=data["language"], offer=data["offer"])
            )
    context = {
        "form": form,
        "origin": origin,
        "results": results,
        "filters": (data.get("language"), data.get("offer")),
        "minute": _minute(request),
    }
    return render(request, "sites/finder.html", context)


def _finder_results(origin, *, language: str, offer: str) -> list[dict]:
    nearest = finder.sites_nearest(origin=origin, language=language or None, offer=offer or None, limit=10)
    prefetch_related_objects([site for site, _distance in nearest], "hours", "closures")
    now = timezone.now()
    return [
        {"site": site, "distance": distance, "status": selectors.opening_status(site, now=now)}
        for site, distance in nearest
    ]


@require_GET
def site_detail(request, slug):
    site = selectors.site_public(slug)
    now = timezone.now()
    context = {
        "site": site,
        "status": selectors.opening_status(site, now=now),
        "hours": selectors.site_week_hours(site),
        "has_appointments": any(row.kind == HoursKind.APPOINTMENTS for row in site.hours.all()),
        "closures": selectors.upcoming_closures(site, today=timezone.localdate()),
        "group_offers": groups.group_offers_upcoming(now=now, site=site),
    }
    return render(request, "sites/site_detail.html", context)


@require_GET
def site_hours_ics(request, slug):
    site = selectors.site_public(slug)
    now = timezone.now()
    kinds = dict(HoursKind.choices)
    events = [
        {
            "uid": f"{site.slug}-{kind}-{start:%Y%m%dT%H%M}@jmd-digital-hub",
            "start": start,
            "end": end,
            "summary": f"{site.name}: {kinds[kind]}",
            "location": f"{site.street}, {site.postcode} {site.town}",
        }
        for kind, start, end in selectors.hours_calendar(site, now=now)
    ]
    body = calendar(name=site.name, events=events, now=now)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{site.slug}.ics"'
    return response


# --- staff (StaffAreaMiddleware has checked role and two-factor authentication) ----------------------


def site_list_staff(request):
    return render(request, "sites/staff_site_list.html", {"sites": selectors.sites_editable_by(request.user)})


@require_http_methods(["GET", "POST"])
def site_edit(request, slug):
    site = access_site(request.user, slug, for_write=True)
    form = SiteProfileForm(request.POST or None, instance=site)
    if request.method == "POST" and form.is_valid():
        services.site_profile_update(form=form)
        messages.success(request, _("The site profile has been saved."))
        return redirect("sites_staff:edit", slug=site.slug)
    return render(request, "sites/site_edit.html", {"site": site, "form": form})


@require_http_methods(["GET", "POST"])
def site_schedule_edit(request, slug):
    site = access_site(request.user, slug, for_write=True)
    data = request.POST if request.method == "POST" else None
    hours = HoursFormSet(data, instance=site, prefix="hours")
    closures = ClosureFormSet(data, instance=site, prefix="closures")
    if data is not None and hours.is_valid() and closures.is_valid():
        services.site_schedule_update(hours_formset=hours, closures_formset=closures)
        messages.success(request, _("Hours and closures have been saved."))
        return redirect("sites_staff:schedule", slug=site.slug)
    return render(
        request, "sites/site_schedule_edit.html", {"site": site, "hours": hours, "closures": closures}
    )


# --- appointments ---------------------------------------------------------------------------------------


def _slot_days(slots):
    days: dict = {}
    for slot in slots:
        days.setdefault(timezone.localtime(slot.start).date(), []).append(slot)
    return sorted(days.items())


@login_required
@require_http_methods(["GET", "POST"])
def appointment_book(request, slug):
    site = selectors.site_public(slug)
    now = timezone.now()
    slots = appointments.appointment_slots(site, now=now)
    initial = {"idempotency_key": uuid.uuid4(), "language": get_language()}
    form = BookingForm(request.POST or None, initial=initial, site=site, slots=slots)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appointment = appointments.appointment_book(
                site=site,
                youth=request.user,
                starts_at=form.slots[data["slot"]].start,
                mode=data["mode"],
                language=data["language"],
                phone=data["phone"],
                idempotency_key=data["idempotency_key"],
                calendar_shows_site=data["calendar_shows_site"],
                now=now,
            )
        except appointments.SlotUnavailable:
            form.add_error("slot", _("Someone has just booked this time. Please choose another one."))
        else:
            return redirect("sites:appointment", public_id=appointment.public_id)
    context = {"site": site, "form": form, "days": _slot_days(slots)}
    return render(request, "sites/appointment_book.html", context)


@login_required
@require_GET
def appointment_detail(request, public_id):
    appointment = access_own_appointment(request.user, public_id)
    token = appointments.manage_token(appointment)
    return render(request, "sites/appointment_detail.html", {"appointment": appointment, "token": token})


@require_http_methods(["GET", "POST"])
def appointment_manage(request, token):
    """Reached from the mail link. GET only shows; changing needs a click (mail scanners follow links)."""
    appointment = appointments.appointment_from_token(token)
    if appointment is None or appointment.ends_at < timezone.now():
        return render(request, "sites/appointment_link_invalid.html", status=404)
    now = timezone.now()
    slots = (
        appointments.appointment_slots(appointment.site, now=now, exclude=appointment)
        if appointment.is_active
        else []
    )
    error = None
    if request.method == "POST" and appointment.is_active:
        if request.POST.get("action") == "cancel":
            appointments.appointment_set_status(
                appointment=appointment,
                status=AppointmentStatus.CANCELLED,
                reason=_("Cancelled by the young person"),
            )
            messages.success(request, _("Your appointment has been cancelled."))
            return redirect("sites:appointment_manage", token=token)
        chosen = {slot.start.isoformat(): slot for slot in slots}.get(request.POST.get("slot", ""))
        try:
            if chosen is None:
                raise appointments.SlotUnavailable
            appointments.appointment_move(appointment=appointment, starts_at=chosen.start, now=now)
        except appointments.SlotUnavailable:
            error = _("This time is no longer free. Please choose another one.")
        else:
            messages.success(request, _("Your appointment has been moved."))
            return redirect("sites:appointment_manage", token=token)
    context = {"appointment": appointment, "days": _slot_days(slots), "error": error}
    return render(request, "sites/appointment_manage.html", context)


@require_GET
def site_agenda(request, slug):
    site = access_site_team(request.user, slug)
    start_day = _agenda_start(request.GET.get("from", ""))
    days = 1 if request.GET.get("view") == "day" else 7
    agenda = appointments.site_agenda(site, start_day=start_day, days=days)
    now = timezone.now()
    for appointment in (appointment for day in agenda for appointment in day.appointments):
        appointment.begun = appointment.starts_at <= now
        appointment.no_show_undoable = appointments.no_show_undoable(appointment, now=now)
    # The agenda shows young people's phone numbers: every opening is in the audit log.
    audit_record(
        actor=request.user,
        action=AuditAction.AGENDA_OPEN,
        target_type="site",
        target_id=site.slug,
        detail=f"{start_day.isoformat()} +{days}",
    )
    context = {
        "site": site,
        "agenda": agenda,
        "view": "day" if days == 1 else "week",
        "previous": start_day - timedelta(days=days),
        "next": start_day + timedelta(days=days),
        "slots": appointments.appointment_slots(site, now=timezone.now())[:40],
    }
    return render(request, "sites/agenda.html", context)


def _agenda_start(value: str) -> date:
    """?from=YYYY-MM-DD. Unreadable, or more than ten years away, is today: the page links a week back
    and forth, and a week before 0001-01-01 or after 9999-12-31 is not a date Python has."""
    today = timezone.localdate()
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return today
    return day if abs(day - today) <= AGENDA_REACH else today


AGENDA_REACH = timedelta(days=3653)


@require_POST
def agenda_action(request, slug, public_id):
    site = access_site_team(request.user, slug)
    appointment = get_object_or_404(Appointment, site=site, public_id=public_id)
    form = AppointmentStatusForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("sites_staff:agenda", slug=site.slug)
    action, reason = form.cleaned_data["action"], form.cleaned_data["reason"]
    if action == "move":
        try:
            appointments.appointment_move(
                appointment=appointment, starts_at=datetime.fromisoformat(form.cleaned_data["slot"])
            )
        except (ValueError, appointments.SlotUnavailable):
            messages.error(request, _("This time is no longer free. Please choose another one."))
            return redirect("sites_staff:agenda", slug=site.slug)
    elif action in ("no_show", "no_show_undo"):
        outcome = (
            appointments.appointment_no_show if action == "no_show" else appointments.appointment_no_show_undo
        )
        try:
            outcome(appointment=appointment, now=timezone.now())
        except appointments.OutcomeRefused as refusal:
            messages.error(request, str(refusal))
            return redirect("sites_staff:agenda", slug=site.slug)
    else:
        status = {"confirm": AppointmentStatus.CONFIRMED, "cancel": AppointmentStatus.CANCELLED}[action]
        appointments.appointment_set_status(appointment=appointment, status=status, reason=reason)
    messages.success(request, _("The appointment has been updated."))
    day = timezone.localtime(appointment.starts_at).date()
    return redirect(f"{reverse('sites_staff:agenda', args=[site.slug])}?from={day}")


@login_required
@require_GET
def my_bookings(request):
    """The young person's own appointments and groups, in one place."""
    now = timezone.now()
    upcoming = Appointment.objects.filter(youth=request.user, status__in=ACTIVE_APPOINTMENT, ends_at__gt=now)
    context = {
        "appointments": upcoming.select_related("site"),
        "participations": groups.my_groups(request.user, now=now),
    }
    return render(request, "sites/my_bookings.html", context)


# --- group offers ------------------------------------------------------------------------------------


@require_GET
def group_overview(request):
    form = GroupFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    offers = groups.group_offers_upcoming(
        now=timezone.now(), language=data.get("language", ""), format=data.get("format", "")
    )
    return render(request, "sites/group_overview.html", {"form": form, "offers": offers[:100]})


def _group_or_404(public_id) -> GroupOffer:
    offer = groups.group_offer_public(public_id)
    if offer is None:
        raise Http404
    return offer


@require_http_methods(["GET", "POST"])
def group_detail(request, public_id):
    offer = _group_or_404(public_id)
    now = timezone.now()
    participation = groups.participation_of(offer, request.user)
    initial = {
        "pseudonym": getattr(request.user, "display_name", "") or getattr(request.user, "username", "")
    }
    form = GroupJoinForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if form.is_valid():
            try:
                participation = groups.group_join(
                    offer=offer, youth=request.user, pseudonym=form.cleaned_data["pseudonym"], now=now
                )
            except groups.GroupClosed:
                messages.error(request, _("Sign-up for this group has closed."))
            else:
                if participation.status == ParticipationStatus.CONFIRMED:
                    messages.success(request, _("You have a place in this group."))
                else:
                    messages.success(request, _("The group is full. You are on the waiting list."))
                return redirect("sites:group", public_id=offer.public_id)
    context = {
        "offer": offer,
        "sessions": offer.sessions.filter(ends_at__gt=now),
        "places_left": groups.places_left(offer),
        "open": groups.open_for_signup(offer, now=now),
        "participation": participation,
        "position": groups.waiting_position(participation)
        if participation and participation.status == ParticipationStatus.WAITING
        else None,
        "form": form,
    }
    return render(request, "sites/group_detail.html", context)


@login_required
@require_POST
def group_leave(request, public_id):
    offer = _group_or_404(public_id)
    participation = groups.participation_of(offer, request.user)
    if participation is not None:
        groups.group_leave(participation=participation)
        messages.success(request, _("You are no longer signed up for this group."))
    return redirect("sites:group", public_id=offer.public_id)


@require_GET
def group_offers_staff(request, slug):
    site = access_site_team(request.user, slug)
    offers = groups.group_offers_of_site(site, now=timezone.now())
    context = {"site": site, "offers": offers, "may_change": site_may_change(request.user, site)}
    return render(request, "sites/group_offers_staff.html", context)


@require_http_methods(["GET", "POST"])
def group_offer_edit(request, slug, public_id=None):
    site = access_site(request.user, slug, for_write=True)
    offer = (
        get_object_or_404(GroupOffer, site=site, public_id=public_id) if public_id else GroupOffer(site=site)
    )
    data = request.POST if request.method == "POST" else None
    form = GroupOfferForm(
        data, instance=offer, initial={"language": get_language()} if not offer.pk else None
    )
    sessions = GroupSessionFormSet(data, instance=offer, prefix="sessions")
    if data is not None and form.is_valid() and sessions.is_valid():
        offer = groups.group_offer_save(form=form, sessions_formset=sessions, site=site)
        messages.success(request, _("The group offer has been saved."))
        return redirect("sites_staff:group", slug=site.slug, public_id=offer.public_id)
    return render(
        request,
        "sites/group_offer_edit.html",
        {"site": site, "offer": offer, "form": form, "sessions": sessions},
    )


@require_GET
def group_offer_staff(request, slug, public_id):
    site = access_site_team(request.user, slug)
    offer = get_object_or_404(GroupOffer, site=site, public_id=public_id)
    audit_record(
        actor=request.user,
        action=AuditAction.GROUP_OPEN,
        target_type="group_offer",
        target_id=offer.public_id,
    )
    context = {
        "site": site,
        "offer": offer,
        "sessions": offer.sessions.all(),
        "people": groups.participants(offer),
        "may_change": site_may_change(request.user, site),
    }
    return render(request, "sites/group_offer_staff.html", context)


@require_POST
def group_offer_action(request, slug, public_id):
    """Cancel the offer, or take one participant off it (the next on the waiting list moves up)."""
    site = access_site(request.user, slug, for_write=True)
    offer = get_object_or_404(GroupOffer, site=site, public_id=public_id)
    if request.POST.get("action") == "cancel":
        groups.group_offer_cancel(offer=offer)
        messages.success(request, _("The group offer has been cancelled. Participants have been told."))
    else:
        participation = get_object_or_404(
            GroupParticipation, offer=offer, pk=request.POST.get("participation") or 0
        )
        groups.group_leave(participation=participation, removed_by_staff=True)
        messages.success(
            request, _("%(name)s has been taken off the list.") % {"name": participation.pseudonym}
        )
    return redirect("sites_staff:group", slug=site.slug, public_id=offer.public_id)
