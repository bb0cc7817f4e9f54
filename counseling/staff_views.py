"""The staff side of mail counseling: the inbox, the case page and its actions, mentor approval, absence
and canned responses.

Every view checks access itself (counseling/access.py) — the forms on the case page post to their own
URLs and are checked again there. Every response that shows a case's content writes an audit entry.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from counseling import access, case_page, routing, selectors, services
from counseling import inbox as inbox_rows
from counseling.callbacks import CallbackTaken, callback_number, callback_record, callback_take
from counseling.inbox_display import rows_prepare
from counseling.models import (
    CallbackStatus,
    CannedResponse,
    CaseStatus,
    CounselorProfile,
    MessageStatus,
)
from counseling.retention import case_deletion_due
from counseling.staff_forms import (
    AbsenceForm,
    CallbackOutcomeForm,
    CannedResponseForm,
    HandoverForm,
    InboxFilterForm,
    LabelsForm,
    NoteForm,
    ReturnForm,
    StaffReplyForm,
    StatusForm,
)
from counseling.timeline import timeline_page
from hub.audit import audit_record
from hub.drafts import draft_attrs, draft_name
from hub.retention import purge_day
from hub.roles import Role, has_role, works_with_cases
from knowledge.selectors import article_link_text, article_links_for_reply
from learning.gates import Activity, activity_refusal

INBOX_PAGE_SIZE = 50
THREAD_TAIL = 10  # entries of the conversation shown on the case page before "show earlier"
BOX_LABELS = {
    "mine": gettext_lazy("My cases"),
    "team": gettext_lazy("My sites"),
    "queue": gettext_lazy("Queue"),
    "escalated": gettext_lazy("Escalated"),
}


def _case_url(case, anchor: str = "") -> str:
    return reverse("counseling_staff:case", args=[case.public_id]) + anchor


# --- inbox --------------------------------------------------------------------------------------------


@require_GET
def inbox(request):
    user = request.user
    if not works_with_cases(user):  # an online mentor: no inbox at all (hub/roles.py CASELESS_ROLES)
        raise PermissionDenied
    box, boxes, form, cases = inbox_selection(request)
    page = Paginator(cases.values_list("pk", flat=True), INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = inbox_rows.rows_of(list(page.object_list), user=user)
    now = timezone.now()
    may_take = box == "queue" and routing.counsels(user)
    _mark_rows(user, page.object_list)
    rows_prepare(page.object_list, now=now, request=request, may_take=may_take)
    context = {
        "box": box,
        "boxes": [(key, BOX_LABELS[key]) for key in boxes],
        "form": form,
        "page": page,
        "now": now,
        "may_take": may_take,
        "may_review": access.may_review(user),
        "counsels": routing.counsels(user),
        "deleted_cases": selectors.tombstones_of(user) if box == "mine" else [],
        "approvals_waiting": selectors.approvals_for(user).count() if access.may_review(user) else 0,
    }
    return render(request, "counseling/staff/inbox.html", context)


def inbox_selection(request):
    """The box and filters the query string asks for, and the cases they select (rows: inbox.rows_of)."""
    user = request.user
    boxes = [box for box in selectors.INBOX_BOXES if box != "escalated" or access.may_see_escalated(user)]
    box = request.GET.get("box") or "mine"
    if box == "escalated" and box not in boxes:
        raise PermissionDenied
    box = box if box in boxes else "mine"
    form = InboxFilterForm(request.GET)
    form.is_valid()  # invalid filters are shown as errors and left out; the valid ones still apply
    return box, boxes, form, selectors.inbox(user, box=box, filters=form.cleaned_data)


@require_GET
def inbox_row(request, public_id):
    """One row of the inbox as the query string's box and filters show it, for the live inbox
    (counseling/js/inbox.js); 404 when the case is not (or no longer) in that box for this user, as for
    every case URL of a case one may not see."""
    if not works_with_cases(request.user):
        raise Http404
    box, _boxes, _form, cases = inbox_selection(request)
    found = inbox_rows.rows_of(
        list(cases.filter(public_id=public_id).values_list("pk", flat=True)[:1]), user=request.user
    )
    if not found:
        raise Http404
    case = found[0]
    _mark_rows(request.user, [case])
    may_take = box == "queue" and routing.counsels(request.user)
    rows_prepare([case], now=timezone.now(), request=request, may_take=may_take)
    return render(request, "counseling/staff/includes/inbox_row.html", {"case": case})


@require_GET
def inbox_approvals(request):
    """The link to the approvals with how many replies wait, for the live inbox of a mentor."""
    if not access.may_review(request.user):
        raise PermissionDenied
    count = selectors.approvals_for(request.user).count()
    return render(request, "counseling/staff/includes/approvals_link.html", {"approvals_waiting": count})


def _mark_rows(user, cases) -> None:
    """Which rows the user may open or hand over. The access sets are read up front, so the page costs
    the same queries whichever rows come first."""
    access.staff_site_ids(user), access.lead_site_ids(user), access.mentee_ids(user)
    for case in cases:
        case.may_open = access.may_open_case(user, case)
        case.may_hand_over = access.may_manage_assignment(user, case)
        case.unread = inbox_rows.is_unread(case)


# --- the case page and its actions --------------------------------------------------------------------


@require_GET
def case_detail(request, public_id):
    try:
        case = access.access_case_staff(request.user, public_id)
    except Http404:
        # The young person may have deleted their account: say so to whoever worked the case.
        tombstone = access.access_case_tombstone(request.user, public_id)
        return render(request, "counseling/staff/case_deleted.html", {"tombstone": tombstone}, status=410)
    inbox_rows.case_mark_read(case=case, user=request.user)
    return _case_page(request, case)


def _case_page(request, case, **bound_forms):
    """The whole case page; a form that came back with errors replaces its empty twin, still filled in."""
    user = request.user
    audit_record(actor=user, action="case.open", target_type="case", target_id=case.public_id)
    # The latest entries sit right above the reply box; older ones a page at a time, one link away.
    thread = timeline_page(case, before=request.GET.get("before"), size=THREAD_TAIL)
    timeline = thread.items
    statuses = dict(CaseStatus.choices)
    for item in timeline:
        if item.event is not None:
            item.event.status_label = statuses.get(item.event.status, item.event.status)
    may_work = access.may_work_case(user, case)
    canned = list(
        CannedResponse.objects.filter(language=case.language).values("pk", "shortcut", "title", "body")
    )
    every_label = case_page.labels_read(case)  # the badges, the form's choices and its ticks: one query
    labels = [label for label in every_label if label.ticked]
    context = {
        "case": case,
        "timeline": timeline,
        "thread": thread,
        "earlier_count": thread.earlier_count,
        "absence": selectors.counselor_absence(case),
        "now": timezone.now(),
        "labels": labels,
        "every_label": every_label,
        "labels_key": case_page.labels_key(every_label),
        "canned_key": case_page.canned_key(canned),
        "mentees": access.mentee_ids(user),
        "may_work": may_work,
        "canned": canned,
        "reply_form": (bound_forms.get("reply_form") or _empty_reply_form(case)) if may_work else None,
        "is_trainee": has_role(user, Role.TRAINEE_COUNSELOR) and not has_role(user, Role.COUNSELOR),
        "note_form": bound_forms.get("note_form") or NoteForm(),
        "status_form": bound_forms.get("status_form") or StatusForm(initial={"status": case.status}),
        "labels_form": bound_forms.get("labels_form") or LabelsForm(initial={"labels": labels}),
        "handover_form": HandoverForm(case=case) if access.may_manage_assignment(user, case) else None,
        "knowledge": bound_forms.get("knowledge"),
        "deleted_on": purge_day(case_deletion_due(case)),
    }
    _keep_reply_draft(request, case, context)
    return render(request, "counseling/staff/case_detail.html", context)


def _keep_reply_draft(request, case, context) -> None:
    """The reply being typed is kept in the browser (hub/drafts.py) until the page after a send says so."""
    name = f"case-{case.public_id}"
    if context["reply_form"] is not None:
        context["reply_form"].fields["body"].widget.attrs.update(draft_attrs(request.user, name, staff=True))
    if request.method == "GET" and "sent" in request.GET:
        context["draft_sent"] = draft_name(request.user, name)


def _empty_reply_form(case, **initial) -> StaffReplyForm:
    return StaffReplyForm(initial={"idempotency_key": uuid.uuid4(), **initial}, language=case.language)


@sensitive_post_parameters("body")
@require_POST
def case_reply(request, public_id):
    case = access.access_case_staff(request.user, public_id, for_write=True)
    if "insert" in request.POST:
        return _case_page(request, case, reply_form=_reply_with_canned(request, case))
    if "kb_search" in request.POST or "insert_article" in request.POST:
        return _case_page(request, case, **_reply_with_knowledge(request, case))
    form = StaffReplyForm(request.POST, request.FILES, language=case.language)
    if not form.is_valid():
        if request.FILES:
            form.add_error(None, _("Your text is kept, but please choose the attachments again."))
        return _case_page(request, case, reply_form=form)
    message = services.message_send(
        case=case,
        author=request.user,
        body=form.cleaned_data["body"],
        files=form.cleaned_data["attachments"],
        idempotency_key=form.cleaned_data["idempotency_key"],
    )
    if message.status == MessageStatus.PENDING:
        messages.info(request, _("Your reply is waiting for your mentor's approval."))
        if not CounselorProfile.objects.filter(user=request.user, mentor__isnull=False).exists():
            messages.warning(request, _("You have no mentor yet. Please ask your coordinator to assign one."))
    else:
        messages.success(request, _("Your reply has been sent."))
    return redirect(_case_url(case, "?sent=1#latest"))  # ?sent: the browser forgets the draft


def _reply_with_knowledge(request, case) -> dict:
    """Without JavaScript: search the knowledge base from the reply, and append a link to an article in
    the young person's language to the text typed so far."""
    body = request.POST.get("body", "")
    article_id = request.POST.get("insert_article", "")
    link = (
        article_link_text(int(article_id), language=case.language, request=request)
        if article_id.isdigit()
        else None
    )
    if link:
        body = f"{body.rstrip()}\n\n{link}" if body.strip() else link
    query = request.POST.get("kb_query", "").strip()
    choice = StaffReplyForm(request.POST, language=case.language)
    choice.is_valid()  # only the idempotency key is read here
    key = choice.cleaned_data.get("idempotency_key") or uuid.uuid4()
    hits = article_links_for_reply(query, language=case.language) if query else []
    return {
        "reply_form": _empty_reply_form(case, body=body, idempotency_key=key),
        "knowledge": {"query": query, "hits": hits},
    }


