"""The young person's side of live chat, topic chat rounds and video calls.

The pages render everything already said (readable without JavaScript); counseling/js/live.js keeps
them live over the case's websocket. Without JavaScript the page says so and offers mail counseling.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from counseling import access, chat, guests, rounds
from counseling.access import access_case_participant
from counseling.forms import ChatLanguageForm, ChatStartForm, GuestKeepForm, RoundJoinForm
from counseling.models import CaseEvent, ChatStatus, RoundStatus
from counseling.views import _may_ask
from hub.visitor_pages import visitor_page

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def gone_strings(*, staff: bool) -> dict:
    """Why the server closed the page's socket (hub/sockets.py), by the close reason: live.js and
    video.js show it instead of reconnecting. Staff pages address the reader formally."""
    if staff:
        signed_out = pgettext("staff", "You were signed out. Please sign in again.")
        revoked = pgettext("staff", "You no longer have access to this conversation.")
        handover = pgettext("staff", "This conversation was handed over. You no longer have access to it.")
    else:
        signed_out = _("You were signed out. Please sign in again.")
        handover = revoked = _("You no longer have access to this conversation.")
    return {
        "handover": handover,
        "closed": _("This conversation was closed."),
        "deleted": _("This conversation was deleted."),
        "logout": signed_out,
        "revoked": revoked,
        "removed": _("The moderator has removed you from this round."),
        "denied": _("You cannot take part in this chat."),
    }


def live_strings(*, staff: bool = False) -> dict:
    """What live.js shows, translated here: the page's language is the reader's."""
    not_sent = _("The chat is not running, so your message was not sent.")
    return {
        "gone": gone_strings(staff=staff),
        "you": _("You"),
        "read": _("read"),
        "sending": _("sending…"),
        "waiting": _("Please wait a moment – a counselor will be with you soon."),
        "position": _("You are number %s in line. A counselor will be with you soon."),
        "accepted": _("You are chatting with %s."),
        "active": _("The chat is running."),
        "scheduled": _("The round has not started yet. This page opens it by itself."),
        "ended": _("The chat has ended."),
        "converted": _("The conversation goes on in writing. You find it under your questions."),
        "reconnecting": _("Connection lost – reconnecting…"),
        **_peer_strings(staff=staff),
        "denied": _("You cannot take part in this chat."),
        "removed": _("The moderator has removed you from this round."),
        "refused": {
            "not active": not_sent,
            "not open": not_sent,
            "not a participant": _("You cannot take part in this chat."),
            "length": _("Please write a message of up to 4,000 characters."),
            "too fast": _("You are sending very fast. Please wait a moment and send again."),
            "other": _("The message could not be sent. Please try again."),
        },
    }


def _peer_strings(*, staff: bool) -> dict:
    """The other side's connection (counseling/chat_presence.py), and a chat that ended because a side
    stayed away."""
    if staff:
        gone, back = _("The young person's connection dropped."), _("The young person is back.")
    else:
        gone = _(
            "The counselor's connection dropped. Please stay here – the chat goes on when they are back."
        )
        back = _("The counselor is back.")
    return {
        "peer_gone": gone,
        "peer_back": back,
        "abandoned": _("The chat has ended because the other person was away for several minutes."),
    }


def live_context(*, socket: str, lines: list, status: str, status_text: str, staff: bool, mode: str) -> dict:
    return {
        "socket": socket,
        "lines": lines,
        "last_seq": lines[-1]["seq"] if lines else 0,
        "status": status,
        "status_text": status_text,
        "me": "staff" if staff else "youth",
        "mode": mode,
        "typing_text": _typing_text(staff=staff, mode=mode),
        "live_strings": live_strings(staff=staff),
    }


def _typing_text(*, staff: bool, mode: str) -> str:
    if mode == "round":
        return _("Someone is typing…")
    return _("The young person is typing…") if staff else _("The counselor is typing…")


def chat_status_text(live, *, staff: bool, position: int | None = None) -> str:
    if live.status == ChatStatus.ENDED:
        return _("The chat has ended.")
    if live.status == ChatStatus.WAITING:
        if staff:
            return _("The young person is waiting.")
        return _("You are number %s in line. A counselor will be with you soon.") % position
    if staff:
        return _("The chat is running.")
    return _("You are chatting with %s.") % live.case.counselor.get_short_name()


def _chat_language(request) -> str:
    choices = dict(settings.LANGUAGES)
    for candidate in (request.POST.get("language"), request.GET.get("language"), get_language()):
        if candidate in choices:
            return candidate
    return "de"


def _availability(request) -> tuple[str, chat.ChatAvailability]:
    """The chat's language and whether a counselor is free now: read once per request, and what a
    visitor's kept page (hub/visitor_pages.py) is keyed by."""
    if not hasattr(request, "chat_availability"):
        language = _chat_language(request)
        request.chat_availability = (language, chat.chat_availability(language, now=timezone.now()))
    return request.chat_availability


@visitor_page(vary=_availability)
@require_http_methods(["GET", "POST"])
def chat_start(request):
    """ "Chat now" only when the chat hours are running and a counselor in the language has a free seat;
    otherwise the next opening, and mail or a callback instead."""
    if not _may_ask(request.user):
        return render(request, "counseling/ask_staff.html", status=403)
    running = chat.running_chat_of(request.user)
    if running is not None:  # one chat at a time: back to the one that is waiting or running
        return redirect("counseling:chat", public_id=running.case.public_id)
    language, status = _availability(request)
    form = ChatStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not status.can_start:
            # The last free counselor took another chat meanwhile: say so, keep the choices.
            messages.warning(request, _("Just now no counselor is free in this language."))
        else:
            if not request.user.is_authenticated:
                login(request, guests.guest_create(), backend=MODEL_BACKEND)
            started = chat.chat_start(youth=request.user, language=language, topic=form.cleaned_data["topic"])
            return redirect("counseling:chat", public_id=started.case.public_id)
    context = {
        "language_form": ChatLanguageForm(initial={"language": language}),
        "form": form,
        "status": status,
        "language": language,
        "language_name": dict(settings.LANGUAGES)[language],
    }
    return render(request, "counseling/chat_start.html", context)


