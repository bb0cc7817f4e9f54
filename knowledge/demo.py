"""Demo knowledge base (``make run`` only): six articles for young people and one internal guide for
staff, each in all eight portal languages (knowledge/demo_articles/); two are overdue for review."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from wagtail.rich_text import RichText

from knowledge.demo_articles import ARTICLES
from knowledge.models import ArticlePage, ArticleTopic
from knowledge.services import knowledge_index_ensure


def load(out) -> list[dict]:
    index = knowledge_index_ensure()
    for entry in ARTICLES:
        existing = ArticlePage.objects.filter(slug_de=entry["slug"]).first()
        if existing is not None:
            _complete(existing, entry)
            continue
        article = ArticlePage(
            slug=entry["slug"],
            audience=entry.get("audience", "public"),
            review_by=timezone.localdate() + timedelta(days=entry["review_in_days"]),
        )
        for code, _name in settings.LANGUAGES:
            if code in entry:
                _fill(article, code, entry[code], entry["slug"])
        article.title = entry["de"]["title"]
        index.add_child(instance=article)
        for topic in entry["topics"]:
            ArticleTopic.objects.create(article=article, topic=topic)
    return []


def _complete(article: ArticlePage, entry: dict) -> None:
    """A demo database from before a language was added gets the missing translations – unless an editor
    has worked on the article since (it has revisions: the editor's text stays as it is)."""
    if article.revisions.exists():
        return
    missing = [code for code, _name in settings.LANGUAGES if code in entry and not article.has_language(code)]
    for code in missing:
        _fill(article, code, entry[code], entry["slug"])
    if missing:
        article.save()


def _fill(article: ArticlePage, code: str, text: dict, slug: str) -> None:
    setattr(article, f"title_{code}", text["title"])
    setattr(article, f"slug_{code}", slug if code == "de" else f"{slug}-{code}")
    setattr(article, f"summary_{code}", text["summary"])
    body = [("text", RichText(f"<p>{text['intro']}</p>"))]
    body.append(("steps", {"heading": "", "steps": [{"title": t, "text": d} for t, d in text["steps"]]}))
    body += [("faq", {"question": q, "answer": RichText(f"<p>{a}</p>")}) for q, a in text["faq"]]
    if text["contact"]:
        body.append(("contact", {"heading": "", "text": text["contact"]}))
    setattr(article, f"body_{code}", body)
