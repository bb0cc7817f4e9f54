"""Demo articles for the knowledge base, in all eight portal languages (one module per language).

ARTICLES: per article its slug, topics, audience, review_by offset in days (negative: overdue), and per
language code a title, a summary and blocks in a compact form that knowledge/demo.py expands:
``intro`` (a paragraph), ``steps`` [(title, text)], ``faq`` [(question, answer)], ``contact`` (a line
for the "ask a question" box, empty for none). German is the source; every translation has the same
steps and questions (knowledge/tests/test_demo.py checks it), so a reader in any language can try the
portal with the whole text.
"""

from knowledge.demo_articles import ar, de, en, fr, ru, sq, tr, uk

TEXTS = {
    "de": de.TEXTS,
    "en": en.TEXTS,
    "ar": ar.TEXTS,
    "ru": ru.TEXTS,
    "tr": tr.TEXTS,
    "sq": sq.TEXTS,
    "uk": uk.TEXTS,
    "fr": fr.TEXTS,
}

_ARTICLES = [
    {"slug": "ankommen", "topics": ["arrival"], "review_in_days": 120},
    {"slug": "anerkennung", "topics": ["recognition", "work"], "review_in_days": -10},
    {"slug": "ausbildungsplatz-finden", "topics": ["work", "school"], "review_in_days": 200},
    {"slug": "deutschkurse", "topics": ["language"], "review_in_days": 60},
    {"slug": "wohnung-suchen", "topics": ["housing", "money"], "review_in_days": 30},
    {"slug": "schulpflicht", "topics": ["school"], "review_in_days": -40},
    {
        "slug": "leitfaden-weitervermittlung",
        "topics": ["other"],
        "audience": "internal",
        "review_in_days": 90,
    },
]

ARTICLES = [
    {**meta, **{code: texts[meta["slug"]] for code, texts in TEXTS.items() if meta["slug"] in texts}}
    for meta in _ARTICLES
]
