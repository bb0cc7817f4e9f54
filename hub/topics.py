"""The topics young people ask about: one list for counseling, the knowledge base, the forum and
the statistics."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Topic(models.TextChoices):
    ARRIVAL = "arrival", _("Arrival and visa")
    LANGUAGE = "language", _("Language courses")
    SCHOOL = "school", _("School and studies")
    WORK = "work", _("Training and work")
    RECOGNITION = "recognition", _("Recognition of qualifications")
    HOUSING = "housing", _("Housing")
    MONEY = "money", _("Money")
    FAMILY = "family", _("Family")
    HEALTH = "health", _("Health")
    DISCRIMINATION = "discrimination", _("Discrimination")
    OTHER = "other", _("Something else")
