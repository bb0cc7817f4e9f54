"""Plain text out of an article's StreamField, for the search index."""

from django.utils.html import strip_tags
from wagtail.rich_text import RichText


def stream_plain_text(value) -> str:
    parts: list[str] = []
    _collect(value, parts)
    return "\n".join(part for part in parts if part)


def _collect(value, parts: list[str]) -> None:
    if value is None:
        return
    if isinstance(value, RichText):
        parts.append(strip_tags(value.source.replace("</p>", "</p>\n")))
    elif isinstance(value, str):
        parts.append(value)
    elif hasattr(value, "block_type") and hasattr(value, "value"):  # a StreamValue child
        _collect(value.value, parts)
    elif isinstance(value, dict):  # StructValue
        for item in value.values():
            _collect(item, parts)
    elif hasattr(value, "title") and hasattr(value, "file"):  # a document
        parts.append(value.title)
    elif isinstance(value, list | tuple) or hasattr(value, "__iter__"):
        for item in value:
            _collect(item, parts)
