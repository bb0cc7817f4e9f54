"""Every periodic job of the portal, in one place (Celery beat's own schedule; no database scheduler).

Each job must be safe to run twice and safe to run late.
"""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # Nightly at 03:10 Europe/Berlin: drop expired sessions so signed-out data does not pile up.
    "clear-expired-sessions": {"task": "hub.clear_expired_sessions", "schedule": crontab(hour=3, minute=10)},
    # Nightly at 03:20: remove invitations that expired or were accepted more than 30 days ago.
    "purge-stale-invitations": {
        "task": "hub.purge_stale_invitations",
        "schedule": crontab(hour=3, minute=20),
    },
    # Hourly: remind young people of tomorrow's appointments (each appointment once; rows are claimed).
    "remind-appointments": {"task": "sites.remind_appointments", "schedule": crontab(minute=5)},
    # Hourly: remind participants of tomorrow's group meetings (each meeting once; rows are claimed).
    "remind-group-sessions": {"task": "sites.remind_group_sessions", "schedule": crontab(minute=7)},
    # Every 10 minutes: the answer clock – reminders at 24 h and escalations at 40 h (claimed, so once).
    "check-answer-clock": {"task": "counseling.check_answer_clock", "schedule": crontab(minute="*/10")},
    # Every 5 minutes: hand out queued enquiries to counselors who have room again, oldest first.
    "route-queue": {"task": "counseling.route_queue", "schedule": crontab(minute="*/5")},
    # Nightly at 03:30: delete callback numbers 7 days after the last preferred time (done ones go at once).
    "purge-callback-numbers": {
        "task": "counseling.purge_callback_numbers",
        "schedule": crontab(hour=3, minute=30),
    },
    # Hourly: guest chats (and guest accounts) 48 hours after the chat ended, unless the guest kept it.
    "purge-guests": {"task": "counseling.purge_guests", "schedule": crontab(minute=15)},
    # Every minute: end live chats a side left CHAT_ABANDON_SECONDS ago (tab closed, process died); the
    # chat socket's own delayed check usually does it first. Ending twice is a no-op.
    "end-abandoned-chats": {"task": "counseling.end_abandoned_chats", "schedule": crontab()},
    # Every 5 minutes: close topic chat rounds whose time is over (the transcript goes with them).
    "close-chat-rounds": {"task": "counseling.close_chat_rounds", "schedule": crontab(minute="*/5")},
    # Nightly at 03:40: every retention purge (hub/retention.py) with the coordinators' periods; batched,
    # resumable, each run recorded with counts only. The purges above are single steps of the same kind.
    "retention-purge": {"task": "hub.retention_purge", "schedule": crontab(hour=3, minute=40)},
}
BEAT_SCHEDULE |= {
    # Hourly: remind learners a week before a course is due (each enrolment once; rows are claimed).
    "learning-remind-due": {"task": "learning.remind_due_enrolments", "schedule": crontab(minute=25)},
    # Hourly: tell the site leads when a learner's course is overdue (each enrolment once; claimed).
    "learning-notify-overdue": {"task": "learning.notify_overdue_enrolments", "schedule": crontab(minute=35)},
    # Nightly at 02:40: open re-certification 30 days before a certificate expires (claimed per certificate).
    "learning-open-renewals": {"task": "learning.open_renewals", "schedule": crontab(hour=2, minute=40)},
    # Nightly at 02:50: enrol everyone the course rules match (safety net behind the grant signals).
    "learning-sync-rules": {"task": "learning.sync_rule_enrolments", "schedule": crontab(hour=2, minute=50)},
}
