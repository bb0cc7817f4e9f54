"""CMS hooks: the user editor's bulk actions narrowed to staff accounts and audited (hub/cms_users.py), and
documents served to their readers only (hub/documents.py).

The bulk actions are registered after Wagtail's own (a higher ``order``): the bulk-action registry keeps the
last class it sees for an action type, so these replace Wagtail's "assign role", "delete" and "set active
state"."""

from django.http import Http404
from wagtail import hooks

from hub.cms_users import STAFF_USER_BULK_ACTIONS, bulk_action_audit
from hub.documents import document_readable

for _action_class in STAFF_USER_BULK_ACTIONS:
    hooks.register("register_bulk_action", _action_class, order=100)

hooks.register("before_bulk_action", bulk_action_audit)


@hooks.register("before_serve_document")
def serve_documents_to_their_readers_only(document, request):
    if not document_readable(request.user, document):
        raise Http404
