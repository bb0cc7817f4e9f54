"""Strings of Django and Wagtail that this portal shows but whose catalogues miss some of our languages.
Naming them here keeps them in our message files (locale/ takes precedence over an app's catalogue);
a msgid a language lacks would fall back to German (LANGUAGE_CODE) on every page of that language.

- "- Select an option -": Django 6.1's empty choice of a select (BLANK_CHOICE_LABEL, also Wagtail's
  ChoiceBlock). Django has no German, Albanian, Arabic… translation yet and Wagtail's German
  ("- Option auswählen -") showed on Albanian, Arabic, Ukrainian and Russian pages.
- "This slug is already in use": wagtail-modeltranslation's slug check in the CMS, which ships no
  catalogue at all, so German editors read English.
"""

from django.utils.translation import gettext_noop

THIRD_PARTY_STRINGS = [
    gettext_noop("- Select an option -"),
    gettext_noop("This slug is already in use"),
]
