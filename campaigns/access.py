"""Who may see campaign reach and plan posts.

Reach reports and channels (short links, QR codes) are for coordinators; the post planner is read by all
staff (the online mentors post what it says) and written by coordinators and editors.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from campaigns.models import CampaignPage, Channel, PlannedPost

REPORT_PERMISSION = "campaigns.view_reachcount"
PLANNER_PERMISSION = "campaigns.change_plannedpost"


def may_plan_posts(user) -> bool:
    return user.has_perm(PLANNER_PERMISSION)


def access_campaign_report(user, page_id: int) -> CampaignPage:
    if not user.has_perm(REPORT_PERMISSION):
        raise PermissionDenied
    campaign = CampaignPage.objects.filter(pk=page_id).first()
    if campaign is None:
        raise Http404
    return campaign


def access_channel(user, channel_id: int) -> Channel:
    if not user.has_perm(REPORT_PERMISSION):
        raise PermissionDenied
    channel = Channel.objects.select_related("campaign").filter(pk=channel_id).first()
    if channel is None:
        raise Http404
    return channel


def access_planned_post(user, post_id: int, *, for_write: bool = False) -> PlannedPost:
    post = PlannedPost.objects.select_related("campaign", "channel").filter(pk=post_id).first()
    if post is None:
        raise Http404
    if for_write and not may_plan_posts(user):
        raise PermissionDenied
    return post
