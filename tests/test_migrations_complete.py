"""Every model change has its migration: `makemigrations --check` as a test, so that it runs on a worker
beside the other tests instead of alone before the suite starts (2 s of wall time at the head of every
`make test`).

In a process of its own, as before: in the worker's own process, a test that had patched
`django.utils.timezone.now` while migration modules were loaded made every `default=timezone.now` look
changed."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

pytestmark = pytest.mark.slow  # a process of its own: at the front, while the test database is migrated


def test_every_model_change_has_its_migration():
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "hub.settings_test"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, (
        f"a model change has no migration (`manage.py makemigrations`):\n{result.stdout}{result.stderr}"
    )
