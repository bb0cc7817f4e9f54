"""Bring every wrapped data key and master-sealed secret under the current master key.

Rotation: put the new key in ENCRYPTION_KEY and the old one in ENCRYPTION_OLD_KEYS, restart, run this
command (again after an interruption: it resumes), then remove ENCRYPTION_OLD_KEYS. What it covers is
found by introspection (hub/key_rotation.py), so a new sealed field is rotated without a change here.
"""

from django.core.management.base import BaseCommand, CommandError

from hub.key_rotation import master_key_rotate


class Command(BaseCommand):
    help = "Re-wrap all data keys and re-seal all master-sealed secrets with the current ENCRYPTION_KEY."

    def handle(self, *args, **options):
        report = master_key_rotate()
        for label, count in sorted(report.rewrapped.items()):
            self.stdout.write(f"{label}: {count} re-wrapped")
        self.stdout.write(f"{report.current} already current.")
        if report.unreadable:
            # Keep ENCRYPTION_OLD_KEYS until these are understood: dropping it would lock them for good.
            raise CommandError(
                f"{len(report.unreadable)} values open with none of the configured keys: "
                + ", ".join(report.unreadable[:20])
            )
