"""The staff side of live counseling: the chat desk (presence and waiting chats), a chat with a young
person, video calls from a case, and topic chat rounds.

Only counselors (not trainees) take chats. A chat's room is for the case's own counselor; a round's room
for its moderator (counseling/access.py decides both). Every page that shows chat content writes an
audit entry, as the case page does.
"""

import base64
import io
import uuid

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from counseling import access, chat, presence, rounds, stats
from counseling.chat import ChatRefused
from counseling.chat_views import chat_status_text, live_context, round_live_context, video_context
from counseling.models import CaseEvent, RoundParticipant
from counseling.staff_forms import RoundScheduleForm
from hub.audit import AuditAction, audit_record
from hub.links import absolute_url
from hub.roles import Role, has_role
from hub.services import user_notify
from hub.statistics import Channel, StatKind
from learning.gates import Activity, activity_refusal
from sites.models import Site


def _chat_counselor(user):
    if not has_role(user, Role.COUNSELOR):
        raise PermissionDenied
    return user


@require_GET
def desk(request):
    """Online switch, the waiting chats in my languages (longest-waiting first) and my running chats.
    `?part=list` returns just the lists, for the desk's live refresh."""
    user = _chat_counselor(request.user)
    now = timezone.now()
    context = {
        "online": presence.is_online(user.pk, now=now),
        "waiting": list(access.chats_waiting_for(user)),
        "mine": list(chat.active_chats(user)),
        "now": now,
    }
    template = "counseling/staff/chat_desk_lists.html" if request.GET.get("part") == "list" else None
    return render(request, template or "counseling/staff/chat_desk.html", context)


@require_POST
def desk_presence(request):
    user = _chat_counselor(request.user)
    if request.POST.get("online") == "1":
        if refusal := activity_refusal(user, Activity.LIVE_CHAT):
            messages.error(request, refusal)
            return redirect("counseling_staff:chat_desk")
        presence.go_online(user.pk, now=timezone.now())
    else:
        presence.go_offline(user.pk)
    return redirect("counseling_staff:chat_desk")


@require_POST
def chat_accept_view(request, public_id):
    user = _chat_counselor(request.user)
    live = access.access_chat_to_accept(user, public_id)
    if not access.chats_waiting_for(user).filter(pk=live.pk).exists():
        messages.error(request, _("This chat is no longer waiting."))
        return redirect("counseling_staff:chat_desk")
    if refusal := activity_refusal(user, Activity.LIVE_CHAT):
        messages.error(request, refusal)
        return redirect("counseling_staff:chat_desk")
    try:
        chat.chat_accept(chat=live, counselor=user)
    except ChatRefused as refusal:
        if str(refusal) == "no seat":
            messages.error(request, _("All your chat seats are taken. End a chat first."))
        else:
            messages.error(request, _("A colleague has already accepted this chat."))
        return redirect("counseling_staff:chat_desk")
    return redirect("counseling_staff:chat", public_id=public_id)


@require_GET
def chat_room(request, public_id):
    live = access.access_chat(request.user, public_id)
    audit_record(actor=request.user, action="case.open", target_type="case", target_id=live.case.public_id)
    context = {
        "case": live.case,
        "live": live,
        **live_context(
            socket=f"/ws/cases/{live.case.public_id}/",
            lines=chat.lines_after(live, 0),
            status=live.status,
            status_text=chat_status_text(live, staff=True),
            staff=True,
            mode="chat",
        ),
    }
    return render(request, "counseling/staff/chat_room.html", context)


@require_POST
def chat_end_view(request, public_id):
    live = access.access_chat(request.user, public_id, for_write=True)
    chat.chat_end(chat=live, by=request.user)
    return redirect("counseling_staff:chat", public_id=public_id)


@require_POST
def chat_convert_view(request, public_id):
    live = access.access_chat(request.user, public_id, for_write=True)
    chat.chat_convert(chat=live, counselor=request.user)
    messages.success(request, _("The chat continues as a mail thread in this case."))
    return redirect("counseling_staff:case", public_id=public_id)


