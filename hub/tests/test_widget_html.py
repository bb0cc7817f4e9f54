"""hub/widget_html.py writes Django's widget templates in Python: it must write exactly what the templates
write, for every stock widget and every form of the portal, in every language (numbers and dates in an
option label are localized)."""

import datetime
import decimal
import inspect

import hypothesis
import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.urls import get_resolver
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import strategies as st

from hub import widget_html
from hub.bidi import FormRenderer


class TemplateRenderer(FormRenderer):
    """The portal's renderer (its input directions included) with every widget drawn by its template."""

    def render(self, template_name, context, request=None):
        return DjangoTemplates.render(self, template_name, context, request)


STOCK, OURS = TemplateRenderer(), FormRenderer()
LANGUAGES = ["de", "en", "ar", "ru", "tr", "sq", "uk", "fr"]
CHOICE_WIDGETS = [
    forms.Select,
    forms.SelectMultiple,
    forms.RadioSelect,
    forms.CheckboxSelectMultiple,
]
INPUT_WIDGETS = [
    forms.TextInput,
    forms.NumberInput,
    forms.EmailInput,
    forms.URLInput,
    forms.PasswordInput,
    forms.HiddenInput,
    forms.DateInput,
    forms.DateTimeInput,
    forms.TimeInput,
    forms.SearchInput,
    forms.TelInput,
    forms.ColorInput,
    forms.FileInput,
    forms.CheckboxInput,
    forms.Textarea,
]

# Text with every character HTML treats specially, right-to-left and combining marks, and the kinds of
# value a label, value or attribute takes: numbers (localized in labels), dates, lazy and safe strings.
texts = st.text(alphabet=st.sampled_from("ab <>&\"'\u202eمر\u0301 1"), max_size=8)
values = st.one_of(
    st.none(),
    texts,
    st.integers(-(10**7), 10**7),
    st.floats(-1e6, 1e6, allow_nan=False),
    st.decimals(-1000, 1000, places=2, allow_nan=False),
    st.dates(),
    st.booleans(),
    texts.map(mark_safe),
    st.just(gettext_lazy("Topic")),
)
attrs = st.dictionaries(
    st.sampled_from(
        ["id", "class", "required", "disabled", "maxlength", "data-x", "dir", "aria-describedby"]
    ),
    st.one_of(st.booleans(), texts, st.integers(0, 500)),
    max_size=5,
)
choice_lists = st.lists(
    st.one_of(
        st.tuples(values.filter(lambda v: v is not None), values),
        st.tuples(texts.filter(bool), st.lists(st.tuples(st.integers(0, 99), values), max_size=3)),
    ),
    max_size=6,
)


def both(template_name, context):
    return STOCK.render(template_name, context), OURS.render(template_name, context)


@hypothesis.settings(max_examples=300, deadline=None)
@given(
    widget_class=st.sampled_from(CHOICE_WIDGETS),
    choices=choice_lists,
    value=st.one_of(values, st.lists(values, max_size=3)),
    widget_attrs=attrs,
    name=texts,
    language=st.sampled_from(LANGUAGES),
)
def test_choice_widgets_write_what_their_templates_write(
    widget_class, choices, value, widget_attrs, name, language
):
    widget = widget_class(choices=choices)
    with translation.override(language):
        stock, ours = both(widget.template_name, widget.get_context(name, value, widget_attrs))
    assert ours == stock


@hypothesis.settings(max_examples=300, deadline=None)
@given(
    widget_class=st.sampled_from(INPUT_WIDGETS),
    value=values,
    widget_attrs=attrs,
    name=texts,
    language=st.sampled_from(LANGUAGES),
)
def test_input_widgets_write_what_their_templates_write(widget_class, value, widget_attrs, name, language):
    widget = widget_class()
    with translation.override(language):
        stock, ours = both(widget.template_name, widget.get_context(name, value, widget_attrs))
    assert ours == stock


@hypothesis.settings(max_examples=100, deadline=None)
@given(label=st.one_of(texts, texts.map(mark_safe)), label_attrs=attrs, suffix=texts)
def test_labels_write_what_their_template_writes(label, label_attrs, suffix):
    class Form(forms.Form):
        field = forms.CharField(label=label)

    def labels(renderer):
        bound = Form(renderer=renderer)["field"]
        return bound.label_tag(attrs=label_attrs, label_suffix=suffix), bound.legend_tag(attrs=label_attrs)

    assert labels(OURS) == labels(STOCK)


