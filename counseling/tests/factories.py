"""Actors and cases for the counseling tests, built through the real services."""

from counseling import routing, services
from counseling.models import CounselorProfile
from hub.roles import Role
from hub.tests.factories import UserFactory, staff_with_totp
from sites import services as site_services

QUESTION = "Wie bekomme ich einen Termin bei der Ausländerbehörde?"


def counselor_with_profile(
    username, languages=("de",), *, site=None, trainee=False, mentor=None, roles=None, **profile
):
    """A counselor (with TOTP, so the staff area lets them in) and their routing profile."""
    roles = roles or [Role.TRAINEE_COUNSELOR if trainee else Role.COUNSELOR]
    user = staff_with_totp(username=username, display_name=username.replace("_", " ").title(), roles=roles)
    CounselorProfile.objects.create(user=user, languages=list(languages), mentor=mentor, **profile)
    if site is not None:
        site_services.site_counselor_grant(user=user, site=site)
    return user


def mentor_with_profile(username, languages=("de",), *, site=None):
    return counselor_with_profile(username, languages, site=site, roles=[Role.COUNSELOR, Role.MENTOR])


def make_case(youth=None, language="de", topic="work", site=None, body=QUESTION, files=(), country=""):
    """An enquiry as a young person sends it: routed at once to whoever is eligible, or queued."""
    return services.enquiry_create(
        youth=youth or UserFactory(roles=[Role.YOUTH]),
        topic=topic,
        language=language,
        site=site,
        body=body,
        files=files,
        country_of_residence=country,
    )


def assign_to(case, counselor):
    routing.assign(case, counselor)
    return case
