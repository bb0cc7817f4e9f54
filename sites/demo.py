"""Demo sites: the 24 model sites, and the demo staff's place in them."""

from sites import services
from sites.demo_data import MODEL_SITES, PROVIDER_GROUPS
from sites.models import GroupOffer, GroupSession, HoursKind, OpeningHours, ProviderGroup, Site


def load(out) -> list[dict]:
    groups = {}
    for short_name, name in PROVIDER_GROUPS:
        groups[short_name], _ = ProviderGroup.objects.update_or_create(
            short_name=short_name, defaults={"name": name}
        )
    for number, (provider, slug, name, street, postcode, town, state, lat, lon, languages) in enumerate(
        MODEL_SITES, 1
    ):
        Site.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "code": f"JMD-M{number:02d}",
                "provider_group": groups[provider],
                "is_model_site": True,
                "street": street,
                "postcode": postcode,
                "town": town,
                "federal_state": state,
                "latitude": lat,
                "longitude": lon,
                "languages": languages,
                "offers_groups": True,
                "email": f"{slug}@jmd-demo.de",
                "phone": "+49 30 1234567",
                "description_de": f"Der JMD in {town} berät junge Menschen von 12 bis 27 Jahren.",
                "description_en": f"The JMD in {town} advises young people aged 12 to 27.",
            },
        )
    _demo_hours()
    _place_demo_staff()
    _demo_groups()
    return []


# Online counseling Monday–Thursday, on-site counseling Tuesday–Thursday (the model project's rhythm).
DEMO_HOURS = [
    (HoursKind.ONLINE, [0, 1, 2, 3], [("09:00", "17:00")]),
    (HoursKind.ON_SITE, [1, 2, 3], [("10:00", "12:30"), ("13:30", "16:00")]),
    (HoursKind.CALLBACK, [0, 1, 2, 3], [("14:00", "16:00")]),
    (HoursKind.APPOINTMENTS, [1, 2, 3], [("10:00", "12:30"), ("13:30", "16:00")]),
]


def _demo_hours():
    for site in Site.objects.filter(is_model_site=True, hours__isnull=True):
        OpeningHours.objects.bulk_create(
            OpeningHours(site=site, kind=kind, weekday=weekday, opens=opens, closes=closes)
            for kind, weekdays, ranges in DEMO_HOURS
            for weekday in weekdays
            for opens, closes in ranges
        )


def _place_demo_staff():
    from hub.models import User

    first, second = Site.objects.filter(slug__in=["awo-berlin-neukoelln", "awo-essen"]).order_by("slug")
    staff = {user.username: user for user in User.objects.filter(username__startswith="demo_")}
    if "demo_sitelead" in staff:
        services.site_lead_grant(user=staff["demo_sitelead"], site=first)
    for username in ["demo_counselor", "demo_trainee", "demo_mentor", "demo_sitelead"]:
        if username in staff:
            services.site_counselor_grant(user=staff[username], site=first)
    if "demo_counselor" in staff:
        services.site_counselor_grant(user=staff["demo_counselor"], site=second)


# (site, German title, English title, format, language, places, room or link, weekday, hour)
DEMO_GROUPS = [
    (
        "awo-berlin-neukoelln",
        "Sprachcafé",
        "Language café",
        "on_site",
        "de",
        12,
        "Raum 2, Erdgeschoss",
        2,
        16,
    ),
    ("awo-berlin-neukoelln", "Bewerbungstraining", "Job application training", "virtual", "de", 3, "", 1, 15),
    ("awo-essen", "Ankommen in Deutschland", "Arriving in Germany", "on_site", "ar", 8, "Gruppenraum", 3, 14),
]


def _demo_groups():
    """A few weekly group offers over the next four weeks, created once."""
    from datetime import datetime, timedelta

    from django.utils import timezone

    today = timezone.localdate()
    for slug, title_de, title_en, format, language, capacity, place, weekday, hour in DEMO_GROUPS:
        site = Site.objects.filter(slug=slug).first()
        if site is None or GroupOffer.objects.filter(site=site, title_de=title_de).exists():
            continue
        offer = GroupOffer.objects.create(
            site=site,
            title_de=title_de,
            title_en=title_en,
            format=format,
            language=language,
            capacity=capacity,
            room=place if format == "on_site" else "",
            link="https://video.jmd-demo.de/" + slug if format == "virtual" else "",
        )
        first = today + timedelta(days=(weekday - today.weekday()) % 7 or 7)
        for week in range(4):
            starts_at = timezone.make_aware(
                datetime.combine(first + timedelta(weeks=week), datetime.min.time())
            )
            starts_at += timedelta(hours=hour)
            GroupSession.objects.create(
                offer=offer, starts_at=starts_at, ends_at=starts_at + timedelta(minutes=90)
            )
