"""Demo accounts, one per role, for the embedded default (``make run``). Never loaded in production."""

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.mfa.utils import decrypt

from hub import services
from hub.models import User
from hub.roles import Role

DEMO_PASSWORD = "jmd-demo-2026"  # noqa: S105 - printed on purpose, demo only

DEMO_USERS = [
    ("demo_youth", "", [Role.YOUTH]),
    ("demo_counselor", "Frau Yilmaz", [Role.COUNSELOR]),
    ("demo_trainee", "Herr Novak", [Role.TRAINEE_COUNSELOR]),
    ("demo_mentor", "Frau Petrova", [Role.MENTOR, Role.COUNSELOR]),
    ("demo_sitelead", "Herr Haddad", [Role.SITE_LEAD, Role.COUNSELOR]),
    ("demo_coordinator", "Frau Becker", [Role.COORDINATOR]),
    ("demo_partner", "Goethe-Institut Almaty", [Role.NETWORK_PARTNER]),
    ("demo_editor", "Herr Schmidt", [Role.EDITOR]),
    ("demo_onlinementor", "Frau Hoxha", [Role.ONLINE_MENTOR]),
]


def load(out) -> list[dict]:
    """Create (or leave as they are) the demo users; return their logins for printing."""
    logins = []
    for username, display_name, roles in DEMO_USERS:
        is_staff = roles != [Role.YOUTH]
        user, created = User.objects.get_or_create(
            username=username, defaults={"display_name": display_name, "is_staff": is_staff}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        for role in roles:
            services.role_grant(user=user, role=role)
        secret = demo_totp_secret(user) if is_staff else ""
        logins.append({"username": username, "roles": ", ".join(roles), "totp_secret": secret})
    return logins


def demo_totp_secret(user: User) -> str:
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        secret = generate_totp_secret()
        TOTP.activate(user, secret)
        return secret
    return decrypt(authenticator.data["secret"])
