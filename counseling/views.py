"""The young person's side of mail counseling: ask a question, read the thread, reply, download
attachments. Network partners ask on their own pages (counseling/partners/)."""

import uuid
from datetime import timedelta
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from campaigns.referrals import referral_after_ask
from counseling import selectors, services, youth_case_page
from counseling.access import access_attachment, access_case_participant, partner_enquiry_of
from counseling.callbacks import callback_request, callback_slots
from counseling.forms import CallbackForm, EnquiryForm
from counseling.models import Attachment
from counseling.retention import deletion_due_after
from counseling.voice_forms import CaseReplyForm
from hub.audit import audit_record
from hub.drafts import draft_attrs, draft_name
from hub.forms import YouthSignupForm
from hub.retention import purge_day
from hub.roles import Role, has_role, is_staff_member
from hub.visitor_pages import per_request, visitor_page
from sites.models import Site


def attachments_left_today(user) -> int:
    since = timezone.now() - timedelta(days=1)
    used = (
        Attachment.objects.filter(uploaded_by=user, created_at__gte=since).count()
        if user.is_authenticated
        else 0
    )
    return max(settings.COUNSELING_ATTACHMENTS_PER_DAY - used, 0)


def _may_ask(user) -> bool:
    return not user.is_authenticated or not is_staff_member(user)


@visitor_page
@sensitive_post_parameters("body", "account-password1", "account-password2")
@require_http_methods(["GET", "POST"])
def ask(request):
    """One page: topic, language, the question — and, for a visitor, a nickname and password. A refused
    field never costs the text already written: the whole form comes back filled in."""
    if has_role(request.user, Role.NETWORK_PARTNER):
        return redirect("partners:ask")  # a partner asks for a client, on the partner form
    if not _may_ask(request.user):
        return render(request, "counseling/ask_staff.html", status=403)
    slug = request.GET.get("site") or request.POST.get("site")
    site = Site.objects.filter(slug=slug).first() if slug else None
    # ?language= comes from the chat page when nobody was free: the choice carries over.
    language = (
        request.GET.get("language") if request.GET.get("language") in dict(settings.LANGUAGES) else None
    )
    initial = {
        "idempotency_key": per_request(request, uuid.uuid4(), make=uuid.uuid4),  # new on a kept page
        "language": language or get_language(),
        "site": site.slug if site else "",
    }
    data, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    form = EnquiryForm(data, files, initial=initial, attachments_left=attachments_left_today(request.user))
    form.fields["body"].widget.attrs["data-draft"] = "ask"
    signup = None if request.user.is_authenticated else _signup_form(data)
    if data is not None and form.is_valid() and (signup is None or signup.is_valid()):
        if signup is not None:
            user = signup.save(request)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        case = services.enquiry_create(
            youth=request.user,
            topic=form.cleaned_data["topic"],
            language=form.cleaned_data["language"],
            site=site,
            postcode=form.cleaned_data["postcode"],
            country_of_residence=form.cleaned_data["country"],
            body=form.cleaned_data["body"],
            files=form.cleaned_data["attachments"],
            idempotency_key=form.cleaned_data["idempotency_key"],
        )
        # Campaign reach (counted, never linked to the person): a referral code came along in a hidden field.
        referral_after_ask(
            code=request.POST.get("ref", ""),
            signed_up=signup is not None,
            first_enquiry=not request.user.cases.exclude(pk=case.pk).exists(),
        )
        messages.success(request, _("Your question has been sent."))
        return redirect(reverse("counseling:case", args=[case.public_id]) + "?sent=1")
    return render(request, "counseling/ask.html", {"form": form, "signup": signup, "site": site})


def _signup_form(data):
    # A blank signup form is built only if its shared fragment is missing (ask_fields.html).
    if data is None:
        return SimpleLazyObject(lambda: YouthSignupForm(prefix="account"))
    return YouthSignupForm(data, prefix="account")


@sensitive_post_parameters("phone")
@login_required
@require_http_methods(["GET", "POST"])
def callback(request):
    """Leave a number and two or three times; the request becomes a case of its own."""
    if not _may_ask(request.user):
        return render(request, "counseling/ask_staff.html", status=403)
    form = CallbackForm(
        request.POST or None, initial={"language": get_language()}, slots=callback_slots(now=timezone.now())
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        request_ = callback_request(
            youth=request.user,
            phone_e164=data["phone"],
            language=data["language"],
            topic=data["topic"],
            slots=data["slots"],
        )
        messages.success(request, _("We will call you at one of the times you chose."))
        return redirect("counseling:case", public_id=request_.case.public_id)
    return render(request, "counseling/callback.html", {"form": form})


@login_required
@require_GET
def case_list(request):
    return render(
        request, "counseling/case_list.html", {"cases": selectors.cases_of_participant(request.user)}
    )


@sensitive_post_parameters("body")
@login_required
@require_http_methods(["GET", "POST"])
def case_detail(request, public_id):
    case = access_case_participant(request.user, public_id, read=youth_case_page.CASE)
    # A young person's case is never a partner enquiry (no query); a partner follows e.g. the link in a
    # reply notice to their own page.
    if case.youth_id is None and partner_enquiry_of(case) is not None:
        return redirect("partners:enquiry", public_id=case.public_id)
    data, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    form = CaseReplyForm(
        data,
        files,
        initial={"idempotency_key": uuid.uuid4()},
        # The daily upload limit matters only to a reply being sent (a count of today's uploads).
        attachments_left=attachments_left_today(request.user) if data is not None else None,
    )
    # What is typed stays in the browser until the page after the send says it was stored (hub/drafts.py).
    draft_key = draft_name(request.user, f"case-{case.public_id}")
    form.fields["body"].widget.attrs.update(draft_attrs(request.user, f"case-{case.public_id}"))
    if data is not None and form.is_valid():
        services.message_send(
            case=case,
            author=request.user,
            body=form.cleaned_data["body"],
            files=form.cleaned_data["attachments"],
            idempotency_key=form.cleaned_data["idempotency_key"],
        )
        messages.success(request, _("Your message has been sent."))
        return redirect(f"{request.path}?sent=1#latest")
    page = youth_case_page.case_page_read(case, request.user)
    context = {
        "case": case,
        # Each asked once: the topic's words are looked up from the field's choices each time, and a case
        # without a chat raises (and the template catches) at every `case.chat`.
        "topic": case.get_topic_display(),
        "chat": getattr(case, "chat", None),
        "conversation": page.conversation,
        "form": form,
        "absence": page.absence,
        "callbacks": page.callbacks,
        "video_offered": page.video_offered,
        "arrived": page.arrived,
        "sent": data is None and request.GET.get("sent") is not None,
        "deleted_on": purge_day(deletion_due_after(case, page.last_event_at)),
        "draft_key": draft_key,
    }
    return render(request, "counseling/case_detail.html", context)


def attachment_download(request, public_id):
    """For the case's participants and its staff; staff downloads are audited like case openings."""
    if not request.user.is_authenticated:
        return redirect(f"{_login_url()}?next={request.path}")
    attachment, by_staff = access_attachment(request.user, public_id)
    if by_staff:
        audit_record(
            actor=request.user,
            action="attachment.open",
            target_type="case",
            target_id=attachment.message.case.public_id,
        )
    response = HttpResponse(services.attachment_data(attachment), content_type=attachment.content_type)
    response["Content-Disposition"] = _disposition(services.attachment_name(attachment))
    response["Cache-Control"] = "private, no-store"
    return response


def _disposition(name: str) -> str:
    return f"attachment; filename*=UTF-8''{quote(name)}"


def _login_url() -> str:
    return reverse("account_login")
