"""The young person's "I have arrived in Germany" (rules in counseling/arrival.py): a postcode, the
nearest JMD with address and hours, explicit consent, then the handover. Each step is a POST to the same
page, so the postcode never lands in an address bar or a server log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from counseling import arrival
from counseling.arrival_forms import ArrivalConsentForm, ArrivalPostcodeForm
from hub.countries import country_name


@login_required
@require_http_methods(["GET", "POST"])
def arrival_view(request, public_id):
    case = arrival.access_case_arrival(request.user, public_id)
    case_url = reverse("counseling:case", args=[case.public_id])
    if not arrival.may_arrive(case):  # arrived already, closed, or asked from Germany: the case page says
        return redirect(case_url)
    data = request.POST if request.method == "POST" else None
    where, site, consent = ArrivalPostcodeForm(data), None, None
    if where.is_bound and where.is_valid():
        site = arrival.local_site(where.cleaned_data["postcode"])
        if site is None:
            where.add_error("postcode", _("We could not find a JMD near this postcode. Please check it."))
    if site is not None:
        shown = {"postcode": where.cleaned_data["postcode"], "site": site.slug}
        consenting = data is not None and data.get("step") == "consent"
        consent = ArrivalConsentForm(data if consenting else None, initial=shown)
        if consenting and consent.is_valid() and consent.cleaned_data["site"] != site.slug:
            consent.add_error(None, _("The nearest JMD has changed. Please check it and agree again."))
        if consenting and consent.is_valid():
            arrival.case_arrive(case=case, youth=request.user, postcode=shown["postcode"], site=site)
            messages.success(request, _("Your conversation is now with %(site)s.") % {"site": site.name})
            return redirect(case_url + "#local-jmd")
    context = {
        "case": case,
        "country": country_name(case.country_of_residence),
        "where": where,
        "consent": consent,
        "local": arrival.local_site_facts(site) if site is not None else None,
    }
    return render(request, "counseling/arrival.html", context)
