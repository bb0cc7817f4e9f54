"""Prints a new VAPID key pair for Web Push (README "Notifications on this device"); store the private
key as a secret (VAPID_PRIVATE_KEY or VAPID_PRIVATE_KEY_FILE), never in the repository."""

from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management.base import BaseCommand

from hub import web_push


class Command(BaseCommand):
    help = "Print a new VAPID key pair (P-256) for Web Push."

    def handle(self, *args, **options):
        key = ec.generate_private_key(ec.SECP256R1())
        self.stdout.write(f"VAPID_PRIVATE_KEY={web_push.private_key_to_b64url(key)}")
        self.stdout.write(f"VAPID_PUBLIC_KEY={web_push.b64url(web_push.public_key_bytes(key))}")
