"""What an inbox row prints, made once per page in Python rather than by template tags in every row.

Rendering 50 rows was about three quarters of the inbox's time: per row, fourteen `{% translate %}`
tags, two `{% url %}` reversals, two dates through the date filters, the language name and an include.
Here the fixed words are translated once per page (`row_text`), the links are one reversed pattern with
the case's id put in, and each row's dates are formatted once with the same functions the filters call
(hub/dates.py for what people read, Django's ISO form for `<time datetime>`), so a row reads exactly as
before in every language.

The row's markup itself is written here too (`row_html`, through format_html: every value escaped, names
isolated as `|isolated` did): even with its words made once, the row template's sixty-odd nodes cost a
third of a millisecond per row, 17 ms of CPU for a page of 50 (issue 19: inbox p95 <= 50 ms). The table
around the rows, and the live inbox's single row (includes/inbox_row.html), print `case.shown.html`.
"""

import html
import uuid
from dataclasses import dataclass

from django.middleware.csrf import get_token
from django.templatetags.i18n import language_name_translated
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, pgettext

from counseling.models import Case
from hub.bidi import isolated, ltr
from hub.dates import format_when, iso

_PLACEHOLDER = str(uuid.UUID(int=0))
LINKS = ("case", "handover", "take")  # reversed once per page, the case's id put in per row


def row_text() -> dict[str, str]:
    """The words every row repeats, in the active language."""
    return {
        "case": gettext("Case"),
        "hand_over": gettext("Hand over"),
        "unread": gettext("unread"),
        "approval": gettext("reply waits for approval"),
        "topic": gettext("Topic"),
        "language": gettext("Language"),
        "site": gettext("Site"),
        "last_activity": gettext("Last activity"),
        "counselor_wrote": pgettext("wrote last", "counselor"),
        "youth_wrote": pgettext("wrote last", "young person"),
        "counselor": gettext("Counselor"),
        "nobody": gettext("nobody yet"),
        "status": gettext("Status"),
        "answer_due": gettext("Answer due"),
        "overdue": gettext("overdue"),
        "escalated": gettext("escalated"),
        "take": gettext("Take"),
        "partner": gettext("Partner enquiry · %(name)s"),  # the msgid of partners/includes/inbox_badge.html
    }


@dataclass
class RowShown:
    url: str
    handover_url: str
    take_url: str
    short_id: str
    short_id_ltr: str
    language: str
    last_iso: str
    last_text: str
    due_iso: str = ""
    due_text: str = ""
    overdue: bool = False
    html: SafeString = mark_safe("")  # the whole <tr>


def rows_prepare(cases, *, now, request, may_take: bool = False) -> None:
    """Sets `case.shown` on every case of the page, with its row's markup (no query). The case carries
    `may_open`, `may_hand_over` and `unread` (staff_views._mark_rows) and the inbox query's annotations."""
    words = {key: _e(word) for key, word in row_text().items()}
    labels = {
        "topic": {value: _e(label) for value, label in Case._meta.get_field("topic").choices},
        "status": {value: _e(label) for value, label in Case._meta.get_field("status").choices},
    }
    take_form = _take_form(request, words) if may_take else None
    links = {name: reverse(f"counseling_staff:{name}", args=[_PLACEHOLDER]) for name in LINKS}
    languages: dict[str, str] = {}
    for case in cases:
        public_id = str(case.public_id)
        short_id = case.public_id.hex[:8]
        if case.language not in languages:
            languages[case.language] = language_name_translated(case.language) if case.language else ""
        last = case.last_message_at or case.created_at
        case.shown = RowShown(
            url=links["case"].replace(_PLACEHOLDER, public_id),
            handover_url=links["handover"].replace(_PLACEHOLDER, public_id),
            take_url=links["take"].replace(_PLACEHOLDER, public_id),
            short_id=short_id,
            short_id_ltr=ltr(short_id),
            language=languages[case.language],
            last_iso=iso(last),
            last_text=format_when(last, "datetime"),
        )
        if case.answer_due_at:
            case.shown.due_iso = iso(case.answer_due_at)
            case.shown.due_text = format_when(case.answer_due_at, "datetime")
            case.shown.overdue = case.answer_due_at < now
        case.shown.html = row_html(case, words=words, labels=labels, take_form=take_form)


def _take_form(request, words) -> str:
    """The queue's "take" button: a POST form with the page's CSRF token; `{action}` is put in per row."""
    token = _e(get_token(request))
    return (
        '<td class="row-action"><form method="post" action="{action}" class="inline-form" data-take>'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
        f'<button type="submit" class="button">{words["take"]}</button></form></td>'
    )


