"""Retention: how long each kind of data lives, and the one purge mechanism that enforces it.

Coordinators set the periods (`RetentionPolicy` rows) within the bounds below; without a row the safe
default applies. Each purge selects the rows that are due, deletes them in id-ordered batches, each batch
in its own transaction, and selects again: a run that crashes midway has committed whole batches only,
and the next run simply finds what is still due (idempotent and resumable). A run record keeps counts
only – never content, usernames or ids.

Apps own their purges (they know their tables): `PURGES` below lists them by dotted path, the way
INSTALLED_APPS lists apps, so the dependency direction (apps -> hub) stays intact.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from hub import fragments
from hub.audit import AuditAction, audit_record
from hub.models import AuditEntry, PurgeRun, PushSubscription, RetentionPolicy, StaffInvitation

DAYS, HOURS = "days", "hours"


@dataclass(frozen=True)
class Policy:
    key: str
    label: Promise
    unit: str
    default: int
    minimum: int
    maximum: int
    setting: str = ""  # a setting that replaces the default (e.g. GUEST_CHAT_KEEP_HOURS)

    def delta(self, value: int) -> timedelta:
        return timedelta(hours=value) if self.unit == HOURS else timedelta(days=value)


POLICIES: dict[str, Policy] = {
    policy.key: policy
    for policy in [
        Policy("closed_cases", _("Cases, after closing or after the last message"), DAYS, 180, 30, 730),
        # Whatever the status: a case nobody wrote in or acted on for this long is no one's work any more
        # (a "new" case that stayed unanswered, an "open" one the young person and counselor left).
        Policy(
            "inactive_cases",
            _("Cases of any status, after the last message or event"),
            DAYS,
            365,
            90,
            730,
        ),
        Policy("inactive_youth", _("Accounts of young people who never asked anything"), DAYS, 30, 7, 365),
        Policy(
            "guest_chats", _("Guest chats, after the chat ended"), HOURS, 48, 1, 168, "GUEST_CHAT_KEEP_HOURS"
        ),
        Policy("chat_rounds", _("Topic chat rounds, after the round (0: at the end)"), DAYS, 0, 0, 30),
        Policy(
            "callback_numbers",
            _("Callback numbers, after the last preferred time (done: at once)"),
            DAYS,
            7,
            0,
            7,
        ),
        Policy(
            "registrations", _("Appointments and group-offer registrations, after the date"), DAYS, 30, 1, 365
        ),
        Policy("audit_entries", _("Audit log entries"), DAYS, 730, 365, 3650),
        Policy("invitations", _("Staff invitations, after expiry or acceptance"), DAYS, 30, 7, 365),
        Policy(
            "forum_hidden_posts",
            _("Forum posts hidden by moderators, after hiding"),
            DAYS,
            30,
            1,
            365,
            "FORUM_HIDDEN_POST_DAYS",
        ),
        Policy("search_misses", _("Counts of unanswered knowledge-base searches"), DAYS, 180, 30, 730),
        Policy(
            "forum_log",
            _("Forum reports, invitations and moderation log"),
            DAYS,
            365,
            30,
            730,
            "FORUM_LOG_DAYS",
        ),
        Policy("accessibility_feedback", _("Accessibility feedback, after it came in"), DAYS, 365, 30, 730),
        Policy(
            "intervision",
            _("Intervision requests and meetings, after posting or the meeting"),
            DAYS,
            180,
            30,
            730,
        ),
        # Two years by default, so that a year can be compared with the one before.
        Policy("case_feedback", _("Feedback after counseling, after its month"), DAYS, 730, 90, 1825),
    ]
}


def policy_default(policy: Policy) -> int:
    value = getattr(settings, policy.setting, policy.default) if policy.setting else policy.default
    return min(max(int(value), policy.minimum), policy.maximum)


def policy_value(key: str) -> int:
    return policy_values(key)[key]


def policy_values(*keys: str) -> dict[str, int]:
    """The periods in force of `keys`. The stored periods are kept per process under the "retention"
    version of hub/fragments.py, which every change of a period renews (a save or delete of a
    RetentionPolicy row, in every process): a page that shows a deletion date (the young person's case
    page, on every view) or the purges' preview (24 cut-offs) reads them without a query."""
    stored = fragments.cached(
        "retention-policies",
        depends=("retention",),
        per_language=False,
        build=lambda: tuple(RetentionPolicy.objects.values_list("key", "value")),
    )
    stored = dict(stored)
    return {key: stored.get(key, policy_default(POLICIES[key])) for key in keys}