@require_POST
def chat_offer_appointment(request, public_id):
    """A line with the booking link of the case's site (or the counselor's first site)."""
    live = access.access_chat(request.user, public_id, for_write=True)
    case = live.case
    site = (
        case.site or Site.objects.filter(pk__in=access.staff_site_ids(request.user)).order_by("name").first()
    )
    if site is None:
        messages.error(request, _("You do not work for a site yet, so there is no appointment to offer."))
        return redirect("counseling_staff:chat", public_id=public_id)
    with translation.override(case.language):
        link = request.build_absolute_uri(reverse("sites:book", args=[site.slug]))
        body = _("You can book an appointment with us here: %(link)s") % {"link": link}
    try:
        chat.chat_post(chat=live, author=request.user, body=body, client_id=uuid.uuid4())
    except ChatRefused:
        messages.error(request, _("The chat has ended."))
    return redirect("counseling_staff:chat", public_id=public_id)


@require_http_methods(["GET", "POST"])
def video_staff(request, public_id):
    """GET: the call page. POST: offer the call to the young person (they get a notice and a button)."""
    case = access.access_case_staff(request.user, public_id)
    if not access.is_live_member(request.user, case):  # the call runs over the case's live room
        raise PermissionDenied
    if request.method == "POST":
        CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.VIDEO, actor=request.user)
        stats.case_stat(StatKind.VIDEO, case, channel=Channel.VIDEO)
        if case.youth_id:
            user_notify(user_id=case.youth_id, event={"kind": "video", "case": str(case.public_id)})
        return redirect("counseling_staff:video", public_id=public_id)
    return render(request, "counseling/video.html", video_context(case, caller=True))


# --- topic chat rounds ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def round_list(request):
    user = _chat_counselor(request.user)
    form = RoundScheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        scheduled = rounds.round_schedule(
            moderator=user,
            title=data["title"],
            topic=data["topic"],
            language=data["language"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
        )
        return redirect("counseling_staff:round", public_id=scheduled.public_id)
    upcoming = rounds.rounds_upcoming(now=timezone.now()).select_related("moderator")
    return render(request, "counseling/staff/round_list.html", {"form": form, "rounds": upcoming})


@require_GET
def round_room(request, public_id):
    chat_round = access.access_round(request.user, public_id, for_write=True)
    audit_record(
        actor=request.user, action=AuditAction.ROUND_OPEN, target_type="round", target_id=chat_round.public_id
    )
    link = absolute_url(rounds.round_join_path(chat_round), request=request)
    context = {
        "round": chat_round,
        "link": link,
        "qr_code": _qr_data_uri(link),
        "participants": list(chat_round.participants.order_by("joined_at")),
        **round_live_context(chat_round, staff=True),
    }
    return render(request, "counseling/staff/round_room.html", context)


@require_POST
def round_action(request, public_id):
    chat_round = access.access_round(request.user, public_id, for_write=True)
    action = request.POST.get("action")
    if action == "open":
        rounds.round_open(chat_round=chat_round)
    elif action == "close":
        rounds.round_close(chat_round=chat_round)
    elif action == "remove":
        participant_id = request.POST.get("participant", "")
        participant = get_object_or_404(
            RoundParticipant, pk=int(participant_id) if participant_id.isdigit() else 0, round=chat_round
        )
        rounds.round_remove(chat_round=chat_round, participant=participant)
        messages.success(
            request, _("%(name)s was removed from this round.") % {"name": participant.pseudonym}
        )
    return redirect("counseling_staff:round", public_id=public_id)


def _qr_data_uri(text: str) -> str:
    """The join link as an SVG QR code drawn here, as a data: URI (nothing is fetched from elsewhere)."""
    buffer = io.BytesIO()
    qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8).save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()
