"""Forms of the coordinators' pages in hub: statistics filters, retention periods, audit-log filters,
staff roles."""

from django import forms
from django.conf import settings
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from hub.audit import AuditAction
from hub.retention import POLICIES, policies_current
from hub.roles import STAFF_ROLES, Role
from hub.statistics import DIMENSIONS, Channel, columns, years_with_data
from hub.topics import Topic


def _sites():
    from django.apps import apps

    return [("", _("All sites"))] + [(s.pk, str(s)) for s in apps.get_model("sites", "Site").objects.all()]


def _countries():
    from hub.countries import country_choices

    return [("", _("All countries")), *country_choices()]


def _provider_groups():
    from django.apps import apps

    groups = apps.get_model("sites", "ProviderGroup").objects.all()
    return [("", _("All provider groups"))] + [(g.pk, str(g)) for g in groups]


STATISTICS_FILTERS = ("site", "provider_group", "channel", "language", "topic", "country")


class PeriodFilterForm(forms.Form):
    """The fields every page of figures selects by (the statistics, the feedback after counseling): year,
    month, channel and language; each page adds its own rows and filters and sets the year choices."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=())
    month = forms.TypedChoiceField(
        label=_("Month"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", _("Whole year"))] + list(MONTHS.items()),
    )
    channel = forms.ChoiceField(
        label=_("Channel"),
        required=False,
        choices=[("", _("All channels")), *Channel.choices],
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("All languages")), *settings.LANGUAGES],
    )


class StatisticsFilterForm(PeriodFilterForm):
    field_order = ("year", "month", "by", "site", "provider_group", "channel", "language", "topic", "country")
    by = forms.ChoiceField(label=_("Rows"), choices=list(DIMENSIONS.items()), required=False)
    site = forms.TypedChoiceField(
        label=_("Site"), coerce=int, empty_value=None, required=False, choices=_sites
    )
    provider_group = forms.TypedChoiceField(
        label=_("Provider group"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=_provider_groups,
    )
    topic = forms.ChoiceField(
        label=_("Topic"), required=False, choices=[("", _("All topics")), *Topic.choices]
    )
    country = forms.ChoiceField(label=_("Country of residence"), required=False, choices=_countries)
    chart = forms.ChoiceField(label=_("Chart shows"), required=False, choices=columns)

    def __init__(self, *args, years: list[int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, str(year)) for year in years or years_with_data()]

    def filters(self) -> dict:
        data = self.cleaned_data
        return {key: data.get(key) for key in STATISTICS_FILTERS}


def statistics_query(data) -> tuple[StatisticsFilterForm, dict]:
    """The bound form and the values to use: invalid fields fall back to their defaults (and show why)."""
    years = years_with_data()
    form = StatisticsFilterForm(data or None, initial={"year": years[0]}, years=years)
    valid = form.is_valid()
    cleaned = form.cleaned_data if valid else {k: v for k, v in getattr(form, "cleaned_data", {}).items()}
    query = {
        "year": cleaned.get("year") or years[0],
        "month": cleaned.get("month"),
        "by": cleaned.get("by") or "month",
        "chart": cleaned.get("chart") or "enquiry",
        "filters": {k: cleaned.get(k) for k in STATISTICS_FILTERS},
    }
    return form, query


class RetentionForm(forms.Form):
    """One number per policy, bounded as hub/retention.py says; the current values are the initial ones."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for policy, value, _is_default in policies_current():
            unit = _("hours") if policy.unit == "hours" else _("days")
            self.fields[policy.key] = forms.IntegerField(
                label=policy.label,
                min_value=policy.minimum,
                max_value=policy.maximum,
                initial=value,
                help_text=_("%(minimum)s to %(maximum)s %(unit)s; default %(default)s")
                % {
                    "minimum": policy.minimum,
                    "maximum": policy.maximum,
                    "unit": unit,
                    "default": policy.default,
                },
            )

    def changed_policies(self) -> dict[str, int]:
        return {key: self.cleaned_data[key] for key in self.changed_data if key in POLICIES}


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("What"), required=False, choices=[("", _("Everything")), *AuditAction.choices]
    )
    actor = forms.CharField(label=_("Who (username)"), required=False, max_length=150)
    case = forms.CharField(label=_("Case number"), required=False, max_length=64)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("The end date is before the start date."))
        return data


