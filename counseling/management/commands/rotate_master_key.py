"""Re-wrap every case's data key with the current master key.

Rotation: put the new key in ENCRYPTION_KEY and the old one in ENCRYPTION_OLD_KEYS, restart, run this
command, then remove ENCRYPTION_OLD_KEYS. Message rows are not touched: only the small wrapped keys
change, so rotating is fast even with millions of messages.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from counseling.models import Case
from hub import crypto


class Command(BaseCommand):
    help = "Re-wrap all case data keys with the current ENCRYPTION_KEY."

    def handle(self, *args, **options):
        rewrapped = skipped = 0
        pending = Case.objects.exclude(wrapped_key=b"").only("pk", "wrapped_key").order_by("pk")
        for case in pending.iterator(chunk_size=500):
            if not crypto.needs_rewrap(case.wrapped_key):
                skipped += 1
                continue
            with transaction.atomic():
                locked = Case.objects.select_for_update().only("wrapped_key").get(pk=case.pk)
                locked.wrapped_key = crypto.wrap(crypto.unwrap(locked.wrapped_key))
                locked.save(update_fields=["wrapped_key"])
            rewrapped += 1
        self.stdout.write(f"{rewrapped} case keys re-wrapped, {skipped} already current.")
