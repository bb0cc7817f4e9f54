"""Coordinators' pages in hub: statistics (table, SVG chart, CSV, yearly report), retention periods with
the purge preview, and the staff administration (coordinators and site leads: roles, sites, counselor
profile, absence, deactivation, two-factor reset; writes in counseling/staffing.py). The staff-area
middleware has already checked role and two-factor authentication; each view checks its permission."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from counseling import staffing
from counseling.models import CounselorProfile
from counseling.routing import present
from hub import retention, services, statistics
from hub.access import access_staff_account, account_site_ids, staff_scope_required, user_roles_held
from hub.audit import AuditAction, audit_record
from hub.csv_export import csv_download
from hub.mfa import user_has_totp
from hub.staff_forms import (
    ConfirmForm,
    RetentionForm,
    StaffAccountForm,
    StaffFilterForm,
    statistics_query,
)

STAFF_PER_PAGE = 50


@permission_required("hub.view_statevent", raise_exception=True)
@require_GET
def statistics_page(request):
    form, query = statistics_query(request.GET)
    table = statistics.stat_table(
        year=query["year"], month=query["month"], filters=query["filters"], by=query["by"]
    )
    context = {
        "form": form,
        "query": query,
        "table": table,
        "chart": statistics.bar_chart(table, query["chart"]),
        "chart_label": dict(table.columns)[query["chart"]],
        "dimension_label": statistics.DIMENSIONS[table.dimension],
        "threshold": statistics.THRESHOLD,
    }
    return render(request, "hub/statistics.html", context)


@permission_required("hub.view_statevent", raise_exception=True)
@require_GET
def statistics_csv(request):
    """The table as it is shown, suppression included; every export is in the audit log."""
    _form, query = statistics_query(request.GET)
    table = statistics.stat_table(
        year=query["year"], month=query["month"], filters=query["filters"], by=query["by"]
    )
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT_MADE,
        target_type="statistics",
        target_id=query["year"],
        detail=request.GET.urlencode()[:200],
    )
    response, writer = csv_download(f"jmd-statistics-{query['year']}.csv")
    writer.writerow(
        [str(statistics.DIMENSIONS[table.dimension])] + [str(label) for _key, label in table.columns]
    )
    for row in [*table.rows, table.total]:
        writer.writerow([row.label] + [row.cells[key].shown for key, _label in table.columns])
    return response


@permission_required("hub.view_statevent", raise_exception=True)
@require_GET
def statistics_report(request, year):
    """The yearly report for the funders (AMIF, BMFSFJ): every breakdown on one printable page."""
    sections = [
        (statistics.DIMENSIONS[by], statistics.stat_table(year=year, by=by))
        for by in ("month", "channel", "language", "topic", "provider_group", "country")
    ]
    overview = sections[0][1].total
    context = {"year": year, "sections": sections, "overview": overview, "threshold": statistics.THRESHOLD}
    return render(request, "hub/statistics_report.html", context)


@permission_required("hub.change_retentionpolicy", raise_exception=True)
@require_http_methods(["GET", "POST"])
def retention_page(request):
    form = RetentionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for key, value in form.changed_policies().items():
            retention.retention_policy_set(key=key, value=value, actor=request.user)
        messages.success(request, _("The retention periods have been saved. The next purge uses them."))
        return redirect("hub:retention")
    context = {
        "form": form,
        "preview": retention.retention_preview(),
        "runs": retention.purge_runs_recent(),
    }
    return render(request, "hub/retention.html", context, status=400 if form.errors else 200)


# --- staff administration: coordinators (all staff) and site leads (their sites' staff) -----------------


@require_GET
def staff_account_list(request):
    scope = staff_scope_required(request.user)
    form = StaffFilterForm(request.GET or None, scope=scope)
    page = Paginator(staffing.staff_list(scope, form.filters()), STAFF_PER_PAGE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "rows": staffing.staff_rows(page), "query": query.urlencode()}
    return render(request, "hub/staff_accounts.html", context)


@require_http_methods(["GET", "POST"])
def staff_account(request, user_id):
    account = access_staff_account(request.user, user_id, for_write=request.method == "POST")
    scope = staff_scope_required(request.user)
    held = account_site_ids(account)
    profile = CounselorProfile.objects.filter(user=account).first()
    form = StaffAccountForm(
        request.POST or None,
        scope=scope,
        account=account,
        mentors=staffing.mentor_choices(scope),
        held={
            "roles": user_roles_held(account),
            "counsel_sites": held["counsel_at_site"],
            "lead_sites": held["lead_site"],
        },
        initial=_account_initial(account, held, profile),
    )
    if request.method == "POST" and form.is_valid():
        setup = staffing.StaffSetup(
            roles=form.cleaned_data["roles"],
            counsel_sites=form.cleaned_data["counsel_sites"],
            lead_sites=form.cleaned_data["lead_sites"],
            profile=form.profile_values(),
        )
        try:
            staffing.staff_setup_apply(
                actor=request.user, account=account, setup=setup, absence=form.absence()
            )
        except staffing.LastCoordinator:
            form.add_error("roles", _last_coordinator_message())
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("hub:staff_account", user_id=account.pk)
    context = {
        "account": account,
        "form": form,
        "has_totp": user_has_totp(account),
        "absent": profile is not None and not present(profile, timezone.localdate()),
    }
    return render(request, "hub/staff_account.html", context, status=400 if form.errors else 200)


def _account_initial(account, held, profile) -> dict:
    initial = {
        "roles": sorted(user_roles_held(account)),
        "counsel_sites": sorted(held["counsel_at_site"]),
        "lead_sites": sorted(held["lead_site"]),
    }
    if profile is not None:
        initial.update(
            languages=profile.languages,
            topics=profile.topics,
            capacity=profile.capacity,
            chat_seats=profile.chat_seats,
            mentor=profile.mentor_id,
            is_absent=profile.is_absent,
            absent_until=profile.absent_until,
            absence_message=profile.absence_message,
        )
    return initial


def _last_coordinator_message():
    return _("They are the last active coordinator: make someone else coordinator first.")


@require_http_methods(["GET", "POST"])
def staff_account_deactivate(request, user_id):
    """GET asks for confirmation; POST (confirmed) deactivates: signed out everywhere, cases to the team."""
    account = access_staff_account(request.user, user_id, for_write=True)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            released = staffing.staff_deactivate(actor=request.user, account=account)
        except staffing.LastCoordinator:
            form.add_error(None, _last_coordinator_message())
        else:
            messages.success(
                request,
                ngettext(
                    "The account is deactivated; %(count)s open case went back to the team queue.",
                    "The account is deactivated; %(count)s open cases went back to the team queue.",
                    released,
                )
                % {"count": released},
            )
            return redirect("hub:staff_account", user_id=account.pk)
    context = {"account": account, "form": form, "action": "deactivate"}
    return render(request, "hub/staff_account_confirm.html", context, status=400 if form.errors else 200)


@require_POST
def staff_account_reactivate(request, user_id):
    account = access_staff_account(request.user, user_id, for_write=True)
    staffing.staff_reactivate(actor=request.user, account=account)
    messages.success(request, _("The account is active again."))
    return redirect("hub:staff_account", user_id=account.pk)


@require_http_methods(["GET", "POST"])
def staff_account_totp_reset(request, user_id):
    """GET asks for confirmation (a lost phone is a classic pretext); POST, confirmed, resets."""
    account = access_staff_account(request.user, user_id, for_write=True)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.totp_reset(user=account, actor=request.user)
        messages.success(
            request, _("Two-factor authentication was reset. They set it up again at their next sign-in.")
        )
        return redirect("hub:staff_account", user_id=account.pk)
    context = {"account": account, "form": form, "action": "totp_reset"}
    return render(request, "hub/staff_account_confirm.html", context, status=400 if form.errors else 200)
