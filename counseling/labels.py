"""Case labels: coordinators create, rename and delete them; counselors put them on cases.

Every change is in the audit log with the label's name (a label names a kind of case, never a person).
Deleting a label takes it off every case that carries it; the page asks first, saying how many do.
"""

from django.db import transaction
from django.db.models import Count, QuerySet

from counseling.models import Label
from hub.audit import AuditAction, audit_record


def labels_with_case_counts() -> QuerySet[Label]:
    return Label.objects.annotate(case_count=Count("cases"))


def label_case_count(label: Label) -> int:
    return label.cases.count()


@transaction.atomic
def label_create(*, actor, name: str) -> Label:
    label = Label.objects.create(name=name)
    audit_record(
        actor=actor, action=AuditAction.LABEL_CREATED, target_type="label", target_id=label.pk, detail=name
    )
    return label


@transaction.atomic
def label_rename(*, actor, label: Label, name: str) -> Label:
    # From the database: a bound ModelForm has already put the new name on the instance.
    old_name = Label.objects.values_list("name", flat=True).get(pk=label.pk)
    label.name = name
    label.save(update_fields=["name"])
    audit_record(
        actor=actor,
        action=AuditAction.LABEL_RENAMED,
        target_type="label",
        target_id=label.pk,
        detail=f"{old_name} -> {name}",
    )
    return label


@transaction.atomic
def label_delete(*, actor, label: Label) -> None:
    count = label_case_count(label)
    audit_record(
        actor=actor,
        action=AuditAction.LABEL_DELETED,
        target_type="label",
        target_id=label.pk,
        detail=f"{label.name} ({count})",
    )
    label.delete()
