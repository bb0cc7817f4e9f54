import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from hub.models import User
from hub.roles import Role, user_roles
from sites.models import ProviderGroup, Site

pytestmark = pytest.mark.django_db


def test_demo_data_is_idempotent_and_complete(settings, capsys):
    settings.DEBUG = True
    call_command("demo_data")
    call_command("demo_data")
    output = capsys.readouterr().out

    assert Site.objects.filter(is_model_site=True).count() == 24
    per_group = dict(ProviderGroup.objects.annotate(n=Count("sites")).values_list("short_name", "n"))
    assert per_group == {"AWO": 6, "BAG KJS": 6, "IB": 6, "BAG EJSA": 6}
    demo_users = User.objects.filter(username__startswith="demo_")
    assert demo_users.count() == len(Role)
    assert set().union(*(user_roles(user) for user in demo_users)) == set(Role)
    # Logins are printed, staff with a TOTP secret.
    assert "demo_coordinator" in output
    assert "TOTP secret" in output


def test_demo_staff_can_pass_two_factor_with_the_printed_secret(settings, capsys):
    settings.DEBUG = True
    call_command("demo_data")
    call_command("totp_code", "demo_counselor")
    code = capsys.readouterr().out.strip().splitlines()[-1]
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    authenticator = Authenticator.objects.get(user__username="demo_counselor", type=Authenticator.Type.TOTP)
    assert TOTP(authenticator).validate_code(code)


def test_demo_data_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("demo_data")
    with pytest.raises(CommandError):
        call_command("totp_code", "demo_counselor")
    assert not User.objects.filter(username__startswith="demo_").exists()
