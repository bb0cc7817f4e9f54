"""allauth ships no Albanian catalogue. Naming its strings here keeps them in our message files, so that
locale/sq translates them (the project's catalogue takes precedence over an app's)."""

from django.utils.translation import gettext_noop

ALLAUTH_STRINGS = [
    gettext_noop("Username"),
    gettext_noop("Password"),
    gettext_noop("Password (again)"),
    gettext_noop("Remember Me"),
    gettext_noop("Change Password"),
    gettext_noop("Email"),
    gettext_noop("Email address"),
    gettext_noop("Sign In"),
    gettext_noop("Sign Out"),
    gettext_noop("Sign Up"),
    gettext_noop("The username and/or password you specified are not correct."),
    gettext_noop("Too many failed login attempts. Try again later."),
    gettext_noop("You must type the same password each time."),
]