# --- staff administration (/staff/accounts/, /staff/invitations/) ---------------------------------------
# Each field validates against every value that exists and shows only what the manager may give: a value
# beyond their scope passes the form and is refused by counseling/staffing.py with 403, as a denial.
# What an account holds outside the manager's view (a role or site they do not see) is kept unchanged.


def _site_choices(site_ids=None):
    from django.apps import apps

    sites = apps.get_model("sites", "Site").objects.order_by("name")
    if site_ids is not None:
        sites = sites.filter(pk__in=site_ids)
    return [(site.pk, str(site)) for site in sites.only("pk", "name", "town")]


def _role_choices(roles=STAFF_ROLES):
    return [(role.value, role.label) for role in Role if role in roles]


class StaffSetupForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=_role_choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    counsel_sites = forms.TypedMultipleChoiceField(
        label=_("Counsels at these sites"), coerce=int, required=False, choices=()
    )
    lead_sites = forms.TypedMultipleChoiceField(
        label=_("Leads these sites"), coerce=int, required=False, choices=()
    )
    languages = forms.MultipleChoiceField(
        label=_("Counseling languages"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics"),
        choices=Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("None chosen: all topics."),
    )

    def __init__(self, *args, scope, held=None, **kwargs):
        """`held`: {"roles", "counsel_sites", "lead_sites"} the account has now (None for an invitation)."""
        super().__init__(*args, **kwargs)
        self.scope = scope
        self.held = held or {"roles": set(), "counsel_sites": set(), "lead_sites": set()}
        all_sites = _site_choices()
        visible_sites = all_sites if scope.everything else _site_choices(scope.site_ids)
        self.fields["roles"].widget.choices = _role_choices(scope.grantable_roles)
        self.fields["counsel_sites"].choices = all_sites
        self.fields["lead_sites"].choices = all_sites
        if scope.everything:
            for name in ("counsel_sites", "lead_sites"):
                self.fields[name].widget = forms.SelectMultiple(attrs={"size": 8})
                self.fields[name].widget.choices = all_sites
        else:
            self.fields["counsel_sites"].widget = forms.CheckboxSelectMultiple(choices=visible_sites)
            del self.fields["lead_sites"]  # who leads a site is a coordinator's decision
        self.visible_roles = {value for value, _label in _role_choices(scope.grantable_roles)}
        self.visible_sites = {pk for pk, _label in visible_sites}

    def clean(self):
        data = super().clean()
        held = self.held
        data["roles"] = set(data.get("roles") or ()) | (held["roles"] - self.visible_roles)
        data["counsel_sites"] = set(data.get("counsel_sites") or ()) | (
            held["counsel_sites"] - self.visible_sites
        )
        data["lead_sites"] = (
            set(data.get("lead_sites") or ()) if "lead_sites" in self.fields else held["lead_sites"]
        )
        counseling = data["roles"] & {Role.COUNSELOR, Role.TRAINEE_COUNSELOR}
        if counseling and not data.get("languages") and "languages" not in self.errors:
            self.add_error("languages", _("Choose at least one language: cases are routed by language."))
        if "lead_sites" in self.fields:
            if data["lead_sites"] and Role.SITE_LEAD not in data["roles"]:
                self.add_error("lead_sites", _("Give the site lead role as well, or choose no site here."))
            elif Role.SITE_LEAD in data["roles"] and not data["lead_sites"]:
                self.add_error("lead_sites", _("Choose the sites this site lead leads."))
        if not self.scope.everything and not data["counsel_sites"]:
            # A site lead's invitee or colleague works at one of their sites (a foreign one is refused
            # by the service with 403; taking someone off the lead's own site is allowed).
            self.add_error("counsel_sites", _("Choose at least one of your sites."))
        if not self.errors and not data["roles"]:
            self.add_error("roles", _("Choose at least one role."))
        return data

    def profile_values(self) -> dict:
        return {
            "languages": list(self.cleaned_data["languages"]),
            "topics": list(self.cleaned_data["topics"]),
        }


class StaffInviteForm(StaffSetupForm):
    email = forms.EmailField(label=_("E-mail address of the new staff member"))
    display_name = forms.CharField(label=_("Display name (optional)"), max_length=80, required=False)
    field_order = ["email", "display_name", "roles", "counsel_sites", "lead_sites", "languages", "topics"]


class StaffAccountForm(StaffSetupForm):
    """Roles, sites and the counselor profile of one staff member, with their absence."""

    capacity = forms.IntegerField(label=_("Open cases at most"), min_value=1, max_value=200, initial=25)
    chat_seats = forms.IntegerField(label=_("Live chats at once"), min_value=0, max_value=10, initial=2)
    mentor = forms.TypedChoiceField(
        label=_("Mentor (for trainee counselors)"), coerce=int, empty_value=None, required=False, choices=()
    )
    is_absent = forms.BooleanField(label=_("Absent"), required=False)
    absent_until = forms.DateField(
        label=_("Absent until (last day)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    absence_message = forms.CharField(
        label=_("Absence message for young people"), max_length=300, required=False
    )

    def __init__(self, *args, account, mentors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.account_pk = account.pk
        self.fields["mentor"].choices = [("", _("No mentor")), *mentors]

    def clean_absent_until(self):
        from counseling import absence  # the one absence rule (a local import: hub is imported by counseling)

        return absence.last_day_validate(self.cleaned_data["absent_until"])

    def clean(self):
        data = super().clean()
        if data.get("mentor") and data["mentor"] == self.account_pk:
            self.add_error("mentor", _("Nobody can be their own mentor."))
        return data

    def profile_values(self) -> dict:
        values = super().profile_values()
        data = self.cleaned_data
        values.update(capacity=data["capacity"], chat_seats=data["chat_seats"], mentor_id=data.get("mentor"))
        return values

    def absence(self) -> dict:
        data = self.cleaned_data
        return {
            "is_absent": data["is_absent"],
            "until": data.get("absent_until"),
            "message": data.get("absence_message", ""),
        }


class StaffFilterForm(forms.Form):
    q = forms.CharField(label=_("Search (username or name)"), required=False, max_length=80)
    role = forms.ChoiceField(label=_("Role"), required=False, choices=())
    site = forms.TypedChoiceField(label=_("Site"), coerce=int, empty_value=None, required=False, choices=())
    language = forms.ChoiceField(
        label=_("Counseling language"),
        required=False,
        choices=[("", _("All languages")), *settings.LANGUAGES],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("active", _("Active")), ("deactivated", _("Deactivated")), ("all", _("All"))],
    )
    absent = forms.BooleanField(label=_("Absent now"), required=False)

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("All roles")), *_role_choices()]
        sites = _site_choices(None if scope.everything else scope.site_ids)
        self.fields["site"].choices = [("", _("All sites")), *sites]

    def filters(self) -> dict:
        """Valid filters only: a wrong value is shown with its message and ignored."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {key: data.get(key) for key in self.fields if key not in self.errors and data.get(key)}


class ConfirmForm(forms.Form):
    """A second look before something that cannot be undone at a click (2FA reset, deactivation)."""

    confirm = forms.BooleanField(
        label=_("Yes, I have checked who I am doing this for."),
        error_messages={"required": _("Please tick the box to confirm.")},
    )
