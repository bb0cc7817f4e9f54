"""Every model change has its migration: `makemigrations --check` as a test, so that it runs beside the
other tests on a worker whose Django is already set up, instead of in a process of its own before the
suite starts (2 s of wall time at the head of every `make test`)."""

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db  # makemigrations checks the migration history against the database
def test_every_model_change_has_its_migration():
    out = io.StringIO()
    try:
        call_command("makemigrations", check=True, dry_run=True, stdout=out, stderr=out)
    except SystemExit:
        pytest.fail(f"a model change has no migration (`manage.py makemigrations`):\n{out.getvalue()}")
