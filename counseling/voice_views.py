"""Voice messages over HTTP (counseling/voice.py): playing one, posting one into a live chat, and the
counselor's written summary for the record."""

import re
from urllib.parse import quote

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from counseling import access, services, voice
from counseling.chat import ChatRefused
from counseling.views import attachments_left_today
from counseling.voice_forms import ChatVoiceForm
from hub.audit import audit_record

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


@require_GET
def voice_play(request, public_id):
    """The recording, for exactly those who may download the attachment (counseling/access.py), to be
    played in the page: its sniffed type, inline, never kept by a shared cache. Byte ranges are served,
    since Safari plays media only from a server that answers them."""
    if not request.user.is_authenticated:
        raise Http404
    attachment, by_staff = access.access_attachment(request.user, public_id)
    if not attachment.is_voice:
        raise Http404
    # One audit entry per playing: a player asks for the first bytes once, then for the ranges that follow.
    if by_staff and _starts_playing(request):
        audit_record(
            actor=request.user,
            action="attachment.open",
            target_type="case",
            target_id=attachment.message.case.public_id,
        )
    data = services.attachment_data(attachment)
    response = _ranged(request, data, attachment.content_type)
    name = quote(services.attachment_name(attachment))
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{name}"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _starts_playing(request) -> bool:
    match = _RANGE.match(request.headers.get("Range", "").strip())
    return match is None or match.group(1) in ("", "0")


def _ranged(request, data: bytes, content_type: str) -> HttpResponse:
    match = _RANGE.match(request.headers.get("Range", "").strip())
    if not match or not data or match.groups() == ("", ""):
        response = HttpResponse(data, content_type=content_type)
    else:
        first, last = match.groups()
        if first:
            start, end = int(first), min(int(last) if last else len(data) - 1, len(data) - 1)
        else:  # "bytes=-n": the last n bytes
            start, end = max(len(data) - int(last), 0), len(data) - 1
        if start > end or start >= len(data):
            response = HttpResponse(status=416, content_type=content_type)
            response["Content-Range"] = f"bytes */{len(data)}"
            return response
        response = HttpResponse(data[start : end + 1], status=206, content_type=content_type)
        response["Content-Range"] = f"bytes {start}-{end}/{len(data)}"
    response["Accept-Ranges"] = "bytes"
    return response


@require_POST
def chat_voice(request, public_id):
    """A recording from the live chat page (fetch with the CSRF token). Stored and announced as a chat line
    (counseling/voice.py), so it reaches the room, and a client that reconnects, like a typed line."""
    if not request.user.is_authenticated:
        raise Http404
    live = access.access_chat(request.user, public_id, for_write=True)
    form = ChatVoiceForm(request.POST, request.FILES)
    refusal = None
    if not form.is_valid():
        refusal = " ".join(error for errors in form.errors.values() for error in errors)
    elif voice.chat_voice_limit_applies(request.user, live.case) and attachments_left_today(request.user) < 1:
        refusal = _(
            "You have sent as many attachments and voice messages as you can today. "
            "Please try again tomorrow."
        )
    else:
        try:
            message, _new = voice.chat_voice_post(
                chat=live,
                author=request.user,
                clean=form.cleaned_data["voice"],
                client_id=form.cleaned_data["client_id"],
            )
        except ChatRefused:
            refusal = _("The chat is not running, so the voice message was not sent.")
    return _chat_answer(request, live, refusal, None if refusal else message.chat_seq)


def _chat_answer(request, live, refusal: str | None, seq: int | None):
    if request.headers.get("Accept") == "application/json":
        return JsonResponse({"error": refusal} if refusal else {"seq": seq}, status=400 if refusal else 200)
    # A form posted without the recorder's script: back to the room, with what happened.
    if refusal:
        messages.error(request, refusal)
    staff = not access.is_participant(request.user, live.case)
    return redirect("counseling_staff:chat" if staff else "counseling:chat", public_id=live.case.public_id)


@sensitive_post_parameters("summary")
@require_http_methods(["GET", "POST"])
def voice_summary_edit(request, public_id):
    """Staff who may work the case write (or change, or remove) a voice message's summary for the record."""
    attachment = access.access_voice_summary(request.user, public_id)
    case = attachment.message.case
    audit_record(actor=request.user, action="case.open", target_type="case", target_id=case.public_id)
    text = request.POST.get("summary", "") if request.method == "POST" else voice.voice_summary(attachment)
    error = ""
    if request.method == "POST":
        text = text.replace("\x00", "")
        if len(text) > voice.SUMMARY_MAX:
            error = _("Please keep the summary under %(count)s characters.") % {"count": voice.SUMMARY_MAX}
        else:
            voice.voice_summary_set(attachment=attachment, author=request.user, text=text)
            messages.success(request, _("The summary has been saved."))
            url = reverse("counseling_staff:case", args=[case.public_id])
            return redirect(f"{url}#message-{attachment.message_id}")
    context = {"attachment": attachment, "case": case, "summary": text, "error": error}
    return render(request, "counseling/staff/voice_summary.html", context, status=400 if error else 200)
