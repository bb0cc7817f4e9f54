"""The knowledge base's search index, on both databases: how it is written and how it is matched.

PostgreSQL: per article and portal language a stored tsvector (ArticleSearchVectors.vector_<code>), made
with the language's text-search configuration from the stored title (weight A) and text (summary and
body, weight B), each column GIN-indexed (migration 0002). A search reads the stored column through its
index; nothing calls to_tsvector on article text at query time.

SQLite (the embedded default): an FTS5 table, one row per article and language, holding our own stems
(knowledge/stemming.py) of title and text; the tokenizer (unicode61, remove_diacritics 2) folds case
in every script and drops Latin accents, and every query word is matched as a stem prefix.

Both are written when an article's content is saved (ArticlePage.save: publishing, scheduled publishing,
reverting, copying, the demo data) and rebuilt by `manage.py knowledge_search_rebuild`. An index row may
hold a draft's or an unpublished article's text: matching is always combined with the reader's own
scope (knowledge/access.py), so such articles are never found.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, FloatField, Q, Value
from django.db.models.functions import Coalesce, Greatest

from hub import fragments
from knowledge.lemmas import lemma, query_variant
from knowledge.stemming import stem, stems, words

# PostgreSQL's text-search configurations per portal language (`SELECT cfgname FROM pg_ts_config` on
# PostgreSQL 15 has all but these two). Albanian and Ukrainian get "simple" (lower-cased words, no
# stemming) plus our stems as prefixes at query time.
SEARCH_CONFIGS = {
    "de": "german",
    "en": "english",
    "ar": "arabic",
    "ru": "russian",
    "tr": "turkish",
    "fr": "french",
    "sq": "simple",
    "uk": "simple",
}
SOURCE_LANGUAGE = "de"
SOURCE_WEIGHT = 0.9  # an article found by its German text ranks a little below one found in the reader's
QUERY_WORDS = 8

VECTORS_TABLE = "knowledge_articlesearchvectors"
FTS_TABLE = "knowledge_article_fts"
# FTS5 row id = article id * 16 + the language's position in LANGUAGES: an article's rows are one rowid
# range (cheap to replace), and a row's language needs no column of its own.
FTS_SLOTS = 16
FTS_CREATE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    "title, body, tokenize = 'unicode61 remove_diacritics 2')"
)


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


# Writing ----------------------------------------------------------------------------------------------


def articles_index_update(article_ids: list[int]) -> None:
    """Index these articles' stored content (ArticlePage.save calls it for one)."""
    _index(list(article_ids))


def article_index_remove(article_id: int) -> None:
    # PostgreSQL's rows go with the article (a foreign key); FTS5 rows have none.
    if connection.vendor == "sqlite":
        _fts_delete([article_id])


