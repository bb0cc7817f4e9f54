from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from hub.legal import selectors


@require_GET
def legal_page(request, kind: str):
    """Public: the imprint, the privacy notice, … in the reader's language (German where missing)."""
    page = selectors.legal_page_live(kind)
    if page is None:
        raise Http404
    return render(request, "legal/page.html", selectors.legal_reading(page, language=get_language()))
