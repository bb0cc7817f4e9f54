"""Demo digital streetwork (``make run`` only, after the demo campaign): a few social spaces recorded by
demo_onlinementor, linked to the campaign's channels and posts, and the office hours she holds."""

from datetime import time, timedelta

from django.utils import timezone

from campaigns.models import CampaignPage, OfficeHours, PlannedPost, SocialSpace
from hub.models import User

SPACES = [
    # platform, name, country, language, members, topics, rules, contact, channel kind, days ago
    ("facebook", "Deutsche in Jordanien – Fragen & Antworten", "JO", "ar", 18_000, ["arrival", "work"],
     "Keine Werbung, Beiträge auf Arabisch oder Englisch.", "admin", "facebook", 12),
    ("telegram", "Ausbildung in Deutschland (RU)", "KZ", "ru", 6_500, ["work", "language"],
     "Только по теме, без ссылок на платные услуги.", "moderator", "tiktok", 20),
    ("instagram", "Almanya'ya göç – soru cevap", "TR", "tr", 42_000, ["arrival", "school", "housing"],
     "", "none", "instagram", 5),
    ("facebook", "Shqiptarët në Gjermani – punë dhe shkollë", "AL", "sq", 9_300, ["work", "recognition"],
     "Grup i moderuar, pa reklama.", "partner", None, 30),
]  # fmt: skip
HOURS = [(1, time(10), time(12)), (3, time(14), time(16))]  # Tuesday morning, Thursday afternoon


def load() -> list[dict]:
    mentor = User.objects.filter(username="demo_onlinementor").first()
    campaign = CampaignPage.objects.filter(slug_de="frag-uns").first()
    if mentor is None or SocialSpace.objects.exists():
        return []
    today = timezone.localdate()
    for platform, name, country, language, members, topics, rules, contact, kind, days in SPACES:
        space = SocialSpace.objects.create(
            platform=platform, name=name, country=country, language=language, members=members,
            topics=topics, rules=rules, contact_role=contact, observed_on=today - timedelta(days=days),
            recorded_by=mentor,
        )  # fmt: skip
        if campaign is not None and kind:
            space.channels.set(campaign.channels.filter(kind=kind))
            PlannedPost.objects.filter(campaign=campaign, platform=platform, social_space=None).update(
                social_space=space
            )
    for weekday, opens, closes in HOURS:
        OfficeHours.objects.get_or_create(host=mentor, weekday=weekday, opens=opens, closes=closes)
    return []
