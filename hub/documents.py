"""CMS documents (Wagtail's /documents/<id>/<name>): served only to those who may read what uses them.

Where a document is used comes from Wagtail's reference index (rich-text links, chooser blocks, foreign
keys; a lesson's files count as used by its course). Each app says who may read its objects through the
`register_document_readers` hook, returning {model: may_read(user, object_ids) -> bool}; a page type with
no rule of its own counts as public while it is live and has no view restriction. Decisions:

- one use the person may read is enough (a document on a public and an internal page is public);
- a document used by nothing, or only by objects no rule covers, is for those who manage documents
  (editors and coordinators, who may also read everything else, so the admin keeps working);
- anyone else gets 404: a private document does not exist for them.

The same PDF screen as for counseling attachments applies to uploads in the CMS (`DocumentForm`).
"""

from collections import defaultdict
from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.documents.forms import BaseDocumentForm
from wagtail.models import Page, ReferenceIndex

from hub import pdf_screen

MayRead = Callable[[object, set[str]], bool]


def may_manage_documents(user) -> bool:
    # Wagtail grants document permissions per collection (hub/cms.py); "choose" is the least of them.
    from wagtail.documents import get_document_model
    from wagtail.permissions import policy_registry

    policy = policy_registry.get_by_type(get_document_model())
    return user.is_authenticated and policy.user_has_permission(user, "choose")


def _readers() -> dict[type, MayRead]:
    readers: dict[type, MayRead] = {}
    for hook in hooks.get_hooks("register_document_readers"):
        readers.update(hook())
    return readers


def _public_pages(user, page_ids: set[str]) -> bool:
    return Page.objects.live().public().filter(pk__in=page_ids).exists()


def document_uses(document) -> dict[type, set[str]]:
    uses: dict[type, set[str]] = defaultdict(set)
    references = ReferenceIndex.get_references_to(document).values_list("content_type_id", "object_id")
    for content_type_id, object_id in references.distinct():
        uses[ContentType.objects.get_for_id(content_type_id).model_class()].add(object_id)
    return uses


def document_readable(user, document) -> bool:
    if may_manage_documents(user):
        return True
    readers = _readers()
    for model, object_ids in document_uses(document).items():
        may_read = readers.get(model) or (_public_pages if model and issubclass(model, Page) else None)
        if may_read is not None and may_read(user, object_ids):
            return True
    return False


class DocumentForm(BaseDocumentForm):
    """Wagtail's document form plus the PDF screen of attachments (WAGTAILDOCS_DOCUMENT_FORM_BASE)."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload or not hasattr(upload, "read"):
            return upload
        upload.seek(0)
        head = upload.read(5)
        if head == b"%PDF-":
            upload.seek(0)
            try:
                active = pdf_screen.pdf_has_active_content(upload.read())
            except pdf_screen.PdfUncheckable as error:
                raise ValidationError(
                    _("This PDF could not be checked: it is damaged or protected with a password.")
                ) from error
            if active:
                raise ValidationError(
                    _("This PDF contains scripts, actions, attached files or XFA forms and cannot be used.")
                )
        upload.seek(0)
        return upload
