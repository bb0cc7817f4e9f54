from django import template

from counseling.intervision.models import IntervisionRequest

register = template.Library()


@register.simple_tag
def own_intervision_requests(case, user):
    """The requests this user wrote about this case: the one place a request links to its case."""
    return IntervisionRequest.objects.filter(case=case, requester=user).only("public_id", "created_at")
