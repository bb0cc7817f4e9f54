"""Demo training (``make run`` only): the required course "Datenschutz und Krisenintervention" with two
lessons and a quiz — every counselor is enrolled by rule — two open courses and a quality standard.

The activity gate is left unconfigured in the demo, so the demo counselors keep taking cases and chats;
a coordinator can switch it on under CMS → Training → Required training."""

from datetime import date

from hub.roles import Role
from learning import services
from learning.models import Course, EnrolmentRule, Lesson, QualityStandard, Quiz, StandardVersion


def _question(text, answers, multiple=False):
    return (
        "question",
        {
            "text": text,
            "multiple": multiple,
            "answers": [{"text": t, "correct": c, "feedback": f} for t, c, f in answers],
        },
    )


LESSONS = [
    (
        "Datenschutz",
        "Schweigepflicht und Datensparsamkeit",
        "<p>Alles, was junge Menschen uns anvertrauen, bleibt vertraulich. Wir fragen nur, was wir für die "
        "Beratung brauchen, und geben nichts ohne Einwilligung weiter.</p>",
    ),
    (
        "Krisenintervention",
        "Erkennen und handeln",
        "<p>Bei Hinweisen auf akute Selbst- oder Fremdgefährdung: ruhig bleiben, direkt nachfragen, "
        "die Notrufnummern 112 und die TelefonSeelsorge 0800 111 0 111 nennen "
        "und die Leitung informieren.</p>",
    ),
]

QUESTIONS = [
    _question(
        "Darf ich Inhalte einer Beratung an die Schule weitergeben?",
        [
            ("Ja, wenn es hilft", False, "Nein – ohne Einwilligung gilt die Schweigepflicht."),
            ("Nur mit Einwilligung der jungen Person", True, "Richtig."),
        ],
    ),
    _question(
        "Was tust du bei Hinweisen auf akute Suizidgefahr?",
        [
            ("Abwarten, ob sich die Person wieder meldet", False, "Niemals abwarten."),
            ("Direkt nachfragen und Notrufnummern nennen", True, "Richtig."),
            ("Die Leitung informieren", True, "Richtig – du bist nicht allein."),
        ],
        multiple=True,
    ),
]


def load(out) -> list[dict]:
    course, created = Course.objects.get_or_create(
        slug="datenschutz-krisenintervention",
        defaults={
            "title": "Datenschutz und Krisenintervention",
            "summary": "Pflichtkurs vor der ersten Online-Beratung.",
            "due_days": 30,
            "validity_months": 24,
        },
    )
    if created:
        for order, (module, title, text) in enumerate(LESSONS):
            Lesson.objects.create(
                course=course, sort_order=order, module=module, title=title, body=[("text", text)]
            )
        Quiz.objects.create(
            course=course, module="Abschluss", title="Wissenscheck", pass_mark=100, questions=QUESTIONS
        )
        EnrolmentRule.objects.create(course=course, role=Role.COUNSELOR)
        EnrolmentRule.objects.create(course=course, role=Role.TRAINEE_COUNSELOR)
    services.course_sync_rules(course=course)
    for slug, title, summary in [
        (
            "online-beratung-einstieg",
            "Online-Beratung: Einstieg",
            "Schriftlich beraten – Haltung und Methoden.",
        ),
        ("interkulturelle-kommunikation", "Interkulturelle Kommunikation", "Missverständnisse erkennen."),
    ]:
        open_course, created = Course.objects.get_or_create(
            slug=slug, defaults={"title": title, "summary": summary, "self_enrolment": True}
        )
        if created:
            Lesson.objects.create(course=open_course, title=title, body=[("text", f"<p>{summary}</p>")])
    standard, created = QualityStandard.objects.get_or_create(
        title="Qualitätsstandards der JMD-Online-Beratung",
        defaults={"summary": "Gemeinsame Standards aller Jugendmigrationsdienste."},
    )
    if created:
        StandardVersion.objects.create(
            standard=standard,
            label="1.0",
            effective_from=date(2026, 1, 1),
            body="<p>Erste Antwort innerhalb von 48 Stunden, Vier-Augen-Prinzip für neue Beratende.</p>",
        )
    return []
