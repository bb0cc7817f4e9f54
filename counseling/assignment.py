"""Assigning a case by hand: a coordinator any case (queued, fallback, any language) to any counselor; a
site lead a case of their site to a counselor of that site. No content is shown or needed, every
assignment is audited and recorded on the case with the rule "manual"."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from counseling import access, routing
from counseling.models import Case, CaseEvent, CaseStatus
from hub.audit import AuditAction, audit_record
from hub.labels import language_labels
from hub.roles import Role, has_role
from hub.sockets import access_revoked


def may_assign(user, case: Case) -> bool:
    if case.status == CaseStatus.CLOSED:
        return False
    if has_role(user, Role.COORDINATOR):
        return True
    return case.site_id is not None and case.site_id in access.lead_site_ids(user)


def access_case_to_assign(user, public_id) -> Case:
    """404 for a case the user may not see at all, 403 for one they may see but not assign."""
    case = access._case(public_id)
    if may_assign(user, case):
        return case
    if access.may_open_case(user, case) or access.may_manage_assignment(user, case):
        raise PermissionDenied
    raise Http404


def assignable_counselors(user, case: Case):
    """Coordinators: every active counselor. A site lead: the counselors of the case's site."""
    ids = routing.counselor_profiles().values_list("user_id", flat=True)
    if not has_role(user, Role.COORDINATOR):
        ids = [pk for pk in ids if pk in routing.site_team_ids(case.site)]
    return get_user_model().objects.filter(pk__in=list(ids)).order_by("display_name", "username")


class _CounselorField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        languages = language_labels(obj.counselor_profile.languages)
        return f"{obj.get_full_name()} ({languages})" if languages else obj.get_full_name()


class AssignForm(forms.Form):
    counselor = _CounselorField(
        label=_("Assign to"),
        queryset=get_user_model().objects.none(),
        empty_label=_("– choose a counselor –"),
        error_messages={
            "required": _("Please choose a counselor."),
            "invalid_choice": _("This counselor cannot be assigned this case. Please choose another."),
        },
        help_text=_("Any language: a counselor who does not speak it answers with a translation aid."),
    )

    def __init__(self, *args, user, case, **kwargs):
        kwargs.setdefault("auto_id", "id_assign_%s")  # the handover form on the same page has a counselor
        super().__init__(*args, **kwargs)
        self.fields["counselor"].queryset = assignable_counselors(user, case).select_related(
            "counselor_profile"
        )


@transaction.atomic
def case_assign(*, case: Case, counselor, actor) -> Case:
    previous = case.counselor_id
    locked = Case.objects.select_for_update().get(pk=case.pk)
    reason = {"rule": routing.Rule.MANUAL, "language": locked.language, "topic": locked.topic}
    routing.assign(locked, counselor, actor=actor, kind=CaseEvent.Kind.ASSIGNED, reason=reason)
    audit_record(actor=actor, action=AuditAction.CASE_ASSIGN, target_type="case", target_id=locked.public_id)
    if previous and previous != counselor.pk:
        access_revoked(case_ids=[locked.pk], reason="handover")  # the former counselor's open sockets
    from counseling.services import _notify_staff

    _notify_staff(locked, None)
    return locked


# --- fallback counselors (set by coordinators) ---------------------------------------------------------


class FallbackForm(forms.Form):
    counselors = forms.ModelMultipleChoiceField(
        label=_("Fallback counselors"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "They see, in their queue, the questions in languages no present counselor speaks, and answer "
            "them with a translation aid. Without any, those questions wait in the coordinators' queue."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["counselors"]
        field.queryset = (
            get_user_model()
            .objects.filter(pk__in=list(routing.counselor_profiles().values_list("user_id", flat=True)))
            .order_by("display_name", "username")
        )
        field.label_from_instance = lambda user: user.get_full_name()


@transaction.atomic
def fallback_counselors_set(*, users, actor) -> None:
    from counseling.models import CounselorProfile
    from counseling.services import _after_capacity_freed

    chosen = {user.pk for user in users}
    CounselorProfile.objects.filter(is_fallback=True).exclude(user_id__in=chosen).update(is_fallback=False)
    CounselorProfile.objects.filter(user_id__in=chosen).update(is_fallback=True)
    audit_record(actor=actor, action=AuditAction.FALLBACK_CHANGED, target_type="counseling", target_id="")
    _after_capacity_freed()  # queued cases are looked at again
