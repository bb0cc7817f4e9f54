"""Contact details and watched words: what holds or blocks a post."""

import pytest

from counseling.forum.models import WatchedWord
from counseling.forum.rules import check_words, contact_reasons


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Ruf mich an: 0176 12345678", "de"),
        ("meine nummer +49 151 2345 6789", "de"),
        ("пиши 8 912 345-67-89", "ru"),
        ("+7 (912) 345 67 89 вечером", "ru"),
        ("numaram 0532 123 45 67", "tr"),
        ("0176/1234567", "de"),
    ],
)
def test_phone_numbers_are_found(text, language):
    assert "phone" in contact_reasons(text, language=language)


@pytest.mark.parametrize(
    "text",
    ["schreib an lena.k@gmail.com", "lena.k (at) gmail (dot) com", "mail: lena [at] web [dot] de"],
)
def test_email_addresses_are_found(text):
    assert "email" in contact_reasons(text)


@pytest.mark.parametrize(
    "text",
    [
        "folgt mir @lena_2009",
        "instagram.com/lena2009",
        "https://t.me/lena_k",
        "wa.me/4917612345678",
        "snap: lena.k09",
        "Insta lena_k09",
        "мой telegram: lenochka",
        "tiktok.com/@lena",
    ],
)
def test_social_media_handles_are_found(text):
    assert "social" in contact_reasons(text)


@pytest.mark.parametrize(
    "text",
    [
        "Ich habe am 01.09.2025 angefangen und verdiene 1200 Euro.",
        "Seit 2019 bin ich in Deutschland, ich bin 17.",
        "Signal words in German: weil, obwohl.",
        "Big problem with my visa, I need help.",
        "Я живу в Берлине 3 года.",
    ],
)
def test_ordinary_text_is_not_held(text):
    assert contact_reasons(text, language="ru") == []


@pytest.mark.django_db
def test_watched_words_per_language_whole_words_or_prefix():
    WatchedWord.objects.create(word="idiot", language="de", action=WatchedWord.Action.BLOCK)
    WatchedWord.objects.create(word="убить себя", language="ru", kind=WatchedWord.Kind.SELF_HARM)
    WatchedWord.objects.create(word="umbring*", language="", kind=WatchedWord.Kind.SELF_HARM)

    assert check_words("Du Idiot!", language="de").blocked == ["idiot"]
    assert check_words("Idioten-Test", language="de").blocked == []  # whole word only
    assert check_words("Du Idiot!", language="ru").blocked == []  # another language's list
    russian = check_words("Иногда хочу убить себя", language="ru")
    assert russian.held == ["убить себя"] and russian.self_harm and not russian.blocked
    assert check_words("ich will mich umbringen", language="tr").self_harm  # prefix, every language
    assert not check_words("Alles gut", language="de").self_harm
    WatchedWord.objects.create(word="*انتحار", language="ar", kind=WatchedWord.Kind.SELF_HARM)
    assert check_words("أفكر في الانتحار", language="ar").self_harm  # the article is attached
