"""Aggregated counters (campaign reach, helpful votes, searches without a result): one row per key with a
count, never a row per person."""

from django.db import IntegrityError, transaction
from django.db.models import F


def counter_increment(model, *, lookup: dict, field: str = "count", create: dict | None = None) -> None:
    """`field` + 1 on the row for `lookup`, created on first use (with `create` as further columns); an
    atomic UPDATE, so two requests racing for the same row both count."""
    if model.objects.filter(**lookup).update(**{field: F(field) + 1}):
        return
    try:
        with transaction.atomic():
            model.objects.create(**lookup, **(create or {}), **{field: 1})
    except IntegrityError:  # another request created the row in between
        model.objects.filter(**lookup).update(**{field: F(field) + 1})