@login_required
@require_GET
def chat_room(request, public_id):
    case = access_case_participant(request.user, public_id)
    live = getattr(case, "chat", None)
    if live is None:
        return redirect("counseling:case", public_id=case.public_id)
    return render(
        request,
        "counseling/chat_room.html",
        _room_context(case, live, GuestKeepForm() if request.user.is_guest else None),
    )


def _room_context(case, live, keep_form) -> dict:
    position = chat.queue_position(live) if live.status == ChatStatus.WAITING else None
    return {
        "case": case,
        "live": live,
        "keep_form": keep_form,
        **live_context(
            socket=f"/ws/cases/{case.public_id}/",
            lines=chat.lines_after(live, 0),
            status=live.status,
            status_text=chat_status_text(live, staff=False, position=position),
            staff=False,
            mode="chat",
        ),
    }


@login_required
@require_POST
def chat_end_view(request, public_id):
    case = access_case_participant(request.user, public_id)
    live = getattr(case, "chat", None)
    if live is not None:
        chat.chat_end(chat=live, by=request.user)
    return redirect("counseling:chat", public_id=case.public_id)


@sensitive_post_parameters("password1", "password2")
@login_required
@require_POST
def guest_keep_view(request, public_id):
    """A guest keeps their chat: username and password; the refused form comes back filled in."""
    case = access_case_participant(request.user, public_id)
    if not request.user.is_guest:
        return redirect("counseling:case", public_id=case.public_id)
    form = GuestKeepForm(request.POST)
    if form.is_valid():
        user = guests.guest_keep(
            user=request.user, username=form.cleaned_data["username"], password=form.cleaned_data["password1"]
        )
        update_session_auth_hash(request, user)
        messages.success(request, _("Your account is saved. You can sign in with it at any time."))
        return redirect("counseling:case", public_id=case.public_id)
    return render(request, "counseling/chat_room.html", _room_context(case, case.chat, form), status=400)


@login_required
@require_GET
def video_youth(request, public_id):
    case = access_case_participant(request.user, public_id)
    invited = case.events.filter(kind=CaseEvent.Kind.VIDEO).exists()
    if not invited:
        messages.info(request, _("Your counselor has not started a video call yet."))
        return redirect("counseling:case", public_id=case.public_id)
    return render(request, "counseling/video.html", video_context(case, caller=False))


def video_context(case, *, caller: bool) -> dict:
    strings = {
        "waiting": _("Waiting for the other person to join…"),
        "connecting": _("Connecting…"),
        "connected": _("Connected."),
        "ended": _("The call has ended."),
        "lost": _("The connection was lost. Trying again…"),
        "denied": _(
            "The browser may not use your camera or microphone. Tap the lock symbol next to the address, "
            "allow camera and microphone, and reload the page."
        ),
        "missing": _("No camera or microphone was found. Connect one, or join by voice from another device."),
        "busy": _("Your camera or microphone is being used by another app. Close it and reload the page."),
        "other": _("Camera and microphone could not be started. Please reload the page."),
    }
    strings["gone"] = gone_strings(staff=caller)
    return {
        "case": case,
        "caller": caller,
        "ice_servers": settings.WEBRTC_ICE_SERVERS,
        "video_strings": strings,
    }


@require_GET
def round_list(request):
    return render(
        request, "counseling/round_list.html", {"rounds": rounds.rounds_upcoming(now=timezone.now())}
    )


@require_http_methods(["GET", "POST"])
def round_room(request, public_id):
    """The round's link (also behind its QR code): sign in or join as a guest, pick a name, chat."""
    chat_round = access.access_round(request.user, public_id)
    user = request.user
    if user.is_authenticated and user.pk == chat_round.moderator_id:
        return redirect("counseling_staff:round", public_id=public_id)
    participant = access.round_participant(chat_round, user)
    if participant is not None and participant.removed_at is not None:
        raise PermissionDenied
    form = RoundJoinForm(request.POST or None)
    if request.method == "POST" and participant is None and form.is_valid():
        if chat_round.status == RoundStatus.CLOSED:
            messages.warning(request, _("This chat round has ended."))
        elif not _may_ask(user):
            raise PermissionDenied
        else:
            if not user.is_authenticated:
                login(request, guests.guest_create(), backend=MODEL_BACKEND)
            rounds.round_join(
                chat_round=chat_round, user=request.user, pseudonym=form.cleaned_data["pseudonym"]
            )
            return redirect("counseling:round", public_id=public_id)
    context = {"round": chat_round, "participant": participant, "form": form}
    if participant is not None:
        context |= round_live_context(chat_round, staff=False)
    return render(request, "counseling/round_room.html", context)


def round_live_context(chat_round, *, staff: bool) -> dict:
    texts = {
        RoundStatus.SCHEDULED: _("The round has not started yet. This page opens it by itself."),
        RoundStatus.OPEN: _("The chat is running."),
        RoundStatus.CLOSED: _("The chat has ended."),
    }
    return live_context(
        socket=f"/ws/rounds/{chat_round.public_id}/",
        lines=rounds.lines_after(chat_round, 0) if chat_round.wrapped_key else [],
        status=chat_round.status,
        status_text=texts[chat_round.status],
        staff=staff,
        mode="round",
    )
