"""`{% voice_player attachment %}`: a voice message with native, labelled controls (counseling/voice.py).

The label names who spoke and when, as the page's reader sees it; staff also see the summary for the
record and, where they may work the case, a link to write it."""

import json
from datetime import datetime

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from counseling import voice
from hub.dates import format_when

register = template.Library()


@register.inclusion_tag("counseling/includes/voice_player.html", takes_context=True)
def voice_player(context, attachment, *, staff=False):
    message = attachment.message
    user = context["user"]
    when = format_when(message.published_at or message.created_at, "datetime")
    if message.author_id == user.pk:
        label = _("Your voice message, %(when)s") % {"when": when}
    else:
        label = _("Voice message from %(name)s, %(when)s") % {"name": _speaker(message, staff), "when": when}
    shown = {
        "attachment": attachment,
        "key": attachment.public_id,
        "label": label,
        "length": voice.length_text(attachment.duration_ms),
        "url": reverse("counseling:voice", args=[attachment.public_id]),
    }
    if staff:
        shown["summary"] = voice.voice_summary(attachment)
        if context.get("may_work"):
            shown["summary_url"] = reverse("counseling_staff:voice_summary", args=[attachment.public_id])
    return shown


def _speaker(message, staff: bool) -> str:
    # In the form "Voice message from …" takes (dative/genitive in some languages): hence the context.
    if message.from_staff:
        name = message.author.get_full_name() if message.author else ""
        return name or (
            pgettext("voice message from", "a counselor")
            if staff
            else pgettext("voice message from", "your counselor")
        )
    if staff:
        return pgettext("voice message from", "the young person")
    return message.author.get_short_name() if message.author else ""


@register.inclusion_tag("counseling/includes/voice_player.html", takes_context=True)
def chat_voice_player(context, line):
    """A voice line of a live chat as the page first shows it (live.js adds the ones that arrive)."""
    when = format_when(datetime.fromisoformat(line["sent_at"]), "datetime")
    if line["author_id"] == context["user"].pk:
        label = _("Your voice message, %(when)s") % {"when": when}
    else:
        label = _("Voice message from %(name)s, %(when)s") % {"name": line["author"], "when": when}
    voice_entry = line["voice"]
    return {"label": label, "length": voice_entry["length"], "url": voice_entry["url"], "key": line["seq"]}


@register.simple_tag
def voice_recorder_strings() -> str:
    """The recorder's texts as JSON for a data attribute (escaped there like any attribute value)."""
    return json.dumps(voice.recorder_strings())
