"""The audit log: one call per staff read or change of protected data."""

from hub.models import AuditEntry


def audit_record(*, actor, action: str, target_type: str, target_id) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target_type,
        target_id=str(target_id),
    )


def audit_recent(*, target_type: str = "", target_id: str = "", limit: int = 200):
    entries = AuditEntry.objects.select_related("actor")
    if target_type:
        entries = entries.filter(target_type=target_type)
    if target_id:
        entries = entries.filter(target_id=target_id)
    return entries[:limit]
