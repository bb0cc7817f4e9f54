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


def _provider_groups():
    from django.apps import apps

    groups = apps.get_model("sites", "ProviderGroup").objects.all()
    return [("", _("All provider groups"))] + [(g.pk, str(g)) for g in groups]


class InlineSelect(forms.Select):
    """A select whose options are written by its own template, not one template include per option: the
    statistics filters have some 100 options, and the includes cost more than the figures."""

    template_name = "hub/widgets/select_inline.html"


class StatisticsFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=(), widget=InlineSelect)
    month = forms.TypedChoiceField(
        label=_("Month"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", _("Whole year"))] + list(MONTHS.items()),
        widget=InlineSelect,
    )
    by = forms.ChoiceField(
        label=_("Rows"), choices=list(DIMENSIONS.items()), required=False, widget=InlineSelect
    )
    site = forms.TypedChoiceField(
        label=_("Site"), coerce=int, empty_value=None, required=False, choices=_sites, widget=InlineSelect
    )
    provider_group = forms.TypedChoiceField(
        label=_("Provider group"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=_provider_groups,
        widget=InlineSelect,
    )
    channel = forms.ChoiceField(
        label=_("Channel"),
        required=False,
        choices=[("", _("All channels")), *Channel.choices],
        widget=InlineSelect,
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("All languages")), *settings.LANGUAGES],
        widget=InlineSelect,
    )
    topic = forms.ChoiceField(
        label=_("Topic"), required=False, choices=[("", _("All topics")), *Topic.choices], widget=InlineSelect
    )
    chart = forms.ChoiceField(label=_("Chart shows"), required=False, choices=columns, widget=InlineSelect)

    def __init__(self, *args, years: list[int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, str(year)) for year in years or years_with_data()]

    def filters(self) -> dict:
        data = self.cleaned_data
        return {key: data.get(key) for key in ("site", "provider_group", "channel", "language", "topic")}


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
        "filters": {k: cleaned.get(k) for k in ("site", "provider_group", "channel", "language", "topic")},
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


class StaffRolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=[(role.value, role.label) for role in Role if role in STAFF_ROLES],
        widget=forms.CheckboxSelectMultiple,
    )
