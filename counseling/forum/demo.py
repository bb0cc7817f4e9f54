"""Demo forum (``make run`` only): categories per topic and language, self-harm watched words, one
answered thread and one post waiting in the moderation queue."""

from counseling.forum import services
from counseling.forum.models import Category, ForumProfile, Thread, WatchedWord
from hub.models import User
from hub.topics import Topic

LANGUAGES = ["de", "ru", "tr", "en", "ar", "uk", "sq", "fr"]
SENSITIVE = {Topic.HEALTH, Topic.FAMILY, Topic.DISCRIMINATION}
# Words that hold a post for review and show the help numbers (a trailing * matches any ending).
SELF_HARM_WORDS = [
    ("de", "umbring*"),
    ("de", "suizid*"),
    ("de", "ritzen"),
    ("de", "nicht mehr leben"),
    ("ru", "суицид*"),
    ("ru", "убить себя"),
    ("ru", "покончить с собой"),
    ("uk", "суїцид*"),
    ("uk", "вбити себе"),
    ("tr", "intihar*"),
    ("tr", "kendimi öldür*"),
    ("en", "suicid*"),
    ("en", "kill myself"),
    ("en", "self-harm"),
    ("ar", "*انتحار"),
    ("sq", "vetëvras*"),
    ("fr", "suicid*"),
    ("fr", "me tuer"),
]


def load(out) -> list[dict]:
    for language in LANGUAGES:
        for position, topic in enumerate(Topic.values):
            Category.objects.get_or_create(
                topic=topic,
                language=language,
                defaults={"position": position, "is_sensitive": topic in SENSITIVE},
            )
    for language, word in SELF_HARM_WORDS:
        WatchedWord.objects.get_or_create(
            word=word, language=language, defaults={"kind": WatchedWord.Kind.SELF_HARM}
        )
    users = {
        user.username: user for user in User.objects.filter(username__in=["demo_youth", "demo_counselor"])
    }
    youth, counselor = users.get("demo_youth"), users.get("demo_counselor")
    if youth is None or counselor is None or Thread.objects.exists():
        return []
    ForumProfile.objects.get_or_create(user=youth, defaults={"pseudonym": "Sonnenblume"})
    work = Category.objects.get(topic=Topic.WORK, language="de")
    opening = services.thread_create(
        category=work,
        author=youth,
        title="Ausbildung ohne deutschen Schulabschluss?",
        body="Ich bin seit einem Jahr in Deutschland. Kann ich eine Ausbildung anfangen, obwohl mein "
        "Schulabschluss noch nicht anerkannt ist?",
    )
    services.post_approve(post=opening, moderator=counselor)
    answer = services.post_reply(
        thread=opening.thread,
        author=counselor,
        body="Hallo Sonnenblume! Ja, für viele Ausbildungen reicht es, wenn der Abschluss gerade anerkannt "
        "wird. Schreib uns gern privat, dann schauen wir gemeinsam auf deine Unterlagen.",
    )
    services.helpful_set(post=answer, helpful=True)
    services.post_reply(
        thread=opening.thread, author=youth, body="Danke! Meine Nummer ist 0176 12345678, ruf mich an."
    )
    return []
