"""Staff pages of the social-space analysis: the places (online mentors and coordinators), one place's
form, and the coordinators' overview per country and platform with a chart and its table."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from campaigns import social_spaces
from campaigns.forms import SocialSpaceForm
from campaigns.models import Platform
from counseling.partners.countries import ClientCountry


def _filters(request) -> dict:
    country, platform = request.GET.get("country", ""), request.GET.get("platform", "")
    return {
        "country": country if country in ClientCountry.values else "",
        "platform": platform if platform in Platform.values else "",
    }


@require_GET
def space_list(request):
    if not social_spaces.may_record_spaces(request.user):
        raise PermissionDenied
    filters = _filters(request)
    context = {
        "spaces": social_spaces.social_spaces_with_reach(**filters),
        "filters": filters,
        "countries": ClientCountry.choices,
        "platforms": Platform.choices,
        "may_read_overview": social_spaces.may_read_overview(request.user),
    }
    return render(request, "campaigns/staff/space_list.html", context)


@require_http_methods(["GET", "POST"])
def space_edit(request, space_id: int | None = None):
    space = social_spaces.access_social_space(request.user, space_id) if space_id else None
    if space is None and not social_spaces.may_record_spaces(request.user):
        raise PermissionDenied
    form = SocialSpaceForm(request.POST or None, instance=space)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        channels = data.pop("channels")
        social_spaces.social_space_save(space=space, by=request.user, channels=channels, **data)
        messages.success(request, _("The social space is recorded."))
        return redirect("campaigns_staff:spaces")
    status = 400 if form.errors else 200
    return render(request, "campaigns/staff/space_edit.html", {"form": form, "space": space}, status=status)


@require_http_methods(["GET", "POST"])
def space_delete(request, space_id: int):
    """Asks first (GET); deletes on the confirming POST only."""
    space = social_spaces.access_social_space(request.user, space_id)
    if request.method == "POST":
        social_spaces.social_space_delete(space)
        messages.success(request, _("The social space is deleted."))
        return redirect("campaigns_staff:spaces")
    posts = space.planned_posts.count()
    return render(request, "campaigns/staff/space_delete.html", {"space": space, "posts": posts})


@require_GET
def space_overview(request):
    if not social_spaces.may_read_overview(request.user):
        raise PermissionDenied
    rows = social_spaces.overview_rows(social_spaces.social_spaces_with_reach())
    context = {
        "rows": rows,
        "by_country": social_spaces.places_chart(rows, by="country"),
        "by_platform": social_spaces.places_chart(rows, by="platform"),
        "totals": {
            "places": sum(row.places for row in rows),
            "members": sum(row.members for row in rows),
            "posts": sum(row.posts for row in rows),
            "landings": sum(row.landings for row in rows),
            "first_questions": sum(row.first_questions for row in rows),
        },
    }
    return render(request, "campaigns/staff/space_overview.html", context)
