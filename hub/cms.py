"""The Wagtail tree's fixed points: the site's home page, and the editors' rights on a section.

Editors and coordinators (the roles with ``wagtailadmin.access_admin``) get Wagtail's page permissions
on the sections they edit (the knowledge base, campaigns, the legal pages) and may upload and choose
images and documents. Apps call these from a post_migrate handler, so a fresh database is ready to edit.
Also: the per-language filter fields wagtail-modeltranslation leaves out (translated_filter_fields_declare).
"""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import connection
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Locale, Page, Site
from wagtail.search import index

from hub.roles import Role

EDITING_ROLES = (Role.EDITOR, Role.COORDINATOR)
PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
MEDIA_PERMISSIONS = (
    ("wagtailimages", ("add_image", "change_image", "choose_image")),
    ("wagtaildocs", ("add_document", "change_document", "choose_document")),
)


def site_home_page() -> Page:
    """The default site's root page. On a database without Wagtail's initial tree (a test database
    after a flush) the tree is laid the way Wagtail's own migrations lay it."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None:
        return site.root_page
    Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = root.add_child(instance=Page(title="JMD digital-hub", slug="home"))
    Site.objects.create(hostname="localhost", root_page=home, is_default_site=True, site_name=home.title)
    return home


def section_index_ensure(model, *, title_de: str, title_en: str, slug: str):
    """A section of the page tree (the one index page of `model`), editable by editors and coordinators
    (idempotent)."""
    index = model.objects.first()
    if index is None:
        index = site_home_page().add_child(
            instance=model(title=title_de, title_de=title_de, title_en=title_en, slug=slug)
        )
    section_editors_grant(index)
    return index


class ReaderUrlMixin:
    """For pages read at a URL of their own (`reader_url(language)`), not Wagtail's tree: "View live" in
    the admin and page links point there."""

    def get_url_parts(self, request=None):
        from django.utils.translation import get_language

        parts = super().get_url_parts(request)
        if parts is None:
            return None
        site_id, root_url, _path = parts
        return site_id, root_url, self.reader_url(get_language() or "de")


def section_editors_grant(page: Page) -> None:
    """Editors and coordinators may add, edit and publish below `page`, and use images and documents."""
    page_permissions = Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=PAGE_PERMISSIONS
    )
    collection = Collection.get_first_root_node()
    for role in EDITING_ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        for permission in page_permissions:
            GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)
        if collection is None:
            continue
        for app_label, codenames in MEDIA_PERMISSIONS:
            for permission in Permission.objects.filter(
                content_type__app_label=app_label, codename__in=codenames
            ):
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=collection, permission=permission
                )


def page_tree_ready() -> bool:
    """Whether pages can be written now. wagtail-modeltranslation adds Page's per-language columns after
    `migrate` has run – after post_migrate – so a post_migrate handler that creates pages adds them first
    (the same idempotent step its migrate command runs next). False while Wagtail's tables or its
    initial tree are missing."""
    with connection.cursor() as cursor:
        if "wagtailcore_site" not in connection.introspection.table_names(cursor):
            return False
        columns = {
            column.name
            for column in connection.introspection.get_table_description(cursor, "wagtailcore_page")
        }
    if f"title_{settings.MODELTRANSLATION_DEFAULT_LANGUAGE}" not in columns:
        call_command("sync_page_translation_fields", interactive=False, verbosity=0)
    # A flushed test database has no tree; post_migrate after a flush must not lay one for every test.
    return Site.objects.filter(is_default_site=True).exists()


def translated_filter_fields_declare() -> None:
    """Give every page model a FilterField per language for each translated FilterField. Runs once in
    HubConfig.ready, after wagtail-modeltranslation has patched the page models.

    wagtail-modeltranslation rewrites order_by("title") into the active language's "title_de" and copies
    Page's search fields per language, but not its filter fields: without these the admin's page search
    sorted by title (/staff/cms/pages/search/?q=x&ordering=title) is a server error."""
    _declare_for(Page)


def _declare_for(model) -> None:
    try:
        translated = translator.get_options_for_model(model).all_fields
    except NotRegistered:
        translated = set()
    declared = {field.field_name for field in model.search_fields if isinstance(field, index.FilterField)}
    additions = [
        index.FilterField(build_localized_fieldname(name, code))
        for name in sorted(declared & set(translated))
        for code, _name in settings.LANGUAGES
        if build_localized_fieldname(name, code) not in declared
    ]
    if additions:
        model.search_fields = [*model.search_fields, *additions]
    for subclass in model.__subclasses__():
        _declare_for(subclass)
