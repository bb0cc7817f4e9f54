"""Demo counseling: counselor profiles, canned responses and one conversation (``make run`` only)."""

from counseling import services
from counseling.demo_statistics import load_statistics
from counseling.models import CannedResponse, Case, CounselorProfile
from hub.models import User

PROFILES = {
    "demo_counselor": {"languages": ["de", "tr", "en"]},
    "demo_mentor": {"languages": ["de", "ru", "uk"]},
    "demo_sitelead": {"languages": ["de", "ar"]},
    "demo_trainee": {"languages": ["de", "sq"], "mentor": "demo_mentor"},
}

CANNED = [
    ("de", "gruss", "Begrüßung", "Hallo und danke für deine Nachricht! Ich bin für dich da."),
    ("tr", "selam", "Selamlama", "Merhaba, mesajın için teşekkürler! Sana yardımcı olacağım."),
    ("en", "hello", "Greeting", "Hello and thank you for your message! I am here to help."),
    ("ar", "salam", "تحية", "مرحبًا، شكرًا على رسالتك! أنا هنا لمساعدتك."),
]


def load(out) -> list[dict]:
    users = {user.username: user for user in User.objects.filter(username__in=[*PROFILES, "demo_youth"])}
    for username, profile in PROFILES.items():
        if username not in users:
            continue
        mentor = users.get(profile.get("mentor", ""))
        CounselorProfile.objects.update_or_create(
            user=users[username], defaults={"languages": profile["languages"], "mentor": mentor}
        )
    for language, shortcut, title, body in CANNED:
        CannedResponse.objects.update_or_create(
            language=language, shortcut=shortcut, defaults={"title": title, "body": body}
        )
    youth = users.get("demo_youth")
    if youth is not None and not Case.objects.filter(youth=youth).exists():
        services.enquiry_create(
            youth=youth,
            topic="recognition",
            language="tr",
            # Asking from Turkey: the case page offers "I have arrived in Germany" (try 12043, Neukölln).
            country_of_residence="TR",
            body="Merhaba! Türkiye'deki lise diplomam Almanya'da tanınır mı?",
        )
    load_statistics(out)
    return []
