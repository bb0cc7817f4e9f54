"""A year and a bit of made-up statistics events for the demo (``make run``), so that the coordinators'
statistics page and yearly report show figures. Pure numbers: no cases or people behind them."""

import random
from datetime import date

from django.utils import timezone

from hub.models import StatEvent
from hub.stat_months import stat_months_rebuild
from hub.statistics import Channel, StatKind
from hub.topics import Topic

LANGUAGES = ["de", "ar", "tr", "ru", "uk", "en", "fr", "sq"]
# Where the young people asked from (issue 20): mostly Germany, the 2Connect countries, some not said.
COUNTRIES = ["DE"] * 8 + ["", "", "TR", "UA", "AL", "MA", "JO", "KZ"]
CHANNEL_FOR = {
    StatKind.CHAT: Channel.CHAT,
    StatKind.CALLBACK: Channel.CALLBACK,
    StatKind.VIDEO: Channel.VIDEO,
}


def load_statistics(out) -> None:
    today = timezone.localdate()
    if StatEvent.objects.filter(day__year=today.year - 1).exists():
        return
    from sites.models import Site

    sites = list(Site.objects.filter(is_model_site=True).values_list("pk", "provider_group_id"))
    if not sites:
        return
    rng = random.Random(8)  # noqa: S311 - demo figures, not security
    events = []
    for year, month in [(today.year - 1, m) for m in range(1, 13)] + [
        (today.year, m) for m in range(1, today.month)
    ]:
        for site, group in sites:
            for _ in range(rng.randint(2, 9)):
                day = date(year, month, rng.randint(1, 28))
                common = {
                    "day": day,
                    "site_ref": site,
                    "provider_group_ref": group,
                    "language": rng.choice(LANGUAGES),
                    "topic": rng.choice(Topic.values),
                    "country": rng.choice(COUNTRIES),
                }
                channel = rng.choice([Channel.MAIL] * 5 + [Channel.CHAT] * 3 + [Channel.CALLBACK])
                events.append(StatEvent(kind=StatKind.ENQUIRY, channel=channel, **common))
                events.append(StatEvent(kind=StatKind.ACTIVE_CASE, channel=channel, **common))
                events += [
                    StatEvent(kind=StatKind.MESSAGE, channel=channel, **common)
                    for _ in range(rng.randint(2, 6))
                ]
                minutes = int(rng.lognormvariate(7, 0.8))
                events.append(
                    StatEvent(kind=StatKind.FIRST_ANSWER, value=minutes, flag=minutes <= 2880, **common)
                )
                if channel != Channel.MAIL:
                    kind = StatKind.CHAT if channel == Channel.CHAT else StatKind.CALLBACK
                    events.append(StatEvent(kind=kind, channel=channel, **common))
                if common["country"] not in ("", "DE") and rng.random() < 0.4:
                    events.append(StatEvent(kind=StatKind.ARRIVAL, channel=Channel.MAIL, **common))
            for _ in range(rng.randint(0, 4)):
                common = {
                    "day": date(year, month, rng.randint(1, 28)),
                    "site_ref": site,
                    "provider_group_ref": group,
                    "language": rng.choice(LANGUAGES),
                }
                events.append(StatEvent(kind=StatKind.APPOINTMENT, channel=Channel.ON_SITE, **common))
                events.append(StatEvent(kind=StatKind.GROUP_PARTICIPANT, channel=Channel.GROUP, **common))
    StatEvent.objects.bulk_create(events, batch_size=2000)
    stat_months_rebuild()  # bulk_create bypasses stat_record, which keeps the monthly figures
    out.write(f"Demo statistics: {len(events)} events.")