def _reply_with_canned(request, case) -> StaffReplyForm:
    """Without JavaScript: the text typed so far, with the chosen canned response appended."""
    choice = StaffReplyForm(request.POST, language=case.language)
    choice.is_valid()  # only the canned choice and the idempotency key are read here
    body = request.POST.get("body", "")
    canned = choice.cleaned_data.get("canned")
    if canned is None:
        messages.warning(request, _("Please choose a canned response to insert."))
    else:
        body = f"{body.rstrip()}\n\n{canned.body}" if body.strip() else canned.body
    key = choice.cleaned_data.get("idempotency_key") or uuid.uuid4()
    return _empty_reply_form(case, body=body, idempotency_key=key)


@sensitive_post_parameters("body")
@require_POST
def case_note(request, public_id):
    case = access.access_case_staff(request.user, public_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, note_form=form)
    services.note_add(case=case, author=request.user, body=form.cleaned_data["body"])
    messages.success(request, _("The internal note has been saved."))
    return redirect(_case_url(case, "#latest"))


@require_POST
def case_status(request, public_id):
    case = access.access_case_staff(request.user, public_id, for_write=True)
    form = StatusForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, status_form=form)
    if form.cleaned_data["status"] != case.status:
        services.case_set_status(case=case, status=form.cleaned_data["status"], actor=request.user)
        messages.success(request, _("The status has been changed."))
    return redirect(_case_url(case))


