"""Staff pages for network partners: coordinators keep the organisations and attach partner accounts
(audited, counseling/partners/services.py); counselors refer a partner's client to the youth channel."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from counseling import access
from counseling.partners import selectors, services
from counseling.partners.forms import AttachForm, OrganisationForm
from counseling.partners.models import PartnerMembership, PartnerOrganisation
from hub.roles import PARTNERS_MANAGE


@permission_required(PARTNERS_MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def organisations(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = services.organisation_create(**form.cleaned_data, actor=request.user)
        messages.success(request, _("The partner organisation has been created."))
        return redirect("partners_staff:organisation", pk=organisation.pk)
    context = {"organisations": selectors.organisations_with_counts(), "form": form}
    return render(request, "partners/staff/organisations.html", context, status=400 if form.errors else 200)


@permission_required(PARTNERS_MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def organisation(request, pk):
    organisation = get_object_or_404(PartnerOrganisation, pk=pk)
    form = AttachForm(request.POST or None, accounts=selectors.partner_accounts())
    if request.method == "POST" and form.is_valid():
        account = form.cleaned_data["account"]
        services.member_attach(organisation=organisation, user=account, actor=request.user)
        messages.success(request, _("The account now belongs to this organisation."))
        return redirect("partners_staff:organisation", pk=organisation.pk)
    members = PartnerMembership.objects.filter(organisation=organisation).select_related("user")
    context = {"organisation": organisation, "members": members, "form": form}
    return render(request, "partners/staff/organisation.html", context, status=400 if form.errors else 200)


@permission_required(PARTNERS_MANAGE, raise_exception=True)
@require_POST
def detach(request, pk, user_id):
    membership = get_object_or_404(PartnerMembership, organisation_id=pk, user_id=user_id)
    services.member_detach(organisation=membership.organisation, user=membership.user, actor=request.user)
    messages.success(request, _("The account no longer belongs to this organisation."))
    return redirect("partners_staff:organisation", pk=pk)


@require_POST
def refer(request, public_id):
    """Answer a partner enquiry with the youth channel's links (in the client's language) and mark it."""
    case = access.access_partner_enquiry_staff(request.user, public_id)
    with translation.override(case.language):
        ask_url = request.build_absolute_uri(reverse("counseling:ask"))
        finder_url = request.build_absolute_uri(reverse("sites:finder"))
    services.partner_refer(case=case, actor=request.user, ask_url=ask_url, finder_url=finder_url)
    messages.success(request, _("The partner has received the links to the youth channel."))
    return redirect(reverse("counseling_staff:case", args=[case.public_id]) + "#latest")
