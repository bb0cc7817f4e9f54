from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sites import selectors, services
from sites.access import access_site
from sites.forms import SiteProfileForm


def site_list_staff(request):
    return render(request, "sites/staff_site_list.html", {"sites": selectors.sites_editable_by(request.user)})


@require_http_methods(["GET", "POST"])
def site_edit(request, slug):
    site = access_site(request.user, slug, for_write=True)
    form = SiteProfileForm(request.POST or None, instance=site)
    if request.method == "POST" and form.is_valid():
        services.site_profile_update(site=site, form=form)
        messages.success(request, _("The site profile has been saved."))
        return redirect("sites_staff:edit", slug=site.slug)
    return render(request, "sites/site_edit.html", {"site": site, "form": form})
