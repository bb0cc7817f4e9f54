import re
from urllib.parse import urlencode

from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_POST

from hub.links import is_canonical_path
from hub.topics import Topic
from hub.visitor_pages import no_store, visitor_page
from knowledge import selectors, services
from knowledge.access import access_article, reader_audiences

# A campaign referral code travels along in the URL (never a cookie), so that a question asked after
# reading still counts for the campaign. Only its shape is checked here; campaigns/ checks the code.
_REF = re.compile(r"^[A-Za-z0-9]{4,16}$")


def referral(request) -> str:
    ref = request.GET.get("ref") or request.POST.get("ref") or ""
    return ref if _REF.match(ref) else ""


@visitor_page
@require_GET
def index(request):
    query = request.GET.get("q", "").strip()
    topic = request.GET.get("topic", "")
    topic = topic if topic in Topic.values else ""
    language = get_language()
    hits = selectors.hits_shared(request.user, query, language=language, topic=topic)
    if query and not hits:
        services.search_miss_record(query=query, language=language)
        no_store(request)  # every search without hits is recorded: never served from a kept page
    context = {
        "query": query,
        "topic": topic,
        "topics": Topic.choices,
        "hits": hits,
        "ref": referral(request),
        "audiences": reader_audiences(request.user),
    }
    return render(request, "knowledge/index.html", context)


@visitor_page
@require_GET
def article(request, page_id: int, slug: str):
    page = selectors.article_for_reading(request.user, page_id)
    language = get_language()
    canonical = page.reader_url(language)
    if not is_canonical_path(request, canonical):
        query = request.GET.urlencode()
        return redirect(f"{canonical}?{query}" if query else canonical)
    context = selectors.article_reading(page, language=language)
    context.update(
        {
            "ref": referral(request),
            "voted": request.GET.get("voted") == "1",
            "topics": page.topic_links.all,  # read on a fragment miss only
        }
    )
    return render(request, "knowledge/article.html", context)


@require_POST
def helpful(request, page_id: int):
    page = access_article(request.user, page_id)
    answer = request.POST.get("helpful")
    if answer in {"yes", "no"}:
        services.helpful_vote_record(article=page, language=get_language(), helpful=answer == "yes")
    params = {"voted": "1"}
    if ref := referral(request):
        params["ref"] = ref
    return redirect(f"{page.reader_url(get_language())}?{urlencode(params)}#helpful")


@permission_required("wagtailadmin.access_admin", raise_exception=True)
@require_GET
def editor_overview(request):
    """For editors: articles due for review, missing and outdated translations, searches without result."""
    context = {
        "due": selectors.articles_due_for_review(),
        "translations": selectors.translation_overview(),
        "misses": selectors.search_misses_top(),
        "languages": selectors.SEARCH_CONFIGS,
    }
    return render(request, "knowledge/editor_overview.html", context)
