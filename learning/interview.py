"""The interview practice: a job interview for an apprenticeship, with branching questions and feedback
per answer. Content lives here as translatable strings, not in the database. A run is the list of option
keys chosen (e.g. ["a", "b", "a"]); the page is a pure function of it, so it works without JavaScript
and without an account (the run is only in the page address)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Option:
    key: str
    text: str
    feedback: str
    good: bool
    next: str


@dataclass(frozen=True)
class Step:
    key: str
    question: str
    options: tuple[Option, ...] = ()

    @property
    def is_end(self) -> bool:
        return not self.options


STEPS = {
    step.key: step
    for step in (
        Step(
            "start",
            _("Hello, welcome! Please tell us a little about yourself."),
            (
                Option(
                    "a",
                    _("I name my school, what I am good at and why I want this apprenticeship."),
                    _("Well done: short, personal and linked to the job."),
                    True,
                    "why",
                ),
                Option(
                    "b",
                    _("I tell my whole life story, from my childhood on."),
                    _("That is too long. Two or three sentences about you and your goal are enough."),
                    False,
                    "why",
                ),
                Option(
                    "c",
                    _("“Everything is in my CV.”"),
                    _("They have read your CV – now they want to hear you. Say a few words about yourself."),
                    False,
                    "why",
                ),
            ),
        ),
        Step(
            "why",
            _("Why do you want to do your apprenticeship with us?"),
            (
                Option(
                    "a",
                    _(
                        "I read on your website that you train young people well, "
                        "and I liked my internship in this field."
                    ),
                    _("Very good: you show that you prepared and you give a real reason."),
                    True,
                    "weakness",
                ),
                Option(
                    "b",
                    _("I need a job, any job."),
                    _(
                        "Honest, but it sounds as if you do not care where. "
                        "Find out about the company before."
                    ),
                    False,
                    "company",
                ),
            ),
        ),
        Step(
            "company",
            _("What do you know about our company?"),
            (
                Option(
                    "a",
                    _(
                        "You are a craft business with 20 employees, "
                        "and you train two apprentices every year."
                    ),
                    _("Good – preparation pays off. Read the company's website before every interview."),
                    True,
                    "weakness",
                ),
                Option(
                    "b",
                    _("Not much, sorry."),
                    _("Tip: look at the website and write down three facts. It shows real interest."),
                    False,
                    "weakness",
                ),
            ),
        ),
        Step(
            "weakness",
            _("What is one of your weaknesses?"),
            (
                Option(
                    "a",
                    _("Sometimes I am impatient, so I make a plan for my tasks."),
                    _("Strong answer: a real weakness and what you do about it."),
                    True,
                    "german",
                ),
                Option(
                    "b",
                    _("I have no weaknesses."),
                    _("Nobody believes that. Name a small weakness and how you work on it."),
                    False,
                    "german",
                ),
            ),
        ),
        Step(
            "german",
            _("How good is your German?"),
            (
                Option(
                    "a",
                    _("I have B1 and I attend a course to reach B2 by next summer."),
                    _("Great: honest, concrete and with a plan. Your other languages are a strength, too."),
                    True,
                    "questions",
                ),
                Option(
                    "b",
                    _("Perfect!"),
                    _("Stay honest: they will notice. Say your level and how you keep learning."),
                    False,
                    "questions",
                ),
            ),
        ),
        Step(
            "questions",
            _("Do you have any questions for us?"),
            (
                Option(
                    "a",
                    _("Yes: what does a typical day look like for an apprentice here?"),
                    _("Excellent: a question shows interest. Prepare two or three."),
                    True,
                    "end",
                ),
                Option(
                    "b",
                    _("No."),
                    _("Better ask something – about the team, a typical day or the vocational school."),
                    False,
                    "end",
                ),
            ),
        ),
        Step("end", _("Thank you for the interview! We will get in touch with you.")),
    )
}


@dataclass
class Turn:
    step: Step
    chosen: Option


def walk(path: list[str]) -> tuple[list[Turn], Step]:
    """The turns taken so far and the step now due. Unknown keys end the walk where they appear."""
    step, turns = STEPS["start"], []
    for key in path:
        option = next((option for option in step.options if option.key == key), None)
        if option is None:
            break
        turns.append(Turn(step, option))
        step = STEPS[option.next]
    return turns, step


def parse_path(raw: str) -> list[str]:
    return [key for key in raw.split(".") if key][:20]
