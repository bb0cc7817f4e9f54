from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from counseling import staffing
from hub import selectors, services
from hub.access import staff_scope_required
from hub.audit import AuditAction, audit_recent
from hub.data_export import data_export_build
from hub.forms import AccountDeleteForm, InvitationAcceptForm
from hub.push_views import push_context
from hub.roles import is_network_partner, is_staff_member, user_roles, works_with_cases
from hub.staff_forms import AuditFilterForm, StaffInviteForm
from hub.visitor_pages import visitor_page


@visitor_page
def start(request):
    return render(request, "hub/start.html")


@login_required
def home(request):
    """Where "home" is depends on who you are."""
    if is_network_partner(request.user):
        return redirect("partners:home")
    if is_staff_member(request.user):
        return redirect("hub:staff_home")
    return redirect("hub:youth_home")


@login_required
def youth_home(request):
    # The address for notices and whether it is confirmed: until it is, no notice goes out.
    notice_address = selectors.notice_address_of(request.user)
    context = {"notice_address": notice_address, **push_context(request.user)}
    return render(request, "hub/youth_home.html", context)


def staff_home(request):
    # StaffAreaMiddleware has already checked role and two-factor authentication.
    roles = sorted(user_roles(request.user))
    context = {"roles": roles, "works_with_cases": works_with_cases(request.user)}
    return render(request, "hub/staff_home.html", context)


@require_http_methods(["GET", "POST"])
def invitations(request):
    """Coordinators invite anyone; a site lead invites counselors and trainees for their own sites. The
    invitation carries roles, sites and counseling languages/topics, so the account is ready on accepting."""
    scope = staff_scope_required(request.user)
    form = StaffInviteForm(request.POST or None, scope=scope)
    if request.method == "POST" and form.is_valid():
        setup = staffing.StaffSetup(
            roles=form.cleaned_data["roles"],
            counsel_sites=form.cleaned_data["counsel_sites"],
            lead_sites=form.cleaned_data["lead_sites"],
            profile=form.profile_values(),
        )
        staffing.invitation_create(
            actor=request.user,
            email=form.cleaned_data["email"],
            display_name=form.cleaned_data["display_name"],
            setup=setup,
            language=get_language(),
            base_url=request.build_absolute_uri("/"),
        )
        messages.success(request, _("The invitation is on its way to %(email)s.") % form.cleaned_data)
        return redirect("hub:invitations")
    context = {
        "form": form,
        "invitations": selectors.invitations_recent(invited_by=None if scope.everything else request.user),
        "days": settings.STAFF_INVITATION_DAYS,
    }
    return render(request, "hub/invitations.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    invitation = services.invitation_from_token(token)
    if invitation is None:
        return render(request, "hub/invitation_invalid.html", status=404)
    form = InvitationAcceptForm(request.POST or None, initial={"display_name": invitation.display_name})
    if request.method == "POST" and form.is_valid():
        user = staffing.invitation_accept(
            invitation=invitation,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password1"],
            display_name=form.cleaned_data["display_name"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome! Please set up two-factor authentication now."))
        return redirect("hub:staff_home")
    return render(request, "hub/invitation_accept.html", {"form": form, "invitation": invitation})


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    if is_staff_member(request.user):
        return render(request, "hub/account_delete_staff.html", status=403)
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.account_delete(user=request.user)
        logout(request)
        messages.success(request, _("Your account and everything stored with it have been deleted."))
        return redirect("hub:start")
    return render(request, "hub/account_delete.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def my_data(request):
    """GET explains what the download holds; POST builds the ZIP (a POST, as it is an audited action)."""
    if is_staff_member(request.user):
        return render(request, "hub/account_delete_staff.html", status=403)
    if request.method == "POST":
        archive = data_export_build(user=request.user)
        filename = f"jmd-my-data-{timezone.localdate():%Y-%m-%d}.zip"
        return FileResponse(archive, as_attachment=True, filename=filename, content_type="application/zip")
    return render(request, "hub/my_data.html")


@permission_required("hub.view_auditentry", raise_exception=True)
@require_GET
def audit_log(request):
    """Coordinators see who opened which case and when – never what it says."""
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    case = (filters.get("case") or "").strip()
    entries = audit_recent(
        target_type="case" if case else "",
        target_id=case,
        action=filters.get("action") or "",
        actor=(filters.get("actor") or "").strip(),
        since=filters.get("since"),
        until=filters.get("until"),
    )
    labels = dict(AuditAction.choices)
    for entry in entries:
        entry.label = labels.get(entry.action, entry.action)
    return render(request, "hub/audit_log.html", {"entries": entries, "form": form})
