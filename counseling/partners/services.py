"""Changes around network partners: organisations and their accounts (coordinators, audited), the
partner's enquiry (an ordinary case, created and routed by counseling.services) and the referral of a
partner's client to the youth channel."""

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from counseling import services
from counseling.partners.models import PartnerEnquiry, PartnerMembership, PartnerOrganisation
from hub.audit import AuditAction, audit_record
from hub.sockets import access_revoked


@transaction.atomic
def organisation_create(*, name: str, country: str, actor) -> PartnerOrganisation:
    organisation = PartnerOrganisation.objects.create(name=name, country=country)
    audit_record(
        actor=actor,
        action=AuditAction.PARTNER_CHANGED,
        target_type="partner_organisation",
        target_id=organisation.pk,
        detail=f"created {name}",
    )
    return organisation


@transaction.atomic
def member_attach(*, organisation: PartnerOrganisation, user, actor) -> PartnerMembership:
    """Attach a partner account to an organisation (moving it from another one, whose enquiries it no
    longer sees: its open sockets check their access again)."""
    previous = PartnerMembership.objects.filter(user=user).first()
    if previous is not None and previous.organisation_id != organisation.pk:
        access_revoked(user_ids=[user.pk], reason="revoked")
    membership, _created = PartnerMembership.objects.update_or_create(
        user=user, defaults={"organisation": organisation}
    )
    audit_record(
        actor=actor,
        action=AuditAction.PARTNER_CHANGED,
        target_type="partner_organisation",
        target_id=organisation.pk,
        detail=f"attached account {user.pk}",
    )
    return membership


@transaction.atomic
def member_detach(*, organisation: PartnerOrganisation, user, actor) -> None:
    if PartnerMembership.objects.filter(user=user, organisation=organisation).delete()[0]:
        access_revoked(user_ids=[user.pk], reason="revoked")
        audit_record(
            actor=actor,
            action=AuditAction.PARTNER_CHANGED,
            target_type="partner_organisation",
            target_id=organisation.pk,
            detail=f"detached account {user.pk}",
        )


@transaction.atomic
def partner_enquiry_create(
    *, partner, organisation, client_country: str, language: str, topic: str, body: str, idempotency_key
):
    """The enquiry is a case like a young person's (sealed message, answer clock, routing through
    counseling.routing.route_case), opened by the partner, with no young person."""
    case = services.enquiry_create(
        opened_by=partner,
        topic=topic,
        language=language,
        body=body,
        idempotency_key=idempotency_key,
    )
    PartnerEnquiry.objects.get_or_create(
        case=case, defaults={"organisation": organisation, "client_country": client_country}
    )
    return case


def referral_text(*, language: str, ask_url: str, finder_url: str) -> str:
    """The answer that refers the client to the youth channel, in the client's language so that the
    partner can pass it on as it is."""
    with translation.override(language):
        return _(
            "Your client can ask us directly, anonymously and free of charge: they choose a nickname, no "
            "name is needed, and a counselor answers in their language. Ask a question: %(ask_url)s – "
            "Find a Youth Migration Service near the place where they will live: %(finder_url)s"
        ) % {"ask_url": ask_url, "finder_url": finder_url}


@transaction.atomic
def partner_refer(*, case, actor, ask_url: str, finder_url: str):
    """Answer with the youth channel's links and mark the enquiry as referred. A trainee's referral waits
    for the mentor like any reply of theirs."""
    message = services.message_send(
        case=case,
        author=actor,
        body=referral_text(language=case.language, ask_url=ask_url, finder_url=finder_url),
    )
    PartnerEnquiry.objects.filter(case=case).update(referred_at=timezone.now(), referred_by=actor)
    return message
