"""The answers a young person gives after a case was closed, stored so that no one can tell whose they are.

A row holds the answers and only what the coordinators' results are grouped by: the site, the channel,
the language and the month (its first day). Nothing leads back to the case or the person: no case or
user column, no time of day or date, a random UUID as its key (no sequence that follows the order of
closing), and lists never sort by anything that follows it. The case itself only carries the flag
`Case.feedback_given`, so the questions are asked once. The free text may still name someone, so it is
sealed with the row's own data key (hub/sealed.py); the retention purge deletes the whole row.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hub.sealed import SealedField, WrappedKeyField


class Helped(models.TextChoices):
    YES = "yes", pgettext_lazy("feedback answer", "Yes")
    PARTLY = "partly", pgettext_lazy("feedback answer", "Partly")
    NO = "no", pgettext_lazy("feedback answer", "No")


class ComeBack(models.TextChoices):
    YES = "yes", pgettext_lazy("feedback answer", "Yes")
    MAYBE = "maybe", pgettext_lazy("feedback answer", "Maybe")
    NO = "no", pgettext_lazy("feedback answer", "No")


class CaseFeedback(models.Model):
    # The key is the row's public id too (hub.sealed.Sealable): random, so it says nothing about order.
    public_id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wrapped_key = WrappedKeyField(editable=False)
    site_ref = models.PositiveIntegerField(null=True, blank=True)  # like hub.StatEvent: kept if sites go
    # A hub.statistics.Channel value; no `choices`, like hub.StatEvent (the values are the statistics').
    channel = models.CharField(_("channel"), max_length=20)
    language = models.CharField(_("language"), max_length=10)
    month = models.DateField(_("month"))  # always the first day: no closer date is stored
    helped = models.CharField(_("did it help"), max_length=10, choices=Helped.choices)
    come_back = models.CharField(_("would come back or recommend"), max_length=10, choices=ComeBack.choices)
    text = SealedField(purpose="case-feedback.text", blank=True, default=b"")

    class Meta:
        verbose_name = _("feedback after counseling")
        verbose_name_plural = _("feedback after counseling")
        indexes = [models.Index(fields=["month", "site_ref"])]

    def __str__(self):
        return f"feedback {self.month:%Y-%m}"  # never the text