def policy_cutoff(key: str, *, now: datetime) -> datetime:
    return now - POLICIES[key].delta(policy_value(key))


def purge_day(due: datetime) -> date:
    """The day of the first nightly purge run (hub/schedule.py) at or after `due`, in local time: what a
    page can promise as "deleted on"."""
    from hub.schedule import BEAT_SCHEDULE

    run = BEAT_SCHEDULE["retention-purge"]["schedule"]
    run_time = time(min(run.hour), min(run.minute))
    local = timezone.localtime(due)
    return local.date() if local.time() <= run_time else local.date() + timedelta(days=1)


def policies_current() -> list[tuple[Policy, int, bool]]:
    """Every policy with its value in force and whether it is the default."""
    stored = dict(RetentionPolicy.objects.values_list("key", "value"))
    return [(p, stored.get(p.key, policy_default(p)), p.key not in stored) for p in POLICIES.values()]


@transaction.atomic
def retention_policy_set(*, key: str, value: int, actor) -> RetentionPolicy:
    """Within the bounds only; the change (old and new value) goes into the audit log."""
    policy = POLICIES[key]
    if not policy.minimum <= value <= policy.maximum:
        raise ValueError(f"{key} must be between {policy.minimum} and {policy.maximum}")
    old = policy_value(key)
    row, _created = RetentionPolicy.objects.update_or_create(
        key=key, defaults={"value": value, "changed_at": timezone.now(), "changed_by": actor}
    )
    if old != value:
        audit_record(
            actor=actor,
            action=AuditAction.RETENTION_CHANGED,
            target_type="retention",
            target_id=key,
            detail=f"{old} -> {value} {policy.unit}",
        )
    return row


# --- purges ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Purge:
    """One kind of data to remove: `due(now)` is the queryset of rows whose time is up (by primary key),
    `remove(ids, now)` deletes (or wipes) one batch of them and returns how many it handled."""

    key: str
    label: Promise
    due: Callable[[datetime], QuerySet]
    remove: Callable[[list, datetime], int]


# Every purge of the portal, in the order they run (cases before accounts, so accounts are empty when
# their turn comes). Another app's purge plugs in by adding its dotted path here.
PURGES = [
    "counseling.retention.CLOSED_CASES",
    "counseling.retention.INACTIVE_CASES",
    "counseling.retention.GUEST_CHATS",
    "counseling.retention.CALLBACK_NUMBERS",
    "counseling.retention.CHAT_ROUNDS",
    "counseling.retention.CASE_TOMBSTONES",
    "counseling.intervision.retention.REQUESTS",
    "counseling.intervision.retention.MEETINGS",
    "counseling.forum.retention.HIDDEN_THREADS",
    "counseling.forum.retention.HIDDEN_POSTS",
    "counseling.forum.retention.EMPTY_THREADS",
    "counseling.forum.retention.REPORTS",
    "counseling.forum.retention.INVITATIONS",
    "counseling.forum.retention.MODERATION_LOG",
    "knowledge.retention.SEARCH_MISSES",
    "hub.legal.retention.ACCESSIBILITY_FEEDBACK",
    "counseling.feedback.CASE_FEEDBACK",
    "sites.retention.APPOINTMENTS",
    "sites.retention.GROUP_REGISTRATIONS",
    "counseling.retention.INACTIVE_YOUTH",
    "hub.retention.AUDIT_ENTRIES",
    "hub.retention.INVITATIONS",
    "hub.retention.SESSIONS",
    "hub.retention.PUSH_SUBSCRIPTIONS",
]

BATCH_SIZE = 500


def purges(keys=None) -> list[Purge]:
    found = [import_string(path) for path in PURGES]
    return [purge for purge in found if keys is None or purge.key in keys]


