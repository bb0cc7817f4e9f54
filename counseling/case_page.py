"""What the staff case page reads and keeps besides the conversation (issue 19: every case page <= 100 ms).

Its blank forms (note, status, labels, handover, the reply's voice and attachment fields, the canned
responses) cost a fifth of the page in template nodes, and each looks the same to everyone who is offered
the same choices. The page keeps them as shared fragments (`{% fragment %}`, hub/fragments.py: per
language and time zone), each keyed by exactly what it shows: the labels and which are ticked, the
colleagues offered for a handover by id and name, the canned responses by id, shortcut and title, the
site list by the "sites" version. A form that came back with errors (bound) is rendered afresh, and no
fragment holds a CSRF token or anything of the reader.
"""

from django.db.models import Exists, OuterRef

from counseling.models import Case, Label


def labels_read(case: Case) -> list[Label]:
    """Every label (the form's choices) with `ticked` for the case's own, by name: one query for the
    badges, the form and "no labels yet"."""
    ticked = Case.labels.through.objects.filter(case_id=case.pk, label_id=OuterRef("pk"))
    return list(Label.objects.annotate(ticked=Exists(ticked)))


def labels_key(labels: list[Label]) -> tuple:
    return tuple((label.pk, label.name, label.ticked) for label in labels)


def canned_key(canned: list[dict]) -> tuple:
    """The canned responses' select shows "/shortcut – title" of each, by id."""
    return tuple((row["pk"], row["shortcut"], row["title"]) for row in canned)
