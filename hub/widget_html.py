"""Django's own widget templates, written in Python: the same HTML at a fifth to a ninth of the cost.

Every form field is drawn by Django's widget templates (`django/forms/widgets/*.html`), and each of those
includes `attrs.html` once for the widget and once more for every option of a select or every radio and
checkbox: a template include, a context and a loop per option. Measured over the whole test suite, form
rendering was a third of all template time (`includes/form.html`, 4,163 forms, 4.8 ms each) and the
attribute loop alone ran 111,281 times. Every staff page with a form paid it on every request, and so did
a youth form rendered afresh (one with errors; the blank ones are kept fragments: hub/fragments.py).

`render()` writes the stock templates listed in `WRITERS` directly, value for value as the template
language would: `{{ x }}` localized and escaped unless already safe, `{{ x|stringformat:'s' }}` through the
same filter, and the whitespace of each template file as it is (a widget's own template is stripped by
the renderer, as Django's BaseRenderer does). Anything else (a widget with a template of its own, an
option template that is not Django's) goes to the templates as before. tests/test_widget_html.py renders
every stock widget both ways, over generated names, values, attributes and choices, and every form of the
portal both ways.
"""

from collections.abc import Callable

from django.template.defaultfilters import stringformat
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.timezone import template_localtime

WIDGETS = "django/forms/widgets/"
SELECT_OPTION = WIDGETS + "select_option.html"
INPUT_OPTION = WIDGETS + "input_option.html"
INPUT_OPTIONS = {WIDGETS + "checkbox_option.html", WIDGETS + "radio_option.html", INPUT_OPTION}


def shown(value) -> str:
    """What `{{ value }}` writes with autoescaping on (django.template.base.render_value_in_context)."""
    value = localize(template_localtime(value))
    if not issubclass(type(value), str):
        value = str(value)
    return conditional_escape(value)


def shown_as_string(value) -> str:
    """What `{{ value|stringformat:'s' }}` writes: the filter keeps a safe value safe (is_safe)."""
    text = stringformat(value, "s")
    if isinstance(value, SafeData) and isinstance(text, str):
        text = mark_safe(text)  # noqa: S308 - the filter's own is_safe rule
    return shown(text)


def attrs_html(attrs: dict) -> str:
    """django/forms/widgets/attrs.html (and django/forms/attrs.html): ` name="value"` per attribute,
    the name alone for True, nothing for False."""
    parts = []
    for name, value in attrs.items():
        if value is not False:
            parts.append(" " + shown(name))
            if value is not True:
                parts.append('="' + shown_as_string(value) + '"')
    return "".join(parts)


def input_html(widget: dict) -> str:
    value = widget["value"]
    shown_value = f' value="{shown_as_string(value)}"' if value != None else ""  # noqa: E711 - as the template compares
    return (
        f'<input type="{shown(widget["type"])}" name="{shown(widget["name"])}"{shown_value}'
        f"{attrs_html(widget['attrs'])}>\n"
    )


def input_option_html(option: dict) -> str:
    """A radio or checkbox of a multiple_input.html: input_option.html, and the newline of the option's
    own template (checkbox_option.html, radio_option.html) that includes it."""
    if option.get("wrap_label"):
        option_id = option["attrs"].get("id")
        label_for = f' for="{shown(option_id)}"' if option_id else ""
        html = f"<label{label_for}>{input_html(option)} {shown(option['label'])}</label>\n"
    else:
        html = input_html(option) + "\n"
    return html if option["template_name"] == INPUT_OPTION else html + "\n"


def select_html(widget: dict) -> str | None:
    parts = [f'<select name="{shown(widget["name"])}"{attrs_html(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{shown(group_name)}">')
        for option in group_choices:
            if option["template_name"] != SELECT_OPTION:
                return None
            parts.append(
                f'\n  <option value="{shown_as_string(option["value"])}"{attrs_html(option["attrs"])}>'
                f"{shown(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>\n")
    return "".join(parts)


def multiple_input_html(widget: dict) -> str | None:
    attrs = widget["attrs"]
    parts = ["<div"]
    if attrs.get("id"):
        parts.append(f' id="{shown(attrs["id"])}"')
    if attrs.get("class"):
        parts.append(f' class="{shown(attrs["class"])}"')
    parts.append(">")
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{shown(group)}</label>")
        for option in options:
            if option["template_name"] not in INPUT_OPTIONS:
                return None
            parts.append(f"<div>\n    {input_option_html(option)}</div>")
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>\n")
    return "".join(parts)


def textarea_html(widget: dict) -> str:
    value = widget["value"]
    return (
        f'<textarea name="{shown(widget["name"])}"{attrs_html(widget["attrs"])}>\n'
        f"{shown(value) if value else ''}</textarea>\n"
    )


def label_html(context: dict) -> str:
    if not context["use_tag"]:
        return shown(context["label"]) + "\n"
    tag = shown(context["tag"])
    return f"<{tag}{attrs_html(context['attrs'])}>{shown(context['label'])}</{tag}>\n"


def _of_widget(write: Callable[[dict], str | None]) -> Callable[[dict], str | None]:
    return lambda context: write(context["widget"])


# Django's template name -> what writes it from the render context (None: leave it to the template).
WRITERS: dict[str, Callable[[dict], str | None]] = {
    **{
        f"{WIDGETS}{name}.html": _of_widget(input_html)
        for name in (
            "input",
            "text",
            "number",
            "email",
            "url",
            "password",
            "hidden",
            "date",
            "datetime",
            "time",
            "search",
            "tel",
            "color",
            "file",
            "checkbox",
        )
    },  # fmt: skip
    WIDGETS + "select.html": _of_widget(select_html),
    WIDGETS + "multiple_input.html": _of_widget(multiple_input_html),
    WIDGETS + "checkbox_select.html": _of_widget(multiple_input_html),
    WIDGETS + "radio.html": _of_widget(multiple_input_html),
    WIDGETS + "textarea.html": _of_widget(textarea_html),
    "django/forms/label.html": label_html,
}


def render(template_name: str, context: dict) -> SafeString | None:
    """The widget's HTML as the renderer returns it (stripped), or None where a template must draw it."""
    write = WRITERS.get(template_name)
    if write is None:
        return None
    html = write(context)
    return None if html is None else mark_safe(html.strip())  # noqa: S308 - every value escaped above