def purge_batches(
    purge: Purge,
    *,
    now: datetime,
    batch_size: int = BATCH_SIZE,
    on_batch: Callable[[int], None] | None = None,
) -> int:
    """Delete what is due, batch by batch; each batch commits on its own, then the selection is redone
    past the last id, so memory and transaction size stay bounded whatever the backlog."""
    done, after = 0, None
    due = purge.due(now).order_by("pk")
    while True:
        batch = due if after is None else due.filter(pk__gt=after)
        ids = list(batch.values_list("pk", flat=True)[:batch_size])
        if not ids:
            return done
        with transaction.atomic():
            handled = purge.remove(ids, now)
        done += handled
        after = ids[-1]
        if on_batch is not None:
            on_batch(handled)


def retention_run(
    *,
    trigger: str,
    keys=None,
    now: datetime | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[str, int], None] | None = None,
) -> PurgeRun:
    """Run the purges (all, or those named in `keys`) and record the run with counts only."""
    now = now or timezone.now()
    selected = purges(keys)
    run = PurgeRun.objects.create(trigger=trigger, counts={purge.key: 0 for purge in selected})
    try:
        for purge in selected:

            def on_batch(handled, key=purge.key):
                run.counts[key] += handled
                PurgeRun.objects.filter(pk=run.pk).update(counts=run.counts)
                if progress is not None:
                    progress(key, handled)

            purge_batches(purge, now=now, batch_size=batch_size, on_batch=on_batch)
    except Exception as exc:
        run.status, run.error, run.finished_at = PurgeRun.Status.FAILED, type(exc).__name__, timezone.now()
        run.save(update_fields=["status", "error", "finished_at", "counts"])
        raise
    run.status, run.finished_at = PurgeRun.Status.DONE, timezone.now()
    run.save(update_fields=["status", "finished_at", "counts"])
    return run


def retention_preview(*, now: datetime | None = None) -> list[tuple[Purge, int]]:
    """What the next run would delete, as counts per purge: one statement for all of them (the
    retention page showed them with a query each, 24 round trips per view)."""
    now = now or timezone.now()
    found = purges()
    return list(zip(found, _counts([purge.due(now) for purge in found]), strict=True))


def _counts(querysets: list[QuerySet]) -> tuple[int, ...]:
    """Each queryset's count(), as scalar subqueries of one SELECT."""
    parts, params = [], []
    for queryset in querysets:
        try:
            sql, query_params = queryset.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:  # a queryset that can match nothing (.none(), pk__in=[])
            parts.append("0")
            continue
        # The ORM's own SQL, its values kept apart as parameters: nothing typed is put into the text.
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS due)")  # noqa: S608
        params.extend(query_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        return tuple(cursor.fetchone())


def purge_runs_recent(limit: int = 20):
    return PurgeRun.objects.all()[:limit]


# --- the hub's own purges -------------------------------------------------------------------------------


def delete_ids(model):
    """A `remove` that deletes the batch's rows (their own cascades included)."""

    def remove(ids, now):
        deleted, _ = model.objects.filter(pk__in=ids).delete()
        return len(ids) if deleted else 0

    return remove


AUDIT_ENTRIES = Purge(
    "audit_entries",
    _("Audit log entries"),
    lambda now: AuditEntry.objects.filter(at__lt=policy_cutoff("audit_entries", now=now)),
    delete_ids(AuditEntry),
)


def _stale_invitations(now):
    cutoff = policy_cutoff("invitations", now=now)
    return StaffInvitation.objects.filter(Q(expires_at__lt=cutoff) | Q(accepted_at__lt=cutoff))


INVITATIONS = Purge("invitations", _("Staff invitations"), _stale_invitations, delete_ids(StaffInvitation))

SESSIONS = Purge(
    "sessions",
    _("Expired sign-in sessions"),
    lambda now: Session.objects.filter(expire_date__lt=now),
    delete_ids(Session),
)

# A browser that has not been used for notices this long is forgotten (issue 21: 90 days without use;
# "use" is switching on, the /me/ page confirming it, or a delivered message – hub/push.py).
PUSH_UNUSED_DAYS = 90

PUSH_SUBSCRIPTIONS = Purge(
    "push_subscriptions",
    _("Notification subscriptions of devices, 90 days after their last use"),
    lambda now: PushSubscription.objects.filter(last_used_at__lt=now - timedelta(days=PUSH_UNUSED_DAYS)),
    delete_ids(PushSubscription),
)
