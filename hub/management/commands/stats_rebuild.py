"""Rebuild the monthly statistics figures (hub.StatMonth) from the recorded events: after a bulk import
of events, after a restore, or whenever the figures are in doubt. Safe to run at any time and twice."""

from django.core.management.base import BaseCommand

from hub.stat_months import stat_months_rebuild


class Command(BaseCommand):
    help = "Recompute the monthly statistics figures from the statistics events."

    def handle(self, *args, **options):
        rows = stat_months_rebuild()
        self.stdout.write(self.style.SUCCESS(f"{rows} monthly statistics figures rebuilt from the events."))