@require_POST
def case_labels(request, public_id):
    case = access.access_case_staff(request.user, public_id, for_write=True)
    form = LabelsForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, labels_form=form)
    services.case_set_labels(case=case, labels=form.cleaned_data["labels"])
    messages.success(request, _("The labels have been saved."))
    return redirect(_case_url(case))


@sensitive_post_parameters("note")
@require_http_methods(["GET", "POST"])
def case_handover(request, public_id):
    """Its own page as well, with no content: coordinators hand over cases they may not open."""
    case = access.access_case_assignment(request.user, public_id)
    form = HandoverForm(request.POST or None, case=case)
    if form.is_bound and form.is_valid():
        services.case_handover(
            case=case,
            actor=request.user,
            counselor=form.cleaned_data["counselor"],
            site=form.cleaned_data["site"],
            note=form.cleaned_data["note"],
        )
        if case.team_only:  # nobody of that site's team was free: say where it waits, not "handed over"
            messages.success(
                request,
                _("The case waits in the queue of the team of %(site)s.") % {"site": case.site.name},
            )
        else:
            messages.success(request, _("The case has been handed over."))
        if access.may_open_case(request.user, case):
            return redirect(_case_url(case))
        # A coordinator came from the escalated box; a counselor who handed a case away, from their own.
        escalated = access.may_see_escalated(request.user) and not routing.counsels(request.user)
        return redirect(reverse("counseling_staff:inbox") + ("?box=escalated" if escalated else ""))
    return render(
        request, "counseling/staff/handover.html", {"case": case, "form": form, "now": timezone.now()}
    )