def _e(value) -> str:
    """conditional_escape without its lazy-string wrapper: half the cost of a row was that wrapper."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


_ROW = (
    '<tr id="case-{id}" data-case="{id}"{case_url} class="{unread}">\n'
    '  <th scope="row" data-label="{w[case]}">{who}\n'
    "    {unread_badge}\n"
    "    {approval}</th>\n"
    '  <td class="can-wrap" data-label="{w[topic]}">{topic}{partner}</td>\n'
    '  <td data-label="{w[language]}">{language}</td>\n'
    '  <td class="can-wrap" data-label="{w[site]}">{site}</td>\n'
    '  <td data-label="{w[last_activity]}"><time datetime="{last_iso}">{last_text}</time>\n'
    "    {last_writer}</td>\n"
    '  <td data-label="{w[counselor]}">{counselor}</td>\n'
    '  <td class="can-wrap" data-label="{w[status]}">{status}{labels}</td>\n'
    '  <td data-label="{w[answer_due]}">{due}\n'
    "    {escalated}</td>\n"
    "  {take}\n"
    "</tr>"
)


def row_html(case, *, words: dict, labels: dict, take_form: str | None) -> SafeString:
    """One `<tr>` of the inbox, as includes/inbox_row.html printed it: no content of the case, ever.
    `words` are row_text() escaped, `labels` the topic and status names by value, escaped; every other
    value is escaped here (`_e`), names isolated as `|isolated` did."""
    shown = case.shown
    return mark_safe(  # noqa: S308 - every value above is escaped or made by format_html
        _ROW.format(
            w=words,
            id=case.public_id,
            case_url=f' data-case-url="{_e(shown.url)}"' if case.may_open else "",
            unread="unread" if case.unread else "",
            who=_who(case, words),
            unread_badge=f'<span class="badge badge-unread">{words["unread"]}</span>' if case.unread else "",
            approval=(
                f'<span class="badge badge-approval">{words["approval"]}</span>'
                if case.approval_waiting
                else ""
            ),
            topic=labels["topic"].get(case.topic) or _e(case.get_topic_display()),
            partner=_partner(case, words),
            language=_e(shown.language),
            site=_e(case.site.name) if case.site_id and case.site.name else "–",
            last_iso=_e(shown.last_iso),
            last_text=_e(shown.last_text),
            last_writer=_last_writer(case, words),
            counselor=(
                isolated(case.counselor.get_full_name())
                if case.counselor_id
                else f'<span class="muted">{words["nobody"]}</span>'
            ),
            status=labels["status"].get(case.status) or _e(case.get_status_display()),
            labels="".join(f' <span class="badge">{_e(name)}</span>' for name in case.label_names),
            due=_due(case, words),
            escalated=f'<span class="badge">{words["escalated"]}</span>' if case.escalated_at else "",
            take=take_form.replace("{action}", _e(shown.take_url)) if take_form else "",
        )
    )


def _who(case, words) -> str:
    """The young person's name linking to the case, else the short id (to the handover, or plain)."""
    shown = case.shown
    if case.may_open:
        name = _full_name(case.youth) or _full_name(case.opened_by) or shown.short_id
        return (
            f'<a href="{_e(shown.url)}" title="{words["case"]} {_e(shown.short_id)}">'
            f'<bdi dir="auto">{_e(name)}</bdi></a>'
        )
    if case.may_hand_over:
        return f'<a href="{_e(shown.handover_url)}" title="{words["hand_over"]}">{shown.short_id_ltr}</a>'
    return shown.short_id_ltr


def _full_name(user) -> str:
    return user.get_full_name() if user is not None else ""


def _partner(case, words) -> str:
    enquiry = case.partner_enquiry if hasattr(case, "partner_enquiry") else None
    if enquiry is None:
        return ""
    badge = words["partner"] % {"name": isolated(enquiry.organisation.name)}
    return f' <span class="badge partner-enquiry">{badge}</span>'


def _last_writer(case, words) -> str:
    if case.last_from_staff is None:
        return ""
    word = words["counselor_wrote"] if case.last_from_staff else words["youth_wrote"]
    return f'<span class="last-writer">{word}</span>'


def _due(case, words) -> str:
    shown = case.shown
    if not case.answer_due_at:
        return "–"
    overdue = f' <strong class="error">{words["overdue"]}</strong>' if shown.overdue else ""
    return f'<time datetime="{_e(shown.due_iso)}">{_e(shown.due_text)}</time>{overdue}'
