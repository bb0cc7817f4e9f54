"""Demo legal pages (``make run``): the same default texts a fresh database gets after migrate."""

from hub.legal.services import legal_pages_ensure


def load(out) -> list[dict]:
    legal_pages_ensure()
    return []
