from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from hub.demo import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Load the demo data of every app (idempotent). Refuses to run unless DEBUG is on."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo data has known passwords; it is only loaded with DJANGO_DEBUG=true.")
        logins = []
        with transaction.atomic():
            # Each app may ship a `demo` module with load(out); apps load in INSTALLED_APPS order,
            # so hub's users exist before sites places them.
            for config in apps.get_app_configs():
                if not config.path.startswith(str(settings.BASE_DIR)) or not find_spec(f"{config.name}.demo"):
                    continue
                logins += import_module(f"{config.name}.demo").load(self.stdout) or []
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})")
        for login in logins:
            line = f"  {login['username']:<18} {login['roles']}"
            if login["totp_secret"]:
                line += (
                    f"\n      TOTP secret {login['totp_secret']}"
                    f"  (current code: make totp USER={login['username']})"
                )
            self.stdout.write(line)
