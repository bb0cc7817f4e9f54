"""Build the statistics events once from the data that exists (for a database from before the
statistics, and for the demo). Refuses to run twice unless told to start over."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Count, Min

from hub.models import StatEvent
from hub.stat_months import stat_months_rebuild
from hub.statistics import Channel, StatKind, stat_record


class Command(BaseCommand):
    help = "Record statistics events for the cases, messages, callbacks, appointments and groups that exist."

    def add_arguments(self, parser):
        parser.add_argument("--replace", action="store_true", help="delete all events first (loses history)")

    @transaction.atomic
    def handle(self, *args, replace=False, **options):
        if StatEvent.objects.exists() and not replace:
            self.stdout.write("Statistics events exist already; nothing done (use --replace to rebuild).")
            return
        StatEvent.objects.all().delete()
        counts = self._counseling() + self._sites()
        stat_months_rebuild()  # the deleted events' figures go with them
        self.stdout.write(self.style.SUCCESS(f"{counts} statistics events recorded."))

    def _counseling(self) -> int:
        from counseling.models import CallbackOutcome, Case, MessageStatus

        n = 0
        cases = Case.objects.select_related("site").annotate(
            callbacks_n=Count("callbacks", distinct=True), chat_n=Count("chat", distinct=True)
        )
        for case in cases.iterator():
            channel = Channel.CHAT if case.chat_n else Channel.CALLBACK if case.callbacks_n else Channel.MAIL
            extra = {"site": case.site, "language": case.language, "topic": case.topic}
            extra["country"] = case.country_of_residence
            stat_record(StatKind.ENQUIRY, on=case.created_at, channel=channel, **extra)
            months = set()
            published = case.messages.filter(status=MessageStatus.PUBLISHED)
            for at in published.values_list("created_at", flat=True):
                stat_record(StatKind.MESSAGE, on=at, channel=Channel.MAIL, **extra)
                months.add((at.year, at.month))
                n += 1
            for year, month in months or {(case.created_at.year, case.created_at.month)}:
                stat_record(
                    StatKind.ACTIVE_CASE,
                    on=case.created_at.replace(year=year, month=month, day=1),
                    channel=channel,
                    **extra,
                )
            first = published.filter(from_staff=True).aggregate(at=Min("created_at"))["at"]
            if first is not None:
                minutes = int((first - case.created_at).total_seconds() // 60)
                kept = case.answer_due_at is None or first <= case.answer_due_at
                stat_record(StatKind.FIRST_ANSWER, on=first, value=minutes, flag=kept, **extra)
            if case.chat_n and case.chat.accepted_at:
                stat_record(StatKind.CHAT, on=case.chat.accepted_at, channel=Channel.CHAT, **extra)
            for callback in case.callbacks.filter(outcome=CallbackOutcome.REACHED):
                stat_record(StatKind.CALLBACK, on=callback.done_at, channel=Channel.CALLBACK, **extra)
            n += 3
        return n

    def _sites(self) -> int:
        from sites.models import Appointment, GroupParticipation, ParticipationStatus

        n = 0
        for appointment in Appointment.objects.select_related("site").iterator():
            stat_record(
                StatKind.APPOINTMENT,
                on=appointment.created_at,
                site=appointment.site,
                channel=appointment.mode,
                language=appointment.language,
            )
            n += 1
        confirmed = GroupParticipation.objects.filter(status=ParticipationStatus.CONFIRMED)
        for participation in confirmed.select_related("offer__site").iterator():
            offer = participation.offer
            stat_record(
                StatKind.GROUP_PARTICIPANT,
                on=participation.created_at,
                site=offer.site,
                channel=Channel.GROUP,
                language=offer.language,
            )
            n += 1
        return n
