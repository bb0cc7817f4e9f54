"""Network partners (Goethe-Institut, Alevitische Gemeinde, Diakonie Baden, …) asking counselors on behalf
of their clients abroad.

A partner account (role network partner) belongs to one organisation; everyone of an organisation sees
its enquiries (a colleague follows up when the one who asked is away). A partner enquiry is an ordinary
counseling case (routed, answered, sealed and purged like every case) with a `PartnerEnquiry` row beside
it that says who asks and for a client in which country. It never holds the client's name.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from counseling.partners.countries import ClientCountry


class PartnerOrganisation(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    country = models.CharField(_("country"), max_length=2, choices=ClientCountry.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")

    def __str__(self):
        return self.name


class PartnerMembership(models.Model):
    """Which organisation a partner account works for (one each; coordinators attach and detach)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_membership"
    )
    organisation = models.ForeignKey(
        PartnerOrganisation, on_delete=models.CASCADE, related_name="memberships"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.user_id} at {self.organisation_id}"


class PartnerEnquiry(models.Model):
    """Marks a case as a partner's enquiry for a client; goes with the case (retention, deletion)."""

    case = models.OneToOneField("counseling.Case", on_delete=models.CASCADE, related_name="partner_enquiry")
    organisation = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.PROTECT,
        related_name="enquiries",
        verbose_name=_("organisation"),
    )
    client_country = models.CharField(_("client's country"), max_length=2, choices=ClientCountry.choices)
    # "Refer the client to the youth channel": when a counselor sent the partner the youth links.
    referred_at = models.DateTimeField(_("referred to the youth channel"), null=True, blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("partner enquiry")
        verbose_name_plural = _("partner enquiries")

    def __str__(self):
        return f"partner enquiry {self.case_id}"
