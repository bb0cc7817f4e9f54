"""The origin countries the JMD's outreach works in (JMD 2Connect and its neighbours), plus "another
country": the client's country of a partner enquiry and the country of a social space. A short list on
purpose, so that those pages offer the few countries that matter; every country of the world, named by
CLDR in the reader's language (the ask form's country of residence, statistics rows), is
hub/countries.py."""

from django.db import models
from django.utils.translation import pgettext_lazy


class ClientCountry(models.TextChoices):
    ALBANIA = "AL", pgettext_lazy("country", "Albania")
    JORDAN = "JO", pgettext_lazy("country", "Jordan")
    KAZAKHSTAN = "KZ", pgettext_lazy("country", "Kazakhstan")
    MOROCCO = "MA", pgettext_lazy("country", "Morocco")
    TURKEY = "TR", pgettext_lazy("country", "Türkiye")
    UKRAINE = "UA", pgettext_lazy("country", "Ukraine")
    KOSOVO = "XK", pgettext_lazy("country", "Kosovo")
    NORTH_MACEDONIA = "MK", pgettext_lazy("country", "North Macedonia")
    SERBIA = "RS", pgettext_lazy("country", "Serbia")
    MOLDOVA = "MD", pgettext_lazy("country", "Moldova")
    GEORGIA = "GE", pgettext_lazy("country", "Georgia")
    SYRIA = "SY", pgettext_lazy("country", "Syria")
    IRAQ = "IQ", pgettext_lazy("country", "Iraq")
    AFGHANISTAN = "AF", pgettext_lazy("country", "Afghanistan")
    TUNISIA = "TN", pgettext_lazy("country", "Tunisia")
    EGYPT = "EG", pgettext_lazy("country", "Egypt")
    OTHER = "ZZ", pgettext_lazy("country", "Another country")
