"""The error summary above a form that came back with errors (WCAG 3.3.1, 3.3.3): one list linking each
field's message to the field, which hub/assets/hub/js/error-summary.js focuses after a failed submit.

Used by templates/includes/form.html for every form; a page that puts two forms into one <form> (the ask
page: question plus sign-up) calls the tag once with both and includes each with `summarised=True`."""

from django import template

register = template.Library()


def _target_id(field) -> str:
    # A group of radios or checkboxes has no element of its own id: the summary leads to its first option.
    if field.use_fieldset:
        return f"{field.auto_id}_0"
    return field.id_for_label or field.auto_id


def error_items(*forms) -> list[dict]:
    items = []
    for form in forms:
        if not form or not getattr(form, "errors", None):
            continue
        items += [{"target": "", "label": "", "message": error} for error in form.non_field_errors()]
        for field in form.visible_fields():
            target = _target_id(field)
            items += [{"target": target, "label": field.label, "message": error} for error in field.errors]
        # A hidden field's error (a stale idempotency key, a site slug) cannot be fixed by the person,
        # but it must not vanish: it is listed without a link.
        for field in form.hidden_fields():
            items += [{"target": "", "label": "", "message": error} for error in field.errors]
    return items


@register.inclusion_tag("includes/error_summary.html", takes_context=True)
def error_summary(context, *forms):
    return {"items": error_items(*forms), "csp_nonce": context.get("csp_nonce", "")}
