"""CMS documents are served to their readers only (hub/documents.py)."""

from django.http import Http404
from wagtail import hooks

from hub.documents import document_readable


@hooks.register("before_serve_document")
def serve_documents_to_their_readers_only(document, request):
    if not document_readable(request.user, document):
        raise Http404
