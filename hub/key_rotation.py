"""Master-key rotation: every wrapped data key and every secret sealed directly with the master key is
brought under the current ENCRYPTION_KEY.

What is rotated is found, not listed: every `WrappedKeyField` of every model of ours (hub/sealed.py) and
the entries of `MASTER_SEALED_JSON`. Sealed content itself is not touched – only the small wrapped keys
change – so rotation stays fast with millions of messages. Each row is re-read under a row lock and
skipped when it is already current, so the run can be repeated and resumed after an interruption.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.db import models, transaction

from hub import crypto, sealed


@dataclass
class RotationReport:
    rewrapped: dict[str, int] = field(default_factory=dict)
    current: int = 0
    unreadable: list[str] = field(default_factory=list)  # "label pk": kept as it was


def master_key_rotate() -> RotationReport:
    report = RotationReport()
    for model, key_field in sealed.fields_of(sealed.WrappedKeyField):
        _rewrap_column(model, key_field.attname, report)
    for entry in sealed.MASTER_SEALED_JSON:
        _reseal_json(apps.get_model(entry.model), entry, report)
    return report


def _rewrap_column(model: type[models.Model], column: str, report: RotationReport) -> None:
    label = f"{model._meta.label}.{column}"
    rows = model._default_manager.exclude(**{column: b""}).values_list("pk", column).order_by("pk")
    for pk, wrapped in rows.iterator(chunk_size=500):
        if not crypto.needs_rewrap(wrapped):
            report.current += 1
            continue
        with transaction.atomic():
            locked = model._default_manager.select_for_update().filter(pk=pk).values_list(column, flat=True)
            wrapped = locked.first()
            if not wrapped or not crypto.needs_rewrap(wrapped):
                continue  # destroyed or rotated meanwhile
            try:
                rewrapped = crypto.wrap(crypto.unwrap(wrapped))
            except crypto.KeyUnavailable:
                report.unreadable.append(f"{label} {pk}")
                continue
            # update(), not save(): no model logic runs, and only this column is written.
            model._default_manager.filter(pk=pk).update(**{column: rewrapped})
        report.rewrapped[label] = report.rewrapped.get(label, 0) + 1


def _reseal_json(model: type[models.Model], entry: sealed.MasterSealedJSON, report: RotationReport) -> None:
    label = f"{model._meta.label}.{entry.field}"
    for pk in model._default_manager.values_list("pk", flat=True).order_by("pk").iterator(chunk_size=500):
        with transaction.atomic():
            row = model._default_manager.select_for_update().filter(pk=pk).first()
            if row is None:
                continue
            data = dict(getattr(row, entry.field) or {})
            try:
                changed = _reseal_entries(data, entry.keys)
            except crypto.KeyUnavailable:
                report.unreadable.append(f"{label} {pk}")
                continue
            if not changed:
                report.current += 1
                continue
            model._default_manager.filter(pk=pk).update(**{entry.field: data})
        report.rewrapped[label] = report.rewrapped.get(label, 0) + 1


def _reseal_entries(data: dict, keys: tuple[str, ...]) -> bool:
    changed = False

    def current(value: str) -> str:
        nonlocal changed
        if not sealed.text_needs_reseal(value):
            return value
        changed = True
        return sealed.reseal_text(value)

    for key in keys:
        if isinstance(data.get(key), str):
            data[key] = current(data[key])
        elif isinstance(data.get(key), list):
            data[key] = [current(value) for value in data[key]]
    return changed
