"""Links from the Wagtail admin to the editors' pages of the staff area."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem


@hooks.register("register_admin_menu_item")
def knowledge_overview_menu_item():
    return MenuItem(
        _("Review and translations"),
        reverse_lazy("knowledge_staff:overview"),
        icon_name="doc-full",
        order=900,
    )


@hooks.register("register_document_readers")
def article_document_readers():
    # Files of a public article are for everyone, of an internal one for staff (hub/documents.py).
    from knowledge.access import may_read_articles
    from knowledge.models import ArticlePage

    return {ArticlePage: may_read_articles}
