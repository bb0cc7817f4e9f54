"""Staff pages of intervision: writing a request from a case, the requests of one's groups with their
answers, groups (set up by coordinators and mentors), meetings, and the mentors' page of their trainees'
approvals. Each view: read the input, check access (access.py), call one service, render."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from counseling import services as case_services
from counseling.intervision import access, selectors, services
from counseling.intervision.forms import AnswerForm, GroupForm, MeetingForm, MemberForm, RequestForm
from counseling.intervision.models import IntervisionAnswer, IntervisionMember
from counseling.models import MessageStatus
from hub.dates import format_when
from hub.models import User
from hub.roles import Role, has_role

QUOTABLE = 40  # the latest messages of the case offered for the excerpt


@require_GET
def home(request):
    user = request.user
    access.access_home(user)
    context = {
        "requests": selectors.requests_listed(user)[:100],
        "meetings": selectors.meetings_upcoming(user),
        "groups": access.groups_visible_to(user).select_related("provider_group"),
        "may_manage": access.may_manage_groups(user),
        "is_mentor": has_role(user, Role.MENTOR) or bool(access.trainee_ids(user)),
    }
    return render(request, "intervision/home.html", context)


@require_http_methods(["GET", "POST"])
def request_new(request, public_id):
    case = access.access_case_for_request(request.user, public_id)
    quotable = _quotable(case)
    groups = access.groups_visible_to(request.user).filter(pk__in=access.group_ids_of(request.user))
    initial = {"topic": case.topic, "language": case.language}
    form = RequestForm(
        request.POST or None, initial=initial, case=case, groups=groups, message_choices=_choices(quotable)
    )
    if request.method == "POST" and "pick" in request.POST:
        form = _with_picked(request, form, quotable, case=case, groups=groups)
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            posted = services.request_create(
                requester=request.user, case=case, group=data["group"], topic=data["topic"],
                language=data["language"], excerpt=data["excerpt"], question=data["question"],
            )  # fmt: skip
        except services.IdentifyingDetails:  # the form checked the same; kept as the service's guard
            raise PermissionDenied from None
        messages.success(request, _("Your intervision request has been posted to the group."))
        return redirect("intervision:request", public_id=posted.public_id)
    context = {"case": case, "form": form}
    for name in form.flags:
        context[f"marked_{name}"] = form.marked(name)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "intervision/request_new.html", context, status=status)


def _quotable(case):
    latest = case.messages.filter(status=MessageStatus.PUBLISHED).order_by("-created_at", "-pk")[:QUOTABLE]
    found = list(reversed(latest))
    for message in found:
        message.case = case  # the case's key opens every body: no query per message
    return found


def _choices(quotable):
    choices = []
    for message in quotable:
        who = _("Counselor") if message.from_staff else _("Young person")
        body = case_services.message_body(message)
        snippet = body if len(body) <= 90 else body[:90] + "…"
        choices.append((str(message.pk), f"{who}, {format_when(message.created_at)}: {snippet}"))
    return choices


def _with_picked(request, form, quotable, **kwargs):
    """ "Put into the excerpt": the chosen messages, each under who wrote it, replace the excerpt."""
    chosen = set(request.POST.getlist("messages"))
    parts = []
    for message in quotable:
        if str(message.pk) in chosen:
            who = _("Counselor") if message.from_staff else _("Young person")
            parts.append(f"{who}:\n{case_services.message_body(message)}")
    data = request.POST.copy()
    data["excerpt"] = "\n\n".join(parts) or data.get("excerpt", "")
    picked = RequestForm(data, message_choices=form.fields["messages"].choices, **kwargs)
    picked.is_valid()  # shows the flags of the quoted text at once
    return picked


@require_http_methods(["GET", "POST"])
def request_detail(request, public_id):
    intervision = access.access_request(request.user, public_id)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.answer_add(request=intervision, author=request.user, body=form.cleaned_data["body"])
        messages.success(request, _("Your answer has been posted."))
        return redirect("intervision:request", public_id=public_id)
    services.request_opened(request=intervision, reader=request.user)
    answers = list(intervision.answers.select_related("author"))
    for answer in answers:
        answer.request = intervision
        answer.text = services.answer_body(answer)
    context = {
        "intervision": intervision,
        "excerpt": services.request_excerpt(intervision),
        "question": services.request_question(intervision),
        "answers": answers,
        "is_requester": access.is_requester(request.user, intervision),
        "form": form,
    }
    return render(request, "intervision/request.html", context, status=400 if form.errors else 200)


@require_POST
def answer_helped(request, public_id, answer_id):
    intervision = access.access_request(request.user, public_id, for_write=True)
    answer = IntervisionAnswer.objects.filter(request=intervision, pk=answer_id).first()
    if answer is None:
        return redirect("intervision:request", public_id=public_id)
    answer.request = intervision
    services.answer_mark(answer=answer, helped=request.POST.get("helped") == "1", actor=request.user)
    return redirect("intervision:request", public_id=public_id)


@require_http_methods(["GET", "POST"])
def groups(request):
    if not access.may_manage_groups(request.user):
        raise PermissionDenied
    coordinator = has_role(request.user, Role.COORDINATOR)
    form = GroupForm(request.POST or None, actor_is_coordinator=coordinator)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        group = services.group_create(
            actor=request.user,
            name=data["name"],
            kind=data["kind"],
            provider_group=data.get("provider_group"),
            language=data.get("language", ""),
            mentor=data.get("mentor") if coordinator else request.user,
        )
        messages.success(request, _("The intervision group has been set up."))
        return redirect("intervision:group", pk=group.pk)
    listed = access.groups_visible_to(request.user).select_related("provider_group", "mentor")
    context = {"groups": listed, "form": form}
    return render(request, "intervision/groups.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def group(request, pk):
    group = access.access_group(request.user, pk, for_write=request.method == "POST")
    manage = access.may_manage_group(request.user, group)
    members = selectors.members_of(group)
    accounts = User.objects.filter(pk__in=access.accounts_for_groups()).exclude(
        pk__in=members.values_list("user_id", flat=True)
    )
    member_form = MemberForm(request.POST if "add_member" in request.POST else None, accounts=accounts)
    meeting_form = MeetingForm(request.POST if "schedule" in request.POST else None)
    if member_form.is_bound and member_form.is_valid():
        services.member_add(group=group, user=member_form.cleaned_data["account"], actor=request.user)
        messages.success(request, _("The counselor is now a member of this group."))
        return redirect("intervision:group", pk=pk)
    if meeting_form.is_bound and meeting_form.is_valid():
        data = meeting_form.cleaned_data
        services.meeting_schedule(
            group=group,
            title=data["title"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            actor=request.user,
        )
        messages.success(request, _("The meeting has been scheduled."))
        return redirect("intervision:group", pk=pk)
    is_member = group.pk in access.group_ids_of(request.user)
    context = {
        "group": group,
        "members": members,
        "manage": manage,
        "member_form": member_form if manage else None,
        "meeting_form": meeting_form if manage else None,
        "meetings": group.meetings.all(),
        # Managing a group is not reading it: its requests are listed for its members only.
        "requests": selectors.requests_listed(request.user).filter(group=group) if is_member else None,
    }
    invalid = member_form.errors or meeting_form.errors
    return render(request, "intervision/group.html", context, status=400 if invalid else 200)


@require_POST
def member_remove(request, pk, user_id):
    group = access.access_group(request.user, pk, for_write=True)
    if IntervisionMember.objects.filter(group=group, user_id=user_id).exists():
        services.member_remove(group=group, user_id=user_id, actor=request.user)
        messages.success(request, _("The counselor is no longer a member of this group."))
    return redirect("intervision:group", pk=pk)


@require_GET
def meeting(request, public_id):
    meeting = access.access_meeting(request.user, public_id)
    members = selectors.members_of(meeting.group)
    context = {"meeting": meeting, "members": members} | meeting_video_context()
    return render(request, "intervision/meeting.html", context)


def meeting_video_context() -> dict:
    """The meeting room's video call (counseling/assets/counseling/js/meeting_video.js): ICE servers and
    its translated strings."""
    strings = {
        "starting": _("Starting camera and microphone…"),
        "alone": _("You are in the room. Waiting for the others to join…"),
        "connected": _("You are in the call."),
        "left": _("You have left the call."),
        "lost": _("The connection was lost. Trying again…"),
        "unsupported": _(
            "This browser cannot make video calls. Please use a current Firefox, Chrome or Safari."
        ),
        "denied": _(
            "The browser did not allow the camera and microphone. Allow them for this page (lock symbol "
            "next to the address) and press “Join the video call” again."
        ),
        "missing": _("No camera or microphone was found. Connect one and press “Join the video call” again."),
        "busy": _("Your camera or microphone is being used by another app. Close it and try again."),
        "other": _("Camera and microphone could not be started. Please reload the page."),
        "you": _("You"),
        "mic_off": _("Microphone off"),
        "mic_on": _("Microphone on"),
        "camera_off": _("Camera off"),
        "camera_on": _("Camera on"),
        "gone": {
            "removed": _("You are no longer a member of this group, so you have left the call."),
            "logout": _("You were signed out. Please sign in again."),
            "denied": _("You cannot take part in this meeting."),
        },
    }
    return {"ice_servers": settings.WEBRTC_ICE_SERVERS, "video_strings": strings}


@require_GET
def mentor(request):
    access.access_mentor_page(request.user)
    return render(request, "intervision/mentor.html", {"trainees": selectors.trainee_history(request.user)})
