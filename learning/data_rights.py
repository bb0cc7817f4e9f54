"""Learning's part of "My data" (hub/data_export.py): the interview-practice results a young person kept,
with the questions and the answers they chose (only the answer keys are stored; the texts come from
learning/interview.py in the language of the download)."""

from hub.data_export import ExportSection
from learning import interview
from learning.models import InterviewRun


def export_section(user, add_file) -> ExportSection:
    from django.utils.translation import gettext as _

    items = []
    for run in InterviewRun.objects.filter(youth=user).order_by("finished_at", "pk"):
        turns, _step = interview.walk(run.path)
        items.append(
            {
                "kind": "interview_run",
                "finished": run.finished_at,
                "language": run.language,
                "good_answers": run.good_answers,
                "answers": [f"{turn.step.question} – {turn.chosen.text}" for turn in turns],
            }
        )
    return ExportSection("learning", _("Your interview practice"), items)
