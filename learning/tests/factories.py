import factory
from django.utils import timezone

from learning.models import Certificate, Course, Enrolment, EnrolmentSource, Lesson, Quiz


def question(text, answers, *, multiple=False):
    """A quiz question as StreamField data: answers are (text, correct, feedback) tuples."""
    return (
        "question",
        {
            "text": text,
            "multiple": multiple,
            "answers": [{"text": t, "correct": c, "feedback": f} for t, c, f in answers],
        },
    )


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    title = factory.Sequence(lambda n: f"Kurs {n}")
    slug = factory.Sequence(lambda n: f"course-{n}")


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lesson

    course = factory.SubFactory(CourseFactory)
    title = factory.Sequence(lambda n: f"Lektion {n}")
    body = factory.LazyFunction(lambda: [("text", "<p>Schweigepflicht gilt immer.</p>")])


class QuizFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quiz

    course = factory.SubFactory(CourseFactory)
    title = "Wissenscheck"
    pass_mark = 50
    max_attempts = 2
    questions = factory.LazyFunction(
        lambda: [
            question(
                "Darf ich Falldaten an Dritte weitergeben?",
                [("Ja", False, "Nein – Schweigepflicht."), ("Nur mit Einwilligung", True, "Richtig.")],
            ),
            question(
                "Was tun bei akuter Suizidgefahr?",
                [
                    ("Abwarten", False, "Niemals abwarten."),
                    ("Notruf 112", True, ""),
                    ("Krisendienst", True, ""),
                ],
                multiple=True,
            ),
        ]
    )


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    course = factory.SubFactory(CourseFactory)
    source = EnrolmentSource.COORDINATOR


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certificate

    course = factory.SubFactory(CourseFactory)
    holder_name = factory.LazyAttribute(lambda o: o.user.get_full_name())
    course_title = factory.LazyAttribute(lambda o: o.course.title)
    issued_at = factory.LazyFunction(timezone.now)