def test_a_widget_with_a_template_of_its_own_is_left_to_it():
    class OwnOptions(forms.RadioSelect):
        option_template_name = "django/forms/widgets/checkbox_option.html"

    class Own(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    assert widget_html.render("hub/widgets/anything.html", {"widget": {}}) is None
    for widget in (OwnOptions(choices=[(1, "a")]), Own(choices=[(1, "a")])):
        context = widget.get_context("f", 1, {})
        stock, ours = both(widget.template_name, context)
        assert ours == stock
    # An option template other than Django's own: the template draws the whole select.
    assert widget_html.render(Own.template_name, Own(choices=[(1, "a")]).get_context("f", 1, {})) is None


def portal_forms():
    """Every form class of the portal's own apps (the URL configuration imports every view, and the views
    their forms) that can be made without arguments."""
    get_resolver().url_patterns  # noqa: B018 - imports every view module
    portal_modules = {app.split(".")[0] for app in settings.PORTAL_APPS}
    found, seen = [], set()
    stack = [forms.BaseForm]
    while stack:
        for form_class in stack.pop().__subclasses__():
            stack.append(form_class)
            module = form_class.__module__.split(".")[0]
            if form_class in seen or module not in portal_modules:
                continue
            seen.add(form_class)
            mixin = form_class.__name__.endswith("Mixin")  # completes another form (voice_forms.py)
            if ".tests." not in form_class.__module__ and not inspect.isabstract(form_class) and not mixin:
                found.append(form_class)
    return sorted(found, key=lambda form_class: f"{form_class.__module__}.{form_class.__qualname__}")


@pytest.mark.django_db
def test_every_form_of_the_portal_renders_as_with_the_templates(youth):
    rendered = 0
    for form_class in portal_forms():
        for language in ("de", "ar"):
            try:
                with translation.override(language):
                    stock = form_class(renderer=STOCK)
                    ours = form_class(renderer=OURS)
            except (
                TypeError,
                ValueError,
            ):  # needs arguments (a case, a user, a model): its widgets are tested above
                break
            with translation.override(language):
                assert [str(field) for field in ours] == [str(field) for field in stock], form_class
                assert [f.label_tag() for f in ours] == [f.label_tag() for f in stock], form_class
            rendered += 1
    print(f"{rendered // 2} of {len(portal_forms())} forms made without arguments")
    assert rendered >= 40  # the forms made without arguments, each in German and Arabic


def test_the_portals_forms_use_the_renderer():
    assert isinstance(forms.Form().renderer or forms.forms.get_default_renderer(), FormRenderer)


def test_dates_and_decimals_in_option_labels_are_localized_as_by_the_template():
    widget = forms.Select(choices=[(1, datetime.date(2026, 12, 6)), (2, decimal.Decimal("1234.5"))])
    with translation.override("de"):
        stock, ours = both(widget.template_name, widget.get_context("f", 2, {}))
    assert ours == stock and "1234,5" in ours


def test_a_form_of_stock_widgets_renders_no_template_per_option():
    """The cost this module removes: a select of the network's ~500 sites was 500 template includes,
    each with its attribute template; radios and checkboxes the same. Only the form's own templates
    render now (under the test runner every template render sends template_rendered)."""
    from django.test.signals import template_rendered

    class Filters(forms.Form):
        site = forms.ChoiceField(choices=[(n, f"JMD {n}") for n in range(500)])
        topics = forms.MultipleChoiceField(
            choices=[(n, n) for n in range(20)], widget=forms.CheckboxSelectMultiple
        )
        channel = forms.ChoiceField(choices=[(n, n) for n in range(5)], widget=forms.RadioSelect)
        text = forms.CharField(widget=forms.Textarea)
        code = forms.CharField()

    rendered = []

    def record(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(record)
    try:
        html = Filters(renderer=OURS).as_div()
    finally:
        template_rendered.disconnect(record)
    assert html.count("<option") == 500 and html.count('type="checkbox"') == 20
    drawn_in_python = ("django/forms/widgets/", "django/forms/label.html", "django/forms/attrs.html")
    assert not [name for name in rendered if name.startswith(drawn_in_python)], rendered
    assert len(rendered) < 30  # the form, and per field its own template and (empty) error list
