"""Demo partner organisations (``make run`` only): the seed's partners, with the demo partner account
(hub/demo.py) at the Goethe-Institut Almaty."""

from counseling.partners.models import PartnerMembership, PartnerOrganisation
from hub.models import User

ORGANISATIONS = [
    ("Goethe-Institut Almaty", "KZ"),
    ("Alevitische Gemeinde", "TR"),
    ("Diakonie Baden", "AL"),
]


def load(out) -> list[dict]:
    organisations = {
        name: PartnerOrganisation.objects.get_or_create(name=name, defaults={"country": country})[0]
        for name, country in ORGANISATIONS
    }
    partner = User.objects.filter(username="demo_partner").first()
    if partner is not None:
        PartnerMembership.objects.get_or_create(
            user=partner, defaults={"organisation": organisations["Goethe-Institut Almaty"]}
        )
    return []
