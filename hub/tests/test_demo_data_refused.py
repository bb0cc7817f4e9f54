"""`manage.py demo_data` refuses outside development (DEBUG off) and writes nothing. Kept apart from
test_demo_data.py, whose tests share one demo run in a transaction this check must not see."""

import pytest
from django.core.management import CommandError, call_command

from hub.models import User

pytestmark = pytest.mark.django_db


def test_demo_data_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("demo_data")
    with pytest.raises(CommandError):
        call_command("totp_code", "demo_counselor")
    assert not User.objects.filter(username__startswith="demo_").exists()
