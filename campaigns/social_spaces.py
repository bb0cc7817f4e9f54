"""Social-space analysis (Sozialraumanalyse, issue 20): the digital places where the target groups meet,
recorded by online mentors, with reach read per place and a coordinators' overview per country and
platform.

A place is described, never the young people in it: its free texts are checked with the forum's
contact-detail detection (counseling/forum/contact_details.py), so a handle, a phone number or an
e-mail address is refused with a message naming the problem (campaigns/forms.py SocialSpaceForm).
Reach per place is the reach of the campaign channels (short links) used there: counted without
tracking anybody, like every reach figure (campaigns/models.py).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.http import Http404

from campaigns.models import PlannedPost, ReachCount, ReachKind, SocialSpace
from hub.roles import SOCIAL_SPACES_OVERVIEW, SOCIAL_SPACES_RECORD
from hub.statistics import LABEL_WIDTH, Bar

# --- access ------------------------------------------------------------------------------------------


def may_record_spaces(user) -> bool:
    return user.has_perm(SOCIAL_SPACES_RECORD)


def may_read_overview(user) -> bool:
    return user.has_perm(SOCIAL_SPACES_OVERVIEW)


def access_social_space(user, space_id: int) -> SocialSpace:
    """Online mentors record and keep the places as a team; coordinators too. Others: 403 for the feature."""
    if not may_record_spaces(user):
        raise PermissionDenied
    space = SocialSpace.objects.filter(pk=space_id).first()
    if space is None:
        raise Http404
    return space


# --- writes ------------------------------------------------------------------------------------------


def social_space_save(*, space: SocialSpace | None, by, channels=(), **fields) -> SocialSpace:
    space = space or SocialSpace(recorded_by=by)
    for name, value in fields.items():
        setattr(space, name, value)
    space.save()
    space.channels.set(channels)
    return space


def social_space_delete(space: SocialSpace) -> None:
    """The place goes; planned posts linked to it keep their text and lose the link (SET_NULL), and the
    reach stays with the campaign channels it was counted on."""
    space.delete()


# --- reads -------------------------------------------------------------------------------------------


def _reach_by_space(space_ids) -> dict[int, dict[str, int]]:
    rows = (
        ReachCount.objects.filter(channel__social_spaces__in=space_ids)
        .values("channel__social_spaces", "kind")
        .annotate(total=Sum("count"))
    )
    reach: dict[int, dict[str, int]] = {}
    for row in rows:
        counts = reach.setdefault(row["channel__social_spaces"], {kind.value: 0 for kind in ReachKind})
        counts[row["kind"]] += row["total"]
    return reach


def social_spaces_with_reach(*, country: str = "", platform: str = "") -> list[SocialSpace]:
    """Each place with `reach` (landings, sign-ups, first questions through its channels) and `posts`
    (planned posts for it): three queries whatever the number of places."""
    spaces = SocialSpace.objects.prefetch_related("channels__campaign")
    if country:
        spaces = spaces.filter(country=country)
    if platform:
        spaces = spaces.filter(platform=platform)
    spaces = list(spaces)
    ids = [space.pk for space in spaces]
    reach = _reach_by_space(ids)
    posts = dict(
        PlannedPost.objects.filter(social_space__in=ids)
        .values("social_space")
        .annotate(n=Count("pk"))
        .values_list("social_space", "n")
    )
    empty = {kind.value: 0 for kind in ReachKind}
    for space in spaces:
        space.reach = reach.get(space.pk, empty)
        space.posts = posts.get(space.pk, 0)
    return spaces


@dataclass
class OverviewRow:
    country: str
    country_label: str
    platform: str
    platform_label: str
    places: int = 0
    members: int = 0
    posts: int = 0
    landings: int = 0
    first_questions: int = 0


def overview_rows(spaces: list[SocialSpace]) -> list[OverviewRow]:
    """One row per (country, platform) with the places, their size, posts and reach."""
    rows: dict[tuple[str, str], OverviewRow] = {}
    for space in spaces:
        key = (space.country, space.platform)
        row = rows.get(key) or rows.setdefault(
            key,
            OverviewRow(
                space.country, space.get_country_display(), space.platform, space.get_platform_display()
            ),
        )
        row.places += 1
        row.members += space.members or 0
        row.posts += space.posts
        row.landings += space.reach[ReachKind.LANDING]
        row.first_questions += space.reach[ReachKind.ENQUIRY]
    return sorted(rows.values(), key=lambda row: (row.country_label, row.platform_label))


def places_chart(rows: list[OverviewRow], *, by: str, width: int = 180, row_height: int = 26) -> dict:
    """Places per country (`by="country"`) or per platform as the statistics page's horizontal bars
    (hub/statistics.py Bar, drawn by templates/hub/includes/bar_chart.svg): one chart look, no script."""
    totals: dict[str, int] = {}
    for row in rows:
        label = row.country_label if by == "country" else row.platform_label
        totals[label] = totals.get(label, 0) + row.places
    largest = max(totals.values(), default=0) or 1
    bars = []
    for i, (label, value) in enumerate(sorted(totals.items(), key=lambda item: (-item[1], item[0]))):
        length = width * value / largest
        bars.append(
            Bar(label, str(value), i * row_height, f"{length:.1f}", f"{length + LABEL_WIDTH + 6:.1f}", False)
        )
    return {"bars": bars, "height": max(len(bars), 1) * row_height, "width": width, "row_height": row_height}
