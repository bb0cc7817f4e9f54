"""Reading partner organisations and their enquiries (who may read is decided in counseling/access.py)."""

from django.db.models import Count

from counseling.access import partner_enquiry_of
from counseling.partners.models import PartnerMembership, PartnerOrganisation
from hub.models import User
from hub.roles import Role


def member_ids(case) -> list[int]:
    """The active partner accounts of a partner enquiry's organisation (for live notices); [] otherwise."""
    if case.youth_id is not None:
        return []
    enquiry = partner_enquiry_of(case)
    if enquiry is None:
        return []
    return list(
        PartnerMembership.objects.filter(
            organisation_id=enquiry.organisation_id,
            user__is_active=True,
            user__groups__name=Role.NETWORK_PARTNER,
        ).values_list("user_id", flat=True)
    )


def organisations_with_counts():
    return PartnerOrganisation.objects.annotate(
        member_count=Count("memberships", distinct=True), enquiry_count=Count("enquiries", distinct=True)
    )


def partner_accounts():
    """Accounts holding the network partner role, with their organisation (the attach form's choices)."""
    return (
        User.objects.filter(groups__name=Role.NETWORK_PARTNER, is_active=True)
        .select_related("partner_membership__organisation")
        .order_by("username")
    )
