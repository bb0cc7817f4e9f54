"""The legal pages in the page tree: laid after migrate with the default texts, editable by coordinators and
editors. Existing pages are never overwritten – once the operator has edited a text, it is theirs."""

import re
from pathlib import Path

from django.conf import settings
from wagtail.rich_text import RichText

from hub.cms import page_tree_ready, section_index_ensure
from hub.legal.models import LegalIndexPage, LegalKind, LegalPage

CONTENT = Path(__file__).resolve().parent / "content"
# In a default text, a line `<!-- retention:all -->` (or `:youth`) stands for the live retention block.
_RETENTION = re.compile(r"^\s*<!--\s*retention:(\w+)\s*-->\s*$", re.MULTILINE)
_TITLE = re.compile(r"^\s*<h1>(.*?)</h1>\s*", re.DOTALL)


def legal_index_ensure() -> LegalIndexPage:
    return section_index_ensure(LegalIndexPage, title_de="Rechtliches", title_en="Legal", slug="rechtliches")


def legal_pages_ensure() -> list[LegalPage]:
    """Every kind of legal page exists (idempotent); missing ones get the default texts and go live."""
    index = legal_index_ensure()
    existing = {page.kind: page for page in LegalPage.objects.all()}
    for kind in LegalKind.values:
        if kind not in existing:
            existing[kind] = index.add_child(instance=legal_page_default(kind))
    return [existing[kind] for kind in LegalKind.values]


def legal_page_default(kind: str) -> LegalPage:
    page = LegalPage(kind=kind, slug=kind, slug_de=kind)
    for code, _name in settings.LANGUAGES:
        source = CONTENT / kind / f"{code}.html"
        if source.exists():
            title, body = default_text(source.read_text(encoding="utf-8"))
            setattr(page, f"title_{code}", title)
            setattr(page, f"body_{code}", body)
    page.title = page.title_de
    return page


def default_text(raw: str) -> tuple[str, list]:
    """A default text file: its <h1> is the title; the rest are rich-text blocks around retention blocks."""
    match = _TITLE.match(raw)
    title, raw = (match[1].strip(), raw[match.end() :]) if match else ("", raw)
    parts = _RETENTION.split(raw)
    body = []
    for position, part in enumerate(parts):
        if position % 2:
            body.append(("retention", {"heading": "", "selection": part}))
        elif part.strip():
            body.append(("text", RichText(part.strip())))
    return title, body


def on_post_migrate(sender, **kwargs) -> None:
    if page_tree_ready():
        legal_pages_ensure()
