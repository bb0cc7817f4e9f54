"""Run the retention purges by hand: the same code the nightly job runs, with a progress bar."""

import sys

from django.core.management.base import BaseCommand

from hub.retention import BATCH_SIZE, purges, retention_preview, retention_run

BAR = 30


class Command(BaseCommand):
    help = "Delete everything whose retention period is over (as the nightly job does)."

    def add_arguments(self, parser):
        parser.add_argument("--only", nargs="*", help="purge keys to run (default: all)")
        parser.add_argument("--preview", action="store_true", help="only count what would be deleted")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)

    def handle(self, *args, only=None, preview=False, batch_size=BATCH_SIZE, **options):
        keys = set(only) if only else None
        known = {purge.key for purge in purges()}
        if keys and keys - known:
            self.stderr.write(
                f"unknown purges: {', '.join(sorted(keys - known))}; known: {', '.join(sorted(known))}"
            )
            sys.exit(2)
        due = {purge.key: count for purge, count in retention_preview() if keys is None or purge.key in keys}
        if preview:
            for key, count in due.items():
                self.stdout.write(f"{key:24} {count:>10}")
            return
        done = dict.fromkeys(due, 0)
        shown = []

        def progress(key, handled):
            if shown and shown[-1] != key:
                self.stdout.write("")
            shown.append(key)
            done[key] += handled
            total = max(due[key], done[key], 1)
            filled = BAR * done[key] // total
            self.stdout.write(
                f"\r{key:24} [{'#' * filled}{'.' * (BAR - filled)}] {done[key]}/{total}", ending=""
            )
            self.stdout.flush()

        run = retention_run(trigger="command", keys=keys, batch_size=batch_size, progress=progress)
        self.stdout.write("")
        for key, count in run.counts.items():
            self.stdout.write(f"{key:24} {count:>10} deleted")
        self.stdout.write(self.style.SUCCESS(f"purge run {run.pk}: {run.total} rows in total"))
