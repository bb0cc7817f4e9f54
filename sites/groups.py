"""Group offers: listing, signing up under a pseudonym, the waiting list and its promotion.

Every change to who has a place happens while the offer's row is locked (SELECT … FOR UPDATE), so two
people taking the last place at once end up as one place and one waiting-list entry, never two places.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count, Exists, F, Min, OuterRef, Q
from django.db.models.functions import Greatest
from django.utils import timezone

from hub.services import user_notify
from hub.statistics import Channel, StatKind, stat_record
from sites.models import (
    ACTIVE_PARTICIPATION,
    GroupOffer,
    GroupParticipation,
    GroupSession,
    ParticipationStatus,
    Site,
)


class GroupClosed(Exception):
    """The offer is cancelled or its last meeting has begun: nobody can sign up any more."""


def _participants_with(status: str) -> Count:
    return Count("participations", filter=Q(participations__status=status), distinct=True)


def group_offers_upcoming(*, now: datetime, site: Site | None = None, language="", format=""):
    """Offers with a meeting still to come, soonest first, with places taken: one query."""
    offers = (
        GroupOffer.objects.filter(is_cancelled=False)
        .annotate(
            next_start=Min("sessions__starts_at", filter=Q(sessions__starts_at__gte=now)),
            taken=_participants_with(ParticipationStatus.CONFIRMED),
        )
        .annotate(left=Greatest(F("capacity") - F("taken"), 0))
        .filter(next_start__isnull=False)
        .select_related("site")
        .order_by("next_start", "pk")
    )
    if site is not None:
        offers = offers.filter(site=site)
    if language:
        offers = offers.filter(language=language)
    if format:
        offers = offers.filter(format=format)
    return offers


def group_offers_of_site(site: Site, *, now: datetime):
    """Every offer of a site for its staff, cancelled and past ones last, with places and waiting list."""
    return (
        GroupOffer.objects.filter(site=site)
        .annotate(
            next_start=Min("sessions__starts_at", filter=Q(sessions__ends_at__gt=now)),
            taken=_participants_with(ParticipationStatus.CONFIRMED),
            waiting=Count(
                "participations", filter=Q(participations__status=ParticipationStatus.WAITING), distinct=True
            ),
        )
        .order_by("is_cancelled", F("next_start").asc(nulls_last=True), "title")
    )


def group_offer_public(public_id) -> GroupOffer | None:
    return GroupOffer.objects.select_related("site").filter(public_id=public_id).first()


def places_left(offer: GroupOffer) -> int:
    taken = offer.participations.filter(status=ParticipationStatus.CONFIRMED).count()
    return max(offer.capacity - taken, 0)


def open_for_signup(offer: GroupOffer, *, now: datetime) -> bool:
    # Joining a running series is allowed until its last meeting begins (a language café is ongoing).
    return not offer.is_cancelled and offer.sessions.filter(starts_at__gt=now).exists()


def participation_of(offer: GroupOffer, youth) -> GroupParticipation | None:
    if not youth.is_authenticated:
        return None
    return offer.participations.filter(youth=youth, status__in=ACTIVE_PARTICIPATION).first()


def waiting_position(participation: GroupParticipation) -> int:
    ahead = GroupParticipation.objects.filter(
        offer_id=participation.offer_id, status=ParticipationStatus.WAITING
    ).filter(
        Q(created_at__lt=participation.created_at)
        | Q(created_at=participation.created_at, pk__lt=participation.pk)
    )
    return ahead.count() + 1


def _locked(offer: GroupOffer) -> GroupOffer:
    return GroupOffer.objects.select_for_update().get(pk=offer.pk)


@transaction.atomic
def group_join(*, offer: GroupOffer, youth, pseudonym: str, now: datetime | None = None):
    now = now or timezone.now()
    offer = _locked(offer)
    existing = participation_of(offer, youth)
    if existing is not None:
        return existing  # the form sent twice
    if not open_for_signup(offer, now=now):
        raise GroupClosed
    status = ParticipationStatus.CONFIRMED if places_left(offer) else ParticipationStatus.WAITING
    if status == ParticipationStatus.CONFIRMED:
        _count_participant(offer)
    return GroupParticipation.objects.create(offer=offer, youth=youth, pseudonym=pseudonym, status=status)


def _count_participant(offer: GroupOffer) -> None:
    stat_record(StatKind.GROUP_PARTICIPANT, site=offer.site, channel=Channel.GROUP, language=offer.language)


@transaction.atomic
def group_leave(*, participation: GroupParticipation, removed_by_staff: bool = False) -> None:
    offer = _locked(participation.offer)
    participation.refresh_from_db()
    if participation.status not in ACTIVE_PARTICIPATION:
        return
    participation.status = ParticipationStatus.CANCELLED
    participation.save(update_fields=["status"])
    if removed_by_staff:
        _tell(participation, "removed")
    promote_waiting(offer)


def promote_waiting(offer: GroupOffer) -> list[GroupParticipation]:
    """Fill free places from the head of the waiting list. The caller holds the offer's lock."""
    free = places_left(offer)
    if free <= 0 or offer.is_cancelled:
        return []
    promoted = list(
        offer.participations.filter(status=ParticipationStatus.WAITING).order_by("created_at", "pk")[:free]
    )
    now = timezone.now()
    for participation in promoted:
        participation.status = ParticipationStatus.CONFIRMED
        participation.promoted_at = now
        participation.save(update_fields=["status", "promoted_at"])
        _count_participant(offer)
        _tell(participation, "promoted")
    return promoted