@require_POST
def case_take(request, public_id):
    case = access.access_case_to_take(request.user, public_id)
    if refusal := activity_refusal(request.user, Activity.CASES):
        messages.error(request, refusal)
        return redirect(reverse("counseling_staff:inbox") + "?box=queue")
    try:
        services.case_take(case=case, counselor=request.user)
    except services.CaseAlreadyTaken:
        messages.warning(request, _("A colleague has already taken this case."))
        return redirect(reverse("counseling_staff:inbox") + "?box=queue")
    messages.success(request, _("The case is now yours."))
    return redirect(_case_url(case))


# --- mentor approval ----------------------------------------------------------------------------------


@require_GET
def approvals(request):
    return _approvals_page(request)


def _approvals_page(request, return_forms=None):
    if not access.may_review(request.user):
        raise PermissionDenied
    return_forms = return_forms or {}
    items = []
    for message in selectors.approvals_for(request.user):
        audit_record(
            actor=request.user, action="message.review", target_type="case", target_id=message.case.public_id
        )
        form = return_forms.get(message.pk) or _return_form(message)
        items.append((message, services.message_body(message), form))
    return render(request, "counseling/staff/approvals.html", {"items": items})


def _return_form(message, data=None) -> ReturnForm:
    return ReturnForm(data, auto_id=f"id_m{message.pk}_%s")


def _after_review(request, message):
    if request.POST.get("next") == "case":
        return redirect(_case_url(message.case, f"#message-{message.pk}"))
    return redirect("counseling_staff:approvals")


@require_POST
def approval_approve(request, message_id):
    message = access.access_message_review(request.user, message_id)
    if message.status != MessageStatus.PENDING:
        messages.info(request, _("This reply has already been reviewed."))
    else:
        services.message_approve(message=message, mentor=request.user)
        messages.success(request, _("The reply has been approved and sent to the young person."))
    return _after_review(request, message)


