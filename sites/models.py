from django.db import models
from django.utils.translation import gettext_lazy as _


class FederalState(models.TextChoices):
    """German federal states; the codes are those the `holidays` package uses for subdivisions."""

    BW = "BW", "Baden-Württemberg"
    BY = "BY", "Bayern"
    BE = "BE", "Berlin"
    BB = "BB", "Brandenburg"
    HB = "HB", "Bremen"
    HH = "HH", "Hamburg"
    HE = "HE", "Hessen"
    MV = "MV", "Mecklenburg-Vorpommern"
    NI = "NI", "Niedersachsen"
    NW = "NW", "Nordrhein-Westfalen"
    RP = "RP", "Rheinland-Pfalz"
    SL = "SL", "Saarland"
    SN = "SN", "Sachsen"
    ST = "ST", "Sachsen-Anhalt"
    SH = "SH", "Schleswig-Holstein"
    TH = "TH", "Thüringen"


class ProviderGroup(models.Model):
    """A federal umbrella of providers (Trägergruppe), e.g. AWO or IB."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    short_name = models.CharField(_("short name"), max_length=20, unique=True)

    class Meta:
        ordering = ["short_name"]
        verbose_name = _("provider group")
        verbose_name_plural = _("provider groups")

    def __str__(self):
        return self.short_name


class Site(models.Model):
    """One JMD site (Standort). Staff scope (who leads it, who counsels there) is kept with
    django-guardian object permissions on the site."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    # The identifier in the Servicebüro's register of all JMD sites; imports match on it.
    code = models.CharField(_("site code"), max_length=20, unique=True, null=True, blank=True)
    provider_group = models.ForeignKey(
        ProviderGroup, on_delete=models.PROTECT, related_name="sites", verbose_name=_("provider group")
    )
    is_model_site = models.BooleanField(_("model site of the digital-hub"), default=False)
    street = models.CharField(_("street and number"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=5)
    town = models.CharField(_("town"), max_length=120)
    federal_state = models.CharField(_("federal state"), max_length=2, choices=FederalState.choices)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    offers_online = models.BooleanField(_("online counseling"), default=True)
    offers_on_site = models.BooleanField(_("on-site counseling"), default=True)
    offers_groups = models.BooleanField(_("group offers"), default=False)
    # Translated with django-modeltranslation (sites/translation.py), falling back to German.
    description = models.TextField(_("description"), blank=True)
    accessibility_notes = models.TextField(_("accessibility"), blank=True)
    directions = models.TextField(_("directions"), blank=True)

    class Meta:
        ordering = ["town", "name"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        permissions = [
            ("lead_site", _("Lead the site")),
            ("counsel_at_site", _("Counsel at the site")),
        ]

    def __str__(self):
        return f"{self.name} ({self.town})"
