"""Partner organisations and their accounts, built through the real services."""

import uuid

from counseling.partners import services
from counseling.partners.models import PartnerOrganisation
from hub.roles import Role
from hub.tests.factories import staff_with_totp


def organisation_create(name="Goethe-Institut Almaty", country="KZ") -> PartnerOrganisation:
    return PartnerOrganisation.objects.create(name=name, country=country)


def partner_account(username, organisation=None, **kwargs):
    """A network partner with TOTP (partners are staff accounts), attached to `organisation` if given."""
    user = staff_with_totp(
        username=username, display_name=username.replace("_", " ").title(), roles=[Role.NETWORK_PARTNER]
    )
    if organisation is not None:
        services.member_attach(organisation=organisation, user=user, actor=None)
    return user


def partner_enquiry(partner, *, language="ru", topic="work", body="Wie wird ein Diplom anerkannt?"):
    organisation = partner.partner_membership.organisation
    return services.partner_enquiry_create(
        partner=partner,
        organisation=organisation,
        client_country="KZ",
        language=language,
        topic=topic,
        body=body,
        idempotency_key=uuid.uuid4(),
    )


def enquiry_post(**fields) -> dict:
    data = {
        "client_country": "KZ",
        "language": "ru",
        "topic": "work",
        "body": "Моя клиентка хочет работать медсестрой в Германии. Как признают диплом?",
        "no_name": "on",
        "idempotency_key": str(uuid.uuid4()),
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}
