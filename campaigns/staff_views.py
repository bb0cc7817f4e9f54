"""Staff side of campaigns: reach report with chart and CSV, channels with QR codes, post planner."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from campaigns import qr, selectors, services
from campaigns.access import (
    REPORT_PERMISSION,
    access_campaign_report,
    access_channel,
    access_planned_post,
    may_plan_posts,
)
from campaigns.forms import ChannelForm, PlannedPostForm
from hub.csv_export import csv_download


@require_GET
def campaign_list(request):
    if not request.user.has_perm(REPORT_PERMISSION):
        raise PermissionDenied
    return render(
        request, "campaigns/staff/campaign_list.html", {"campaigns": selectors.campaigns_with_totals()}
    )


@require_http_methods(["GET", "POST"])
def campaign_report(request, page_id: int):
    campaign = access_campaign_report(request.user, page_id)
    form = ChannelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        channel = services.channel_create(campaign=campaign, **form.cleaned_data)
        messages.success(
            request, _("The channel “%(name)s” has its short link and QR code.") % {"name": channel.name}
        )
        return redirect("campaigns_staff:report", page_id=campaign.pk)
    days = 90 if request.GET.get("days") == "90" else 30
    daily = selectors.reach_daily(campaign, days=days)
    context = {
        "campaign": campaign,
        "campaign_url": campaign.landing_url(get_language()),
        "form": form,
        "days": days,
        "totals": selectors.reach_totals(campaign),
        "by_channel": selectors.reach_by_channel(campaign),
        "by_language": selectors.reach_by_language(campaign),
        "chart": selectors.reach_chart(daily),
    }
    return render(request, "campaigns/staff/report.html", context)


@require_GET
def campaign_report_csv(request, page_id: int):
    campaign = access_campaign_report(request.user, page_id)
    response, writer = csv_download(f"campaign-{campaign.pk}-reach.csv")
    writer.writerow(["day", "channel", "channel_kind", "code", "language", "kind", "count"])
    for row in selectors.reach_rows_for_export(campaign):
        writer.writerow(
            [
                row.day.isoformat(),
                row.channel.name,
                row.channel.kind,
                row.channel.code,
                row.language,
                row.kind,
                row.count,
            ]
        )
    return response


@require_GET
def channel_qr(request, channel_id: int, fmt: str):
    channel = access_channel(request.user, channel_id)
    if fmt not in {"svg", "png"}:
        raise Http404
    if fmt == "svg":
        response = HttpResponse(qr.qr_svg(channel.short_url(request)), content_type="image/svg+xml")
    else:
        response = HttpResponse(qr.qr_png(channel.short_url(request)), content_type="image/png")
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="qr-{channel.code}.{fmt}"'
    return response


@require_GET
def planner(request):
    campaign_id = request.GET.get("campaign")
    campaign_id = int(campaign_id) if campaign_id and campaign_id.isdigit() else None
    show_all = request.GET.get("all") == "1"
    context = {
        "posts": selectors.planned_posts(campaign_id=campaign_id, upcoming_only=not show_all),
        "campaigns": selectors.campaigns_with_totals(),
        "campaign_id": campaign_id,
        "show_all": show_all,
        "may_plan": may_plan_posts(request.user),
    }
    return render(request, "campaigns/staff/planner.html", context)


@require_http_methods(["GET", "POST"])
def planned_post_edit(request, post_id: int | None = None):
    post = access_planned_post(request.user, post_id, for_write=True) if post_id else None
    if post is None and not may_plan_posts(request.user):
        raise PermissionDenied
    form = PlannedPostForm(request.POST or None, instance=post)
    if request.method == "POST" and form.is_valid():
        services.planned_post_save(post=post, **form.cleaned_data)
        messages.success(request, _("The post is in the plan."))
        return redirect("campaigns_staff:planner")
    return render(request, "campaigns/staff/planned_post_edit.html", {"form": form, "post": post})
