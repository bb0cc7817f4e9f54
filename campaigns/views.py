"""Public side: short links and landing pages. Nothing here sets a cookie or stores who came."""

import re

from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language, override
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from campaigns import services
from campaigns.models import CallToAction, CampaignPage, ReachKind
from hub.links import absolute_url, is_canonical_path

_REF = re.compile(r"^[a-z0-9]{4,16}$")


@never_cache
@require_GET
def short_link(request, code: str):
    """/c/<code>/ – the QR code's target: count one landing for the channel, then open the campaign page in
    the channel's language, with the code in the URL so its calls to action can carry it on."""
    channel = services.channel_by_code(code)
    if channel is None:
        raise Http404
    language = channel.landing_language
    campaign = channel.campaign
    if not campaign.live:
        with override(language):
            return redirect("hub:start")  # the poster outlived the campaign: the portal still helps
    services.reach_count(channel=channel, kind=ReachKind.LANDING, language=language)
    with override(language):
        return redirect(f"{campaign.landing_url(language)}?ref={channel.code}")


@require_GET
def landing(request, slug: str):
    language = get_language()
    campaign = (
        CampaignPage.objects.live()
        .select_related("share_image")
        .filter(Q(slug_de=slug) | Q(**{f"slug_{language}": slug}))
        .first()
    )
    if campaign is None:
        raise Http404
    ref = request.GET.get("ref", "")
    ref = ref if _REF.match(ref) else ""
    canonical = campaign.landing_url(language)
    if not is_canonical_path(request, canonical):
        return redirect(f"{canonical}?ref={ref}" if ref else canonical)
    context = {
        "campaign": campaign,
        "page": campaign,
        "ref": ref,
        "actions": _actions(campaign),
        "site_url": absolute_url("/", request=request).rstrip("/"),
    }
    return render(request, "campaigns/landing.html", context)


def _actions(campaign: CampaignPage) -> list[dict]:
    """The campaign's call to action first, the other two as quieter links."""
    urls = {
        CallToAction.ASK: "counseling:ask",
        CallToAction.FIND_SITE: "sites:finder",
        CallToAction.GROUP_OFFER: "sites:groups",
    }
    actions = []
    for action in [
        CallToAction(campaign.call_to_action),
        *(a for a in CallToAction if a != campaign.call_to_action),
    ]:
        primary = action == campaign.call_to_action
        label = (campaign.call_to_action_label if primary else "") or action.label
        actions.append({"url_name": urls[action], "label": label, "primary": primary, "kind": action.value})
    return actions