@transaction.atomic
def group_offer_save(*, form, sessions_formset, site: Site) -> GroupOffer:
    """Offer and meetings are saved together; more places may move people up from the waiting list."""
    offer = form.save(commit=False)
    offer.site = site
    offer.save()
    sessions_formset.instance = offer
    sessions_formset.save()
    promote_waiting(_locked(offer))
    return offer


@transaction.atomic
def group_offer_cancel(*, offer: GroupOffer) -> None:
    offer = _locked(offer)
    if offer.is_cancelled:
        return
    offer.is_cancelled = True
    offer.save(update_fields=["is_cancelled"])
    for participation in offer.participations.filter(status__in=ACTIVE_PARTICIPATION).select_related("offer"):
        _tell(participation, "cancelled")


def _tell(participation: GroupParticipation, event: str) -> None:
    """In the portal at once; by mail (neutral, no title) when the young person gave an address."""
    from sites.tasks import send_group_mail

    user_notify(
        user_id=participation.youth_id,
        event={"kind": "group", "event": event, "offer": str(participation.offer.public_id)},
    )
    transaction.on_commit(lambda: send_group_mail.delay(participation.pk, event))


def participants(offer: GroupOffer) -> dict[str, list[GroupParticipation]]:
    rows = list(offer.participations.filter(status__in=ACTIVE_PARTICIPATION).order_by("created_at", "pk"))
    return {
        "confirmed": [row for row in rows if row.status == ParticipationStatus.CONFIRMED],
        "waiting": [row for row in rows if row.status == ParticipationStatus.WAITING],
    }


def sessions_due_for_reminder(*, now: datetime):
    """Meetings of tomorrow (German date) not yet reminded, of offers that still take place."""
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    start = timezone.make_aware(datetime.combine(tomorrow, datetime.min.time()))
    return GroupSession.objects.filter(
        offer__is_cancelled=False,
        reminded_at=None,
        starts_at__gte=start,
        starts_at__lt=start + timedelta(days=1),
    )


def my_groups(youth, *, now: datetime):
    """The young person's active sign-ups with a meeting still to come."""
    upcoming = GroupSession.objects.filter(offer=OuterRef("offer"), ends_at__gt=now)
    return (
        GroupParticipation.objects.filter(
            youth=youth, status__in=ACTIVE_PARTICIPATION, offer__is_cancelled=False
        )
        .filter(Exists(upcoming))
        .annotate(next_start=Min("offer__sessions__starts_at", filter=Q(offer__sessions__ends_at__gt=now)))
        .select_related("offer__site")
        .order_by("next_start")
    )