@sensitive_post_parameters("comment")
@require_POST
def approval_return(request, message_id):
    message = access.access_message_review(request.user, message_id)
    if message.status != MessageStatus.PENDING:
        messages.info(request, _("This reply has already been reviewed."))
        return _after_review(request, message)
    form = _return_form(message, request.POST)
    if not form.is_valid():
        return _approvals_page(request, return_forms={message.pk: form})
    services.message_return(message=message, mentor=request.user, comment=form.cleaned_data["comment"])
    messages.success(request, _("The reply has been returned with your comment."))
    return _after_review(request, message)


# --- absence and canned responses ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def absence(request):
    if not routing.counsels(request.user):
        raise PermissionDenied
    profile = CounselorProfile.objects.filter(user=request.user).first()
    initial = (
        {
            "is_absent": profile.is_absent,
            "absent_until": profile.absent_until,
            "absence_message": profile.absence_message,
        }
        if profile
        else {}
    )
    form = AbsenceForm(request.POST or None, initial=initial)
    if form.is_bound and form.is_valid():
        services.absence_set(
            user=request.user,
            is_absent=form.cleaned_data["is_absent"],
            message=form.cleaned_data["absence_message"],
            until=form.cleaned_data["absent_until"],
        )
        messages.success(request, _("Your absence settings have been saved."))
        return redirect("counseling_staff:absence")
    return render(request, "counseling/staff/absence.html", {"form": form})


@permission_required("counseling.change_cannedresponse", raise_exception=True)
@require_GET
def canned_list(request):
    return render(request, "counseling/staff/canned_list.html", {"responses": CannedResponse.objects.all()})


@permission_required("counseling.change_cannedresponse", raise_exception=True)
@require_http_methods(["GET", "POST"])
def canned_edit(request, pk=None):
    canned = get_object_or_404(CannedResponse, pk=pk) if pk is not None else None
    form = CannedResponseForm(request.POST or None, instance=canned)
    if form.is_bound and form.is_valid():
        form.save()
        messages.success(request, _("The canned response has been saved."))
        return redirect("counseling_staff:canned")
    return render(request, "counseling/staff/canned_edit.html", {"form": form, "canned": canned})


# --- callbacks ------------------------------------------------------------------------------------------


def _callback_worker(user):
    if not routing.counsels(user):
        raise PermissionDenied
    return CounselorProfile.objects.filter(user=user).first()


@require_GET
def callbacks(request):
    """Open requests in my languages (earliest preferred time first) and the ones I took. The number is
    shown only to the counselor who took the request, and that reading is audited."""
    _callback_worker(request.user)
    visible = access.callbacks_visible_to(request.user).select_related("case")
    open_requests = sorted(visible.filter(status=CallbackStatus.OPEN), key=lambda callback: callback.slots[0])
    mine = list(visible.filter(status=CallbackStatus.TAKEN, taken_by=request.user))
    for callback in mine:
        callback.number = callback_number(callback)
        # One form per request with ids of its own: with a shared form, a label of the second request
        # ticked the radio button of the first.
        callback.outcome_form = CallbackOutcomeForm(auto_id=f"callback-{callback.public_id}-%s")
        audit_record(
            actor=request.user,
            action="callback.number",
            target_type="case",
            target_id=callback.case.public_id,
        )
    context = {"open_requests": open_requests, "mine": mine}
    return render(request, "counseling/staff/callbacks.html", context)


@require_POST
def callback_take_view(request, public_id):
    callback = access.access_callback(request.user, public_id)
    if refusal := activity_refusal(request.user, Activity.CALLBACKS):
        messages.error(request, refusal)
        return redirect("counseling_staff:callbacks")
    try:
        callback_take(callback=callback, counselor=request.user)
    except CallbackTaken:
        messages.error(request, _("A colleague has already taken this callback."))
    return redirect("counseling_staff:callbacks")


@sensitive_post_parameters("note")
@require_POST
def callback_record_view(request, public_id):
    callback = access.access_callback(request.user, public_id, for_write=True)
    form = CallbackOutcomeForm(request.POST)
    if form.is_valid():
        callback_record(callback=callback, counselor=request.user, **form.cleaned_data)
        messages.success(request, _("The outcome has been saved."))
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect("counseling_staff:callbacks")
