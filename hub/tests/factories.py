import factory
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from hub import services
from hub.models import User
from hub.roles import Role

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        self.save()
        for role in extracted or []:
            services.role_grant(user=self, role=Role(role))


def staff_with_totp(**kwargs) -> User:
    """A staff member who has set up TOTP; the secret is kept on the object for tests that log in."""
    user = UserFactory(is_staff=True, **kwargs)
    user.totp_secret = generate_totp_secret()
    TOTP.activate(user, user.totp_secret)
    return user


def totp_now(secret: str) -> str:
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    # A code read in the last seconds of its period may reach the server in the next one, where it no
    # longer counts (no tolerance is configured): wait for the fresh period instead of failing by chance.
    # Six seconds: on a machine busy with a parallel run, typing it in the browser and the sign-in
    # request can take more than three.
    period = app_settings.TOTP_PERIOD
    if period - time.time() % period < 6:
        time.sleep(period - time.time() % period + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def audit_entry_backdated(*, at, **fields):
    """An old audit entry for retention tests. The database refuses back-dated entries (migration hub
    0006); only a superuser can switch the triggers off for one transaction, as this does."""
    from django.db import connection, transaction

    from hub.models import AuditEntry

    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
        entry = AuditEntry.objects.create(at=at, **fields)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = DEFAULT")
    return entry
