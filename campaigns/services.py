"""Writes of the campaigns app: reach counters, channels and planned posts."""

from django.utils import timezone

from campaigns.models import CampaignIndexPage, CampaignPage, Channel, PlannedPost, ReachCount, ReachKind
from hub.cms import page_tree_ready, section_index_ensure
from hub.counters import counter_increment


def reach_count(*, channel: Channel, kind: ReachKind, language: str) -> None:
    """One more landing / sign-up / first question for the channel today: an atomic UPDATE of the
    aggregated row, created on first use. Nothing about the person is passed in or stored."""
    lookup = {"channel": channel, "language": language, "day": timezone.localdate(), "kind": kind}
    counter_increment(ReachCount, lookup=lookup, create={"campaign_id": channel.campaign_id})


def referral_count(*, code: str, kind: ReachKind, language: str) -> bool:
    """Count a sign-up or first question that came with a referral code (from the URL or a hidden form
    field); unknown codes are ignored. True if it was counted."""
    channel = channel_by_code(code)
    if channel is None:
        return False
    reach_count(channel=channel, kind=kind, language=language)
    return True


def channel_by_code(code: str) -> Channel | None:
    if not code or len(code) > 16:
        return None
    return Channel.objects.select_related("campaign").filter(code=code.lower()).first()


def channel_create(*, campaign: CampaignPage, kind: str, name: str, language: str = "") -> Channel:
    return Channel.objects.create(campaign=campaign, kind=kind, name=name, language=language)


def planned_post_save(*, post: PlannedPost | None = None, **fields) -> PlannedPost:
    post = post or PlannedPost()
    for name, value in fields.items():
        setattr(post, name, value)
    post.save()
    return post


def campaign_index_ensure() -> CampaignIndexPage:
    """The campaigns' section in the page tree, editable by editors and coordinators (idempotent)."""
    return section_index_ensure(
        CampaignIndexPage, title_de="Kampagnen", title_en="Campaigns", slug="kampagnen"
    )


def on_post_migrate(sender, **kwargs) -> None:
    if page_tree_ready():
        campaign_index_ensure()
