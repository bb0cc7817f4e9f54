"""Training reports are kept (in the shared cache) until what they count changes.

A course report of 5,000 enrolled staff took 0.9 s (HTML) and 1.3 s (CSV) to rebuild, and coordinators
open it again and again around a deadline. The totals and the CSV are therefore kept under a key that
holds two version tokens: one per course (its enrolments, lessons done, quiz attempts) and one for what
every report reads besides (who works at which site, site names, people's names). Every ORM write of
those rows (save or delete, as all services of learning, sites and hub make them) replaces the token
through the signals below, at once and again on commit: the next view rebuilds. A reader that started
before the write stored its result under the old token, which nobody reads any more.

Two things change a report without a write: an open enrolment passes its due date (it becomes overdue),
and writes around the ORM (a queryset update, raw SQL, a bulk load). A kept report therefore expires at
the next due date it counts and after REPORT_CACHE_SECONDS at the latest. The list of people on the
page is never kept: it is one page, read live.
"""

import hashlib
import uuid

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import translation

REPORT_CACHE_SECONDS = 15 * 60
EVERY_REPORT = "learning:reports:version"
# A user's save touches a report only through what the report shows of them (the login writes
# last_login on every sign-in: that must not throw every report away).
USER_FIELDS_SHOWN = {"username", "display_name"}


def _course_version_key(course_id: int) -> str:
    return f"learning:reports:version:course:{course_id}"


def report_cached(kind: str, course, site_ids: set[int] | None, build):
    """What `build()` returns, kept for this course, scope and language until a write or its expiry.
    `build` returns (value, seconds the value stays true without a write, or None)."""
    key = f"learning:report:{kind}:{course.pk}:{_scope(site_ids)}:{translation.get_language()}:"
    key += _versions(course.pk)
    value = cache.get(key)
    if value is None:
        value, seconds = build()
        seconds = REPORT_CACHE_SECONDS if seconds is None else min(seconds, REPORT_CACHE_SECONDS)
        if seconds > 0:
            cache.set(key, value, seconds)
    return value


def _scope(site_ids: set[int] | None) -> str:
    if site_ids is None:
        return "all"
    return hashlib.sha256(",".join(str(pk) for pk in sorted(site_ids)).encode()).hexdigest()[:16]


def _versions(course_id: int) -> str:
    """The two tokens; a missing one (never set, bumped, or evicted) is made afresh: random, so that a
    key built before can never come back."""
    keys = [EVERY_REPORT, _course_version_key(course_id)]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, uuid.uuid4().hex[:12], None)
            found[key] = cache.get(key) or "missing"
    return ".".join(found[key] for key in keys)


def reports_changed(course_id: int | None = None) -> None:
    """The course's reports (every report without a course) count something else now."""
    keys = [_course_version_key(course_id) if course_id else EVERY_REPORT]
    cache.delete_many(keys)
    # Again after commit: a report built meanwhile from the old rows went under the token just dropped,
    # but one built between this delete and the commit would otherwise be kept under the new one.
    transaction.on_commit(lambda: cache.delete_many(keys))


# --- the writes that change a report ---------------------------------------------------------------------


def _enrolment_changed(sender, instance, **kwargs):
    reports_changed(instance.course_id)


def _progress_changed(sender, instance, **kwargs):
    # The services pass the enrolment object (no query); a cascade delete may not have it any more.
    enrolment = instance._state.fields_cache.get("enrolment")
    reports_changed(enrolment.course_id if enrolment is not None else None)


def _site_link_changed(sender, instance, **kwargs):
    from django.contrib.contenttypes.models import ContentType

    from sites.models import Site

    if instance.content_type_id == ContentType.objects.get_for_model(Site).pk:
        reports_changed()


def _everything_changed(sender, instance, **kwargs):
    reports_changed()


def _user_saved(sender, instance, update_fields=None, **kwargs):
    if update_fields is None or USER_FIELDS_SHOWN & set(update_fields):
        reports_changed()


def connect() -> None:
    from guardian.utils import get_user_obj_perms_model

    from learning.models import Enrolment, LessonCompletion, QuizAttempt
    from sites.models import Site

    receivers = [
        (Enrolment, _enrolment_changed, _enrolment_changed),
        (LessonCompletion, _progress_changed, _progress_changed),
        (QuizAttempt, _progress_changed, _progress_changed),
        (get_user_obj_perms_model(), _site_link_changed, _site_link_changed),
        (Site, _everything_changed, _everything_changed),
        (get_user_model(), _user_saved, _everything_changed),
    ]
    for model, on_save, on_delete in receivers:
        uid = f"learning.report-cache.{model._meta.label_lower}"
        post_save.connect(on_save, sender=model, dispatch_uid=uid)
        post_delete.connect(on_delete, sender=model, dispatch_uid=uid)
