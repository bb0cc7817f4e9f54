"""Coordinators' pages in hub: statistics (table, SVG chart, CSV, yearly report), retention periods with
the purge preview, and staff accounts (roles, two-factor reset). The staff-area middleware has already
checked role and two-factor authentication; each view checks its permission."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hub import retention, services, statistics
from hub.access import access_staff_account, staff_accounts
from hub.audit import AuditAction, audit_record
from hub.csv_export import csv_download
from hub.mfa import user_has_totp
from hub.staff_forms import RetentionForm, StaffRolesForm, statistics_query


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
        for by in ("month", "channel", "language", "topic", "provider_group")
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


@permission_required("hub.change_user", raise_exception=True)
@require_GET
def staff_account_list(request):
    return render(request, "hub/staff_accounts.html", {"accounts": staff_accounts()})


@permission_required("hub.change_user", raise_exception=True)
@require_http_methods(["GET", "POST"])
def staff_account(request, user_id):
    account = access_staff_account(request.user, user_id)
    form = StaffRolesForm(request.POST or None, initial={"roles": sorted(services.staff_roles_of(account))})
    if request.method == "POST" and form.is_valid():
        services.staff_roles_set(user=account, roles=form.cleaned_data["roles"], actor=request.user)
        messages.success(request, _("The roles have been saved."))
        return redirect("hub:staff_account", user_id=account.pk)
    context = {"account": account, "form": form, "has_totp": user_has_totp(account)}
    return render(request, "hub/staff_account.html", context, status=400 if form.errors else 200)


@permission_required("hub.change_user", raise_exception=True)
@require_POST
def staff_account_totp_reset(request, user_id):
    account = access_staff_account(request.user, user_id)
    services.totp_reset(user=account, actor=request.user)
    messages.success(
        request, _("Two-factor authentication was reset. They set it up again at their next sign-in.")
    )
    return redirect("hub:staff_account", user_id=account.pk)
