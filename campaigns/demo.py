# ruff: noqa: E501 - campaign texts read best one sentence a line
"""Demo campaign (``make run`` only): "Neu in Deutschland? Frag uns!" in five languages, channels with
short links, a month of reach counts and a few planned posts."""

import io
import random
from datetime import timedelta

from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images.models import Image

from campaigns import streetwork_demo
from campaigns.models import CampaignPage, Channel, PlannedPost, ReachCount
from campaigns.services import campaign_index_ensure

CAMPAIGN = {
    "slug": "frag-uns",
    "language": "ar",
    "call_to_action": "ask",
    "texts": {
        "de": (
            "Neu in Deutschland? Frag uns!",
            "Kostenlose und anonyme Beratung in deiner Sprache – für junge Menschen von 12 bis 27 Jahren. Zu Aufenthalt, Schule, Ausbildung, Arbeit und allem, was dich beschäftigt.",
        ),
        "en": (
            "New in Germany? Ask us!",
            "Free and anonymous advice in your language – for young people aged 12 to 27. On residence, school, training, work and everything on your mind.",
        ),
        "ar": (
            "جديد في ألمانيا؟ اسألنا!",
            "استشارة مجانية ومجهولة الهوية بلغتك – للشباب من 12 إلى 27 عامًا. حول الإقامة والمدرسة والتدريب المهني والعمل وكل ما يشغلك.",
        ),
        "ru": (
            "Недавно в Германии? Спроси нас!",
            "Бесплатная и анонимная консультация на твоём языке – для молодёжи от 12 до 27 лет.",
        ),
        "tr": (
            "Almanya'da yeni misin? Bize sor!",
            "12-27 yaş arası gençler için kendi dilinde ücretsiz ve anonim danışmanlık.",
        ),
    },
}
CHANNELS = [
    ("poster", "Plakat Berlin U-Bahn", "ar"),
    ("instagram", "Instagram Reel Ankommen", "tr"),
    ("tiktok", "TikTok Clip Ausbildung", "ru"),
    ("partner", "Goethe-Institut Almaty", "ru"),
    ("facebook", "Facebook-Gruppe Deutsche in Jordanien", "ar"),
]
POSTS = [
    (
        2,
        "instagram",
        "tr",
        "ready",
        "Almanya'da yeni misin? Sorularını bize Türkçe yazabilirsin – ücretsiz ve anonim.",
    ),
    (
        5,
        "tiktok",
        "ru",
        "draft",
        "Как найти место для обучения в Германии? Спроси нас – бесплатно и анонимно.",
    ),
    (9, "facebook", "ar", "idea", "هل شهادتك معترف بها في ألمانيا؟ اسألنا بالعربية."),
]


def load(out) -> list[dict]:
    if CampaignPage.objects.filter(slug_de=CAMPAIGN["slug"]).exists():
        return streetwork_demo.load()
    index = campaign_index_ensure()
    campaign = CampaignPage(slug=CAMPAIGN["slug"], language=CAMPAIGN["language"], share_image=_share_image())
    for code, (title, message) in CAMPAIGN["texts"].items():
        setattr(campaign, f"title_{code}", title)
        setattr(campaign, f"slug_{code}", CAMPAIGN["slug"] if code == "de" else f"{CAMPAIGN['slug']}-{code}")
        setattr(campaign, f"message_{code}", f"<p>{message}</p>")
        setattr(campaign, f"share_text_{code}", message[:200])
    campaign.title = CAMPAIGN["texts"]["de"][0]
    index.add_child(instance=campaign)
    channels = [
        Channel.objects.create(campaign=campaign, kind=k, name=n, language=lang) for k, n, lang in CHANNELS
    ]
    _reach(campaign, channels)
    today = timezone.localdate()
    for days, platform, language, status, text in POSTS:
        PlannedPost.objects.create(
            campaign=campaign,
            platform=platform,
            language=language,
            status=status,
            text=text,
            publish_on=today + timedelta(days=days),
            channel=next((c for c in channels if c.language == language), None),
        )
    return streetwork_demo.load()


def _reach(campaign, channels) -> None:
    """A month of made-up counts so the report has something to show (fixed seed: the same every time)."""
    chance = random.Random(6)  # noqa: S311 - demo figures, not security
    today = timezone.localdate()
    rows = []
    for offset in range(30):
        day = today - timedelta(days=offset)
        for channel in channels:
            landings = chance.randint(0, 14)
            signups = chance.randint(0, landings // 3)
            enquiries = chance.randint(0, signups)
            for kind, count in (("landing", landings), ("signup", signups), ("enquiry", enquiries)):
                if count:
                    rows.append(
                        ReachCount(
                            campaign=campaign,
                            channel=channel,
                            language=channel.language,
                            day=day,
                            kind=kind,
                            count=count,
                        )
                    )
    ReachCount.objects.bulk_create(rows)


def _share_image() -> Image:
    """A plain share image in the portal's colours, drawn here so nothing has to be downloaded."""
    canvas = PILImage.new("RGB", (1200, 630), (0, 95, 135))
    draw = ImageDraw.Draw(canvas)
    draw.rounded_rectangle((80, 80, 1120, 550), radius=40, outline=(255, 191, 71), width=12)
    draw.text((140, 260), "JMD digital-hub", fill=(255, 255, 255), font_size=96)
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG")
    return Image.objects.create(
        title="JMD digital-hub", file=ImageFile(buffer, name="jmd-campaign-share.png")
    )
