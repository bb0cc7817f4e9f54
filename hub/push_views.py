"""Switching "tell me on this device" on and off (/me/, templates/hub/includes/push_switch.html).

JSON in, JSON out, POST only; the page's script calls these. Only young people's accounts (hub/push.py
says why not staff)."""

import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hub import push


def push_context(user) -> dict:
    """For /me/: whether the switch is shown, and whether push works on this server (else it says so)."""
    return {
        "push_offered": push.may_use_push(user),
        "push_available": push.push_available(),
        "push_public_key": settings.VAPID_PUBLIC_KEY,
    }


def _checked(request) -> dict:
    if not push.may_use_push(request.user):
        raise PermissionDenied
    if not push.push_available():
        raise Http404
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        data = None
    return data if isinstance(data, dict) else {}


def _refused():
    return JsonResponse({"error": _("This browser sent a subscription we cannot use.")}, status=400)


@require_POST
@login_required
def push_subscribe(request):
    subscription = push.Subscription.from_json(_checked(request))
    if subscription is None:
        return _refused()
    push.push_subscribe(user=request.user, subscription=subscription, language=get_language())
    return JsonResponse({"on": True})


@require_POST
@login_required
def push_unsubscribe(request):
    endpoint = _checked(request).get("endpoint")
    if not isinstance(endpoint, str):
        return _refused()
    push.push_unsubscribe(user=request.user, endpoint=endpoint)
    return JsonResponse({"on": False})
