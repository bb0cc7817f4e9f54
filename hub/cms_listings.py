"""Two combinations of the Wagtail admin's listing parameters that end in a server error with Wagtail 8
and wagtail-modeltranslation, mended here rather than refused, so editors keep the feature.

1. Page search sorted by title (``/staff/cms/pages/search/?q=x&ordering=title``, the title column's
   sort link). wagtail-modeltranslation rewrites ``order_by("title")`` into the active language's
   ``title_de``, and copies Page's *search* fields per language but not its *filter* fields; the search
   backend then refuses to sort by a field it has no FilterField for. hub.cms declares the
   per-language copies of every translated FilterField at start-up (HubConfig.ready).
2. Images and documents filtered by usage count while searching (``?q=x&usage_count_min=1``). The usage
   count is an annotation, and the search backend cannot filter on an annotation ("'Coalesce' object
   has no attribute 'target'"). Wagtail 8 already hides the usage-count *ordering* while searching
   (wagtail/wagtail#13560, django-modelsearch#51) but not the filter. While searching, our filter picks
   the matching primary keys first, as Wagtail's own tag filter does (``RelatedFilterMixin``).
"""

import django_filters
from django.urls import path
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.filters import NumberRangeWidget, RelatedFilterMixin
from wagtail.documents.views import documents
from wagtail.images.views import images
from wagtail.utils.urlpatterns import decorate_urlpatterns


class UsageCountFilter(RelatedFilterMixin, django_filters.RangeFilter):
    pass


def _usage_count_filter():
    label = images.ImagesFilterSet.base_filters["usage_count"].label
    return UsageCountFilter(field_name="usage_count", label=label, widget=NumberRangeWidget())


class _SearchableUsageCount:
    def __init__(self, *args, is_searching=None, **kwargs):
        super().__init__(*args, is_searching=is_searching, **kwargs)
        self.filters["usage_count"].use_subquery = bool(is_searching)


class ImagesFilterSet(_SearchableUsageCount, images.ImagesFilterSet):
    usage_count = _usage_count_filter()


class DocumentsFilterSet(_SearchableUsageCount, documents.DocumentsFilterSet):
    usage_count = _usage_count_filter()


class ImageIndexView(images.IndexView):
    filterset_class = ImagesFilterSet


class DocumentIndexView(documents.IndexView):
    filterset_class = DocumentsFilterSet


# Resolved before Wagtail's own patterns (hub/urls.py); Wagtail's URL names keep reversing to the same paths.
# Decorated as Wagtail decorates its admin URLs.
urlpatterns = decorate_urlpatterns(
    [
        path("images/", ImageIndexView.as_view()),
        path("images/results/", ImageIndexView.as_view(results_only=True)),
        path("documents/", DocumentIndexView.as_view()),
        path("documents/results/", DocumentIndexView.as_view(results_only=True)),
    ],
    lambda view: never_cache(require_admin_access(view)),
)
