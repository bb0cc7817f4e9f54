"""The one way a mail reaches a young person: from the neutral sender, in their language, saying only
that there is something to look at behind a login. Nothing in sender, subject or body names the service,
a site, a topic or the username (tests/test_youth_mails.py checks every template a youth can receive).

Staff mails (escalations, reminders, invitations) do not come through here.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation


def youth_language(user, fallback: str = "") -> str:
    """The language the person last used the portal in; else the fallback (e.g. the case's language)."""
    languages = dict(settings.LANGUAGES)
    for code in (getattr(user, "language", ""), fallback):
        if code in languages:
            return code
    return settings.LANGUAGE_CODE


def youth_link(viewname: str, *, language: str, args=None) -> str:
    """An absolute link that opens the page in the person's language (/ru/… for a Russian reader)."""
    with translation.override(language):
        return settings.SITE_URL + reverse(viewname, args=args)


def youth_mail_send(
    *, to: str, template: str, context: dict, language: str, attachments: list[tuple] = ()
) -> None:
    """Renders `<template>_subject.txt` and `<template>.txt` in `language` and sends them."""
    with translation.override(language):
        message = EmailMessage(
            subject=render_to_string(f"{template}_subject.txt", context).strip(),
            body=render_to_string(f"{template}.txt", context),
            from_email=settings.NEUTRAL_FROM_EMAIL,
            to=[to],
        )
        for attachment in attachments:
            message.attach(*attachment)
        message.send()