def search_index_rebuild() -> int:
    """Every article indexed afresh (after a bulk import or a restore); returns how many."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608 - a constant
    return _index(None)


def _index(article_ids: list[int] | None) -> int:
    if article_ids == []:
        return 0
    # Bulk writers (imports, tests) skip the save signals but always index: the knowledge fragments
    # (the page's hits and articles, hub/fragments.py) must not outlive what was written.
    fragments.bump("knowledge")
    if connection.vendor == "postgresql":
        return _vectors_write(article_ids)
    if connection.vendor == "sqlite":
        return _fts_write(article_ids)
    return 0


def _vectors_write(article_ids: list[int] | None) -> int:
    """One statement: the vectors are made in the database from the stored columns."""
    codes = languages()
    vectors = ", ".join(
        f"setweight(to_tsvector('{SEARCH_CONFIGS.get(code, 'simple')}'::regconfig, "
        f"coalesce(page.title_{code}, '')), 'A') || "
        f"setweight(to_tsvector('{SEARCH_CONFIGS.get(code, 'simple')}'::regconfig, "
        f"coalesce(article.search_text_{code}, '')), 'B')"
        for code in codes
    )
    columns = ", ".join(f"vector_{code}" for code in codes)
    updates = ", ".join(f"vector_{code} = excluded.vector_{code}" for code in codes)
    where = "" if article_ids is None else "WHERE article.page_ptr_id = ANY(%s)"
    sql = (
        f"INSERT INTO {VECTORS_TABLE} (article_id, {columns}) "  # noqa: S608 - names from settings, no input
        f"SELECT article.page_ptr_id, {vectors} FROM knowledge_articlepage article "
        f"JOIN wagtailcore_page page ON page.id = article.page_ptr_id {where} "
        f"ON CONFLICT (article_id) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [] if article_ids is None else [list(article_ids)])
        return cursor.rowcount


def _fts_write(article_ids: list[int] | None) -> int:
    codes = languages()
    titles = ", ".join(f"page.title_{code}" for code in codes)
    texts = ", ".join(f"article.search_text_{code}" for code in codes)
    where = (
        ""
        if article_ids is None
        else f"WHERE article.page_ptr_id IN ({', '.join(['%s'] * len(article_ids))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT article.page_ptr_id, {titles}, {texts} FROM knowledge_articlepage article "  # noqa: S608
            f"JOIN wagtailcore_page page ON page.id = article.page_ptr_id {where}",
            list(article_ids or []),
        )
        articles = cursor.fetchall()
    if article_ids is not None:
        _fts_delete(article_ids)
    rows = []
    for article_id, *fields in articles:
        for position, code in enumerate(codes):
            title, text = fields[position] or "", fields[len(codes) + position] or ""
            if title.strip() or text.strip():
                rows.append(
                    (
                        article_id * FTS_SLOTS + position,
                        " ".join(stems(title, code)),
                        " ".join(stems(text, code)),
                    )
                )
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {FTS_TABLE} (rowid, title, body) VALUES (%s, %s, %s)", rows)  # noqa: S608
    return len(articles)


def _fts_delete(article_ids) -> None:
    with connection.cursor() as cursor:
        cursor.executemany(
            f"DELETE FROM {FTS_TABLE} WHERE rowid >= %s AND rowid < %s",  # noqa: S608 - a constant
            [(pk * FTS_SLOTS, (pk + 1) * FTS_SLOTS) for pk in article_ids],
        )


# Matching ---------------------------------------------------------------------------------------------


def postgres_match(articles, query: str, language: str):
    """The articles (a queryset) matching in the reader's language or in the German source, with a
    `score`, best first."""

    def on(code: str):
        column = f"search_vectors__vector_{code}"
        tsquery = _tsquery(query, code)
        return Q(**{column: tsquery}), SearchRank(F(column), tsquery)

    match, score = on(language)
    if language != SOURCE_LANGUAGE:
        # Untranslated articles are read in German, so they are found by their German text as well.
        source_match, source_score = on(SOURCE_LANGUAGE)
        match |= source_match
        score = Greatest(score, source_score * Value(SOURCE_WEIGHT))
    return (
        articles.filter(match)
        .annotate(score=Coalesce(score, Value(0.0), output_field=FloatField()))
        .order_by("-score", "pk")
    )


def _tsquery(query: str, code: str):
    config = SEARCH_CONFIGS.get(code, "simple")
    tsquery = SearchQuery(query, search_type="websearch", config=config)
    if variant := query_variant(query, code):
        tsquery |= SearchQuery(variant, search_type="websearch", config=config)
    if config == "simple":
        # No stemmer in PostgreSQL: our stems as prefixes ("квартиру" finds "квартира"). Stems are word
        # characters only (\w+), so they need no quoting beyond the lexeme quotes.
        prefixes = [f"'{stem(word, code)}':*" for word in words(query)[:QUERY_WORDS]]
        if prefixes:
            tsquery |= SearchQuery(" & ".join(prefixes), search_type="raw", config=config)
    return tsquery


def sqlite_scores(query: str, language: str) -> dict[int, float]:
    """{article id: score} of the FTS5 matches in the reader's language or in the German source."""
    position = {code: index for index, code in enumerate(languages())}
    scores: dict[int, float] = {}
    for code in dict.fromkeys([language, SOURCE_LANGUAGE]):
        expression = _fts_query(query, code)
        if not expression or code not in position:
            continue
        weight = 1.0 if code == language else SOURCE_WEIGHT
        with connection.cursor() as cursor:
            # bm25 is lower for better matches; the title counts ten times the text.
            cursor.execute(
                f"SELECT rowid, bm25({FTS_TABLE}, 10.0, 1.0) FROM {FTS_TABLE} "  # noqa: S608 - a constant
                f"WHERE {FTS_TABLE} MATCH %s AND rowid %% {FTS_SLOTS} = %s",
                [expression, position[code]],
            )
            for rowid, rank in cursor.fetchall():
                article_id = rowid // FTS_SLOTS
                scores[article_id] = max(scores.get(article_id, 0.0), -rank * weight)
    return scores


def _fts_query(query: str, code: str) -> str:
    """Every word must match, as the prefix of a stem: its own stem or its lemma's ("anerkannt")."""
    terms = []
    for word in words(query)[:QUERY_WORDS]:
        forms = {stem(word, code)}
        if replaced := lemma(word, code):
            forms.update(stems(replaced, code))
        terms.append("(" + " OR ".join(f'"{form}"*' for form in sorted(forms)) + ")")
    return " AND ".join(terms)
