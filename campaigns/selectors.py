"""Reach reports: totals per kind, channel, language and day – from the aggregated counters only."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, Sum
from django.utils import timezone

from campaigns.models import CampaignPage, Channel, PlannedPost, ReachCount, ReachKind

KINDS = list(ReachKind)


def campaigns_with_totals():
    sums = {
        f"total_{kind.value}": Sum("reach_counts__count", filter=Q(reach_counts__kind=kind)) for kind in KINDS
    }
    return CampaignPage.objects.annotate(**sums).order_by("-first_published_at", "pk")


def _pivot(rows, key: str) -> list[dict]:
    table: dict = {}
    for row in rows:
        entry = table.setdefault(row[key], {key: row[key], **{kind.value: 0 for kind in KINDS}})
        entry[row["kind"]] += row["total"]
    return list(table.values())


def reach_by_channel(campaign: CampaignPage) -> list[dict]:
    totals = {
        row["channel"]: row
        for row in _pivot(
            ReachCount.objects.filter(campaign=campaign)
            .values("channel", "kind")
            .annotate(total=Sum("count")),
            "channel",
        )
    }
    empty = {kind.value: 0 for kind in KINDS}
    return [{**totals.get(channel.pk, empty), "channel": channel} for channel in campaign.channels.all()]


def reach_by_language(campaign: CampaignPage) -> list[dict]:
    rows = (
        ReachCount.objects.filter(campaign=campaign).values("language", "kind").annotate(total=Sum("count"))
    )
    return sorted(_pivot(rows, "language"), key=lambda row: -row["landing"])


def reach_totals(campaign: CampaignPage) -> dict:
    rows = ReachCount.objects.filter(campaign=campaign).values("kind").annotate(total=Sum("count"))
    totals = {kind.value: 0 for kind in KINDS}
    totals.update({row["kind"]: row["total"] for row in rows})
    return totals


def reach_daily(campaign: CampaignPage, *, days: int = 30, today: date | None = None) -> list[dict]:
    """One entry per day of the last `days` days (zeros included), for the chart."""
    today = today or timezone.localdate()
    start = today - timedelta(days=days - 1)
    rows = (
        ReachCount.objects.filter(campaign=campaign, day__gte=start, day__lte=today)
        .values("day", "kind")
        .annotate(total=Sum("count"))
    )
    by_day = {start + timedelta(days=offset): {kind.value: 0 for kind in KINDS} for offset in range(days)}
    for row in rows:
        by_day[row["day"]][row["kind"]] = row["total"]
    return [{"day": day, **counts} for day, counts in by_day.items()]


def reach_rows_for_export(campaign: CampaignPage):
    return (
        ReachCount.objects.filter(campaign=campaign)
        .select_related("channel")
        .order_by("day", "channel__kind", "channel__name", "language", "kind")
    )


@dataclass
class Chart:
    width: int
    height: int
    series: list[dict]  # kind, label, points ("x,y x,y"), css class
    y_max: int
    x_labels: list[dict]  # x, text
    y_labels: list[dict]  # y, text


def reach_chart(daily: list[dict], *, width: int = 640, height: int = 240) -> Chart:
    """Coordinates for a server-rendered SVG line chart (no JavaScript, no outside library)."""
    pad_x, pad_y = 36, 20
    y_max = max([1] + [row[kind.value] for row in daily for kind in KINDS])
    span_x = (width - 2 * pad_x) / max(len(daily) - 1, 1)

    def y(value: int) -> float:
        return round(height - pad_y - (height - 2 * pad_y) * value / y_max, 1)

    series = []
    for kind in KINDS:
        points = " ".join(
            f"{round(pad_x + i * span_x, 1)},{y(row[kind.value])}" for i, row in enumerate(daily)
        )
        series.append({"kind": kind.value, "label": kind.label, "points": points})
    step = max(len(daily) // 6, 1)
    x_labels = [
        {"x": round(pad_x + i * span_x, 1), "text": row["day"]}
        for i, row in enumerate(daily)
        if i % step == 0
    ]
    y_labels = [{"y": y(value), "text": value} for value in sorted({0, y_max // 2, y_max})]
    return Chart(width, height, series, y_max, x_labels, y_labels)


def planned_posts(*, campaign_id: int | None = None, upcoming_only: bool = True):
    posts = PlannedPost.objects.select_related("campaign", "channel", "social_space")
    if campaign_id:
        posts = posts.filter(campaign_id=campaign_id)
    if upcoming_only:
        posts = posts.filter(publish_on__gte=timezone.localdate() - timedelta(days=7))
    return posts


def channels_of(campaign: CampaignPage):
    return Channel.objects.filter(campaign=campaign)
