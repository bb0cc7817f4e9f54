"""The network partner's pages: their organisation's enquiries, the enquiry form and the thread.

Partner accounts are staff accounts (invited, with two-factor authentication: hub/mfa.py treats them as
staff) that never enter the staff area (hub.middleware.StaffAreaMiddleware); these pages are theirs.
Which enquiry a partner may read is decided in counseling/access.py.
"""

import uuid
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from counseling import access, selectors, services
from counseling.partners import services as partner_services
from counseling.partners.forms import PartnerEnquiryForm, PartnerReplyForm
from counseling.partners.models import PartnerOrganisation
from hub.roles import Role, has_role


def partner_required(view):
    """Signed in with the network partner role; anyone else gets a page that says what this is (403)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not has_role(request.user, Role.NETWORK_PARTNER):
            return render(request, "partners/not_partner.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def _organisation(user) -> PartnerOrganisation | None:
    organisation_id = access.partner_organisation_id(user)
    return PartnerOrganisation.objects.filter(pk=organisation_id).first() if organisation_id else None


@require_GET
@partner_required
def home(request):
    cases = (
        access.partner_enquiries_visible_to(request.user)
        .select_related("opened_by", "partner_enquiry")
        .order_by("-last_message_at", "-pk")
    )
    context = {"organisation": _organisation(request.user), "cases": cases}
    return render(request, "partners/home.html", context)


@sensitive_post_parameters("body")
@require_http_methods(["GET", "POST"])
@partner_required
def ask(request):
    organisation = _organisation(request.user)
    if organisation is None:
        return render(request, "partners/home.html", {"organisation": None, "cases": []}, status=403)
    initial = {"idempotency_key": uuid.uuid4(), "language": get_language(), "client_country": ""}
    form = PartnerEnquiryForm(request.POST or None, initial=initial)
    form.fields["body"].widget.attrs["data-draft"] = "partner-ask"
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case = partner_services.partner_enquiry_create(
            partner=request.user,
            organisation=organisation,
            client_country=data["client_country"],
            language=data["language"],
            topic=data["topic"],
            body=data["body"],
            idempotency_key=data["idempotency_key"],
        )
        messages.success(request, _("Your enquiry has been sent."))
        return redirect(reverse("partners:enquiry", args=[case.public_id]) + "?sent=1")
    return render(request, "partners/ask.html", {"form": form, "organisation": organisation})


@sensitive_post_parameters("body")
@require_http_methods(["GET", "POST"])
@partner_required
def enquiry(request, public_id):
    case = access.access_partner_enquiry(request.user, public_id)
    form = PartnerReplyForm(request.POST or None, initial={"idempotency_key": uuid.uuid4()})
    form.fields["body"].widget.attrs["data-draft"] = f"case-{case.public_id}"
    if request.method == "POST" and form.is_valid():
        services.message_send(
            case=case,
            author=request.user,
            body=form.cleaned_data["body"],
            idempotency_key=form.cleaned_data["idempotency_key"],
        )
        messages.success(request, _("Your message has been sent."))
        return redirect(f"{request.path}?sent=1#latest")
    context = {
        "case": case,
        "enquiry": case.partner_enquiry,
        "thread": selectors.thread_for_participant(case),
        "form": form,
        "sent": request.method == "GET" and request.GET.get("sent") is not None,
    }
    return render(request, "partners/enquiry.html", context)
