"""Import of JMD sites from the Servicebüro's register, exported as CSV.

The rules callers rely on:

- A site is matched on `code`. A known code updates that site, an unknown one creates a site whose slug
  is made from name and town (the slug is never changed afterwards: it is in public links).
- Every row is validated completely before anything is written; a rejected row writes nothing. Valid
  rows are written in batches of BATCH_SIZE file rows, each batch in its own transaction.
- A code that appears twice in the file: the first row counts, every later one is rejected.
- `provider_group` is the group's short name (case-insensitive). An unknown short name is rejected
  unless the optional column `provider_group_name` gives the full name; then the group is created.
  For an existing group `provider_group_name` is ignored: the import never renames a group.
- Optional columns that are missing from the file leave those fields of an existing site untouched
  (site leads edit some of them in the portal); a column that is present but empty clears the field,
  and an empty `offers` cell means the default "online;on_site".
"""

import csv
import io
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import IO, Any

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hub import fragments
from sites.models import FederalState, ProviderGroup, Site

BATCH_SIZE = 200
REQUIRED_COLUMNS = (
    "code",
    "name",
    "provider_group",
    "street",
    "postcode",
    "town",
    "federal_state",
    "latitude",
    "longitude",
)
# Where read_csv puts the row's line number in the file (header = line 1).
LINE_KEY = "_line"
OFFERS = ("online", "on_site", "groups")
DEFAULT_OFFERS = frozenset({"online", "on_site"})

# fmt: off
ISO_639_1 = frozenset({
    "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg", "bi",
    "bm", "bn", "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy", "da", "de",
    "dv", "dz", "ee", "el", "en", "eo", "es", "et", "eu", "fa", "ff", "fi", "fj", "fo", "fr", "fy",
    "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he", "hi", "ho", "hr", "ht", "hu", "hy", "hz", "ia",
    "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu", "ja", "jv", "ka", "kg", "ki", "kj", "kk",
    "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw", "ky", "la", "lb", "lg", "li", "ln", "lo",
    "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my", "na", "nb", "nd",
    "ne", "ng", "nl", "nn", "no", "nr", "nv", "ny", "oc", "oj", "om", "or", "os", "pa", "pi", "pl",
    "ps", "pt", "qu", "rm", "rn", "ro", "ru", "rw", "sa", "sc", "sd", "se", "sg", "si", "sk", "sl",
    "sm", "sn", "so", "sq", "sr", "ss", "st", "su", "sv", "sw", "ta", "te", "tg", "th", "ti", "tk",
    "tl", "tn", "to", "tr", "ts", "tt", "tw", "ty", "ug", "uk", "ur", "uz", "ve", "vi", "vo", "wa",
    "wo", "xh", "yi", "yo", "za", "zh", "zu",
})
# fmt: on
_SIX_PLACES = Decimal("0.000001")
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


class ImportFileError(ValueError):
    """The file as a whole cannot be read as a site register."""


@dataclass(frozen=True)
class RejectedRow:
    line: int
    code: str
    reasons: list[str]


@dataclass(frozen=True)
class WrittenRow:
    """A valid row and what it did (or, in a dry run, would do): "created", "updated" or "unchanged"."""

    line: int
    code: str
    name: str
    outcome: str


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)
    written: list[WrittenRow] = field(default_factory=list)


# --- reading the file -----------------------------------------------------------------------------


def read_csv(path_or_file: str | os.PathLike | IO) -> Iterator[dict]:
    """Rows of a register CSV as dicts keyed by the lower-cased header, plus LINE_KEY.

    Accepts UTF-8 with or without BOM and "," or ";" as delimiter. Raises OSError if the file cannot be
    opened and ImportFileError if it is not UTF-8 or lacks a required column. Blank rows are skipped;
    cells beyond the header are kept under the key None, as csv.DictReader does.
    """
    text = _read_text(path_or_file)
    # Decided on the header alone: data rows with decimal commas would make a whole-file sniffer guess ",".
    header_line = text.split("\n", 1)[0]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        columns = [name.strip().lower() for name in next(reader, [])]
        missing = [name for name in REQUIRED_COLUMNS if name not in columns]
        if missing:
            raise ImportFileError(
                gettext("The file lacks the columns: %(columns)s.") % {"columns": ", ".join(missing)}
            )
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            row: dict[Any, Any] = dict(zip(columns, cells, strict=False))
            row.update(dict.fromkeys(columns[len(cells) :], ""))
            if len(cells) > len(columns):
                row[None] = cells[len(columns) :]
            # line_num is the record's last line; a quoted value may span several.
            row[LINE_KEY] = reader.line_num - sum(cell.count("\n") for cell in cells)
            yield row
    except csv.Error as error:
        raise ImportFileError(
            gettext("Line %(line)d cannot be read: %(error)s") % {"line": reader.line_num, "error": error}
        ) from error


def _read_text(path_or_file: str | os.PathLike | IO) -> str:
    # Registers have a few hundred rows; reading them whole keeps one code path for paths and uploads.
    try:
        if isinstance(path_or_file, str | os.PathLike):
            with open(path_or_file, encoding="utf-8-sig", newline="") as file:
                return file.read()
        content = path_or_file.read()
        if isinstance(content, bytes):
            content = content.decode("utf-8-sig")
        return content.removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        raise ImportFileError(gettext("The file is not UTF-8 encoded text.")) from error


# --- validating a row -----------------------------------------------------------------------------


class _ProviderGroups:
    """Provider groups by short name, case-insensitive, including the ones the file introduces."""

    def __init__(self) -> None:
        groups = list(ProviderGroup.objects.all())
        self._by_short_name = {group.short_name.casefold(): group for group in groups}
        self._names = {group.name.casefold() for group in groups}

    def get(self, short_name: str) -> ProviderGroup | None:
        return self._by_short_name.get(short_name.casefold())

    def name_taken(self, name: str) -> bool:
        return name.casefold() in self._names

    def add(self, *, short_name: str, name: str) -> ProviderGroup:
        # Saved with the first batch that uses it, so a dry run or a failed batch leaves no group behind.
        group = ProviderGroup(short_name=short_name, name=name)
        self._by_short_name[short_name.casefold()] = group
        self._names.add(name.casefold())
        return group


class _StateField(forms.ChoiceField):
    def to_python(self, value):
        return super().to_python(value).strip().upper()


class _CoordinateField(forms.DecimalField):
    def to_python(self, value):
        # Spreadsheets with ";" as delimiter usually write decimal commas.
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


def _split_list(value: str) -> list[str]:
    return [item.strip().lower() for item in re.split(r"[;,]", value or "") if item.strip()]


def parse_language_codes(value: str) -> list[str]:
    """ "de, AR; fa" -> ["de", "ar", "fa"]: ISO 639-1 codes, de-duplicated, unknown ones refused.
    Used by the import and by the site profile form."""
    allowed = ISO_639_1 | {code.lower() for code, _name in settings.LANGUAGES}
    codes = list(dict.fromkeys(_split_list(value)))
    unknown = [code for code in codes if code not in allowed]
    if unknown:
        raise forms.ValidationError(
            _("Unknown language code %(codes)s. Use two-letter ISO 639-1 codes such as de or ar."),
            params={"codes": ", ".join(unknown)},
        )
    return codes


class SiteImportForm(forms.Form):
    """One register row. Pass the provider groups known so far (existing and from earlier rows)."""

    code = forms.CharField(max_length=20)
    name = forms.CharField(max_length=200)
    provider_group = forms.CharField(max_length=20)
    provider_group_name = forms.CharField(max_length=120, required=False)
    street = forms.CharField(max_length=200)
    postcode = forms.RegexField(regex=r"^\d{5}$", error_messages={"invalid": _("Enter exactly five digits.")})
    town = forms.CharField(max_length=120)
    federal_state = _StateField(
        choices=FederalState.choices,
        error_messages={
            "invalid_choice": _("Unknown federal state %(value)s. Use a two-letter code such as BE or NW.")
        },
    )
    latitude = _CoordinateField(
        min_value=-90,
        max_value=90,
        error_messages={
            "invalid": _("Enter the latitude as a decimal number."),
            "min_value": _("Enter a latitude between -90 and 90."),
            "max_value": _("Enter a latitude between -90 and 90."),
        },
    )
    longitude = _CoordinateField(
        min_value=-180,
        max_value=180,
        error_messages={
            "invalid": _("Enter the longitude as a decimal number."),
            "min_value": _("Enter a longitude between -180 and 180."),
            "max_value": _("Enter a longitude between -180 and 180."),
        },
    )
    phone = forms.CharField(max_length=40, required=False)
    email = forms.EmailField(
        max_length=254, required=False, error_messages={"invalid": _("Enter a valid e-mail address.")}
    )
    languages = forms.CharField(required=False)
    offers = forms.CharField(required=False)
    description_de = forms.CharField(required=False)

    def __init__(self, data: dict, *, provider_groups: _ProviderGroups):
        super().__init__(data)
        self._provider_groups = provider_groups

    def clean_latitude(self) -> Decimal:
        return self.cleaned_data["latitude"].quantize(_SIX_PLACES, rounding=ROUND_HALF_UP)

    def clean_longitude(self) -> Decimal:
        return self.cleaned_data["longitude"].quantize(_SIX_PLACES, rounding=ROUND_HALF_UP)

    def clean_languages(self) -> list[str]:
        return parse_language_codes(self.cleaned_data["languages"])

    def clean_offers(self) -> frozenset[str]:
        offers = _split_list(self.cleaned_data["offers"])
        unknown = [offer for offer in offers if offer not in OFFERS]
        if unknown:
            raise forms.ValidationError(
                _("Unknown offer %(offers)s. Use online, on_site or groups."),
                params={"offers": ", ".join(unknown)},
            )
        return frozenset(offers) or DEFAULT_OFFERS

    def clean(self) -> dict:
        cleaned = super().clean()
        short_name, name = cleaned.get("provider_group"), cleaned.get("provider_group_name")
        if not short_name or self._provider_groups.get(short_name) is not None:
            return cleaned
        if not name:
            self.add_error(
                "provider_group",
                forms.ValidationError(
                    _(
                        "Unknown provider group %(short_name)s. To create it, give its full name "
                        "in the column provider_group_name."
                    ),
                    params={"short_name": short_name},
                ),
            )
        elif self._provider_groups.name_taken(name):
            self.add_error(
                "provider_group_name",
                forms.ValidationError(
                    _("Another provider group is already called %(name)s."), params={"name": name}
                ),
            )
        return cleaned


@dataclass
class _ValidRow:
    line: int
    code: str
    group: ProviderGroup
    values: dict[str, Any]  # model field -> value, only for the columns the file has


def _site_values(cleaned: dict, columns: set[str]) -> dict[str, Any]:
    fields = ["code", "name", "street", "postcode", "town", "federal_state", "latitude", "longitude"]
    fields += [name for name in ("phone", "email", "languages", "description_de") if name in columns]
    values = {name: cleaned[name] for name in fields}
    if "offers" in columns:
        offers = cleaned["offers"]
        values |= {f"offers_{offer}": offer in offers for offer in OFFERS}
    return values


def _validate(
    row: dict, *, provider_groups: _ProviderGroups, seen_codes: dict[str, int], line: int
) -> _ValidRow | RejectedRow:
    code = str(row.get("code") or "").strip()
    data = {key: value for key, value in row.items() if isinstance(key, str) and key != LINE_KEY}
    form = SiteImportForm(data, provider_groups=provider_groups)
    reasons = [
        f"{name}: {message}" if name != NON_FIELD_ERRORS else str(message)
        for name, messages in form.errors.items()
        for message in messages
    ]
    if row.get(None):
        reasons.append(gettext("The row has more values than the header has columns."))
    if code and code in seen_codes:
        # Outside an f-string: makemessages does not find a msgid inside one.
        duplicate = gettext("Duplicate of line %(line)d.") % {"line": seen_codes[code]}
        reasons.append(f"code: {duplicate}")
    if code:
        seen_codes.setdefault(code, line)
    if reasons:
        return RejectedRow(line=line, code=code, reasons=reasons)
    cleaned = form.cleaned_data
    group = provider_groups.get(cleaned["provider_group"]) or provider_groups.add(
        short_name=cleaned["provider_group"], name=cleaned["provider_group_name"]
    )
    return _ValidRow(line=line, code=cleaned["code"], group=group, values=_site_values(cleaned, set(data)))


# --- writing --------------------------------------------------------------------------------------


def sites_import(*, rows: Iterable[dict], progress: Callable[[int], None] | None = None) -> ImportReport:
    """Create or update sites from register rows (see the module docstring for the rules).

    `progress` is called with the number of rows handled so far after each batch. Rows without
    LINE_KEY are numbered as if they came from a file with a header line.
    """
    report = ImportReport()
    provider_groups = _ProviderGroups()
    seen_codes: dict[str, int] = {}
    batch: list[_ValidRow] = []
    handled = 0
    for handled, row in enumerate(rows, start=1):
        line = row.get(LINE_KEY) or handled + 1
        result = _validate(row, provider_groups=provider_groups, seen_codes=seen_codes, line=line)
        if isinstance(result, RejectedRow):
            report.rejected.append(result)
        else:
            batch.append(result)
        if handled % BATCH_SIZE == 0:
            _write_batch(batch, report)
            batch = []
            if progress:
                progress(handled)
    if batch:
        _write_batch(batch, report)
    if progress and handled % BATCH_SIZE:
        progress(handled)
    return report


def _write_batch(rows: list[_ValidRow], report: ImportReport) -> None:
    # A fixed number of queries per batch: groups are new only once, sites are fetched in one go.
    with transaction.atomic():
        for row in rows:
            if row.group.pk is None:
                row.group.save()
        existing = Site.objects.in_bulk([row.code for row in rows], field_name="code")
        created, updated, changed_fields = [], [], set()
        for row in rows:
            values = row.values | {"provider_group_id": row.group.pk}
            site = existing.get(row.code)
            if site is None:
                created.append(Site(**values))
                report.written.append(WrittenRow(row.line, row.code, values["name"], "created"))
                continue
            changed = [name for name, value in values.items() if not _same(getattr(site, name), value)]
            for name in changed:
                setattr(site, name, values[name])
            if changed:
                updated.append(site)
                changed_fields.update(changed)
            else:
                report.unchanged += 1
            report.written.append(
                WrittenRow(row.line, row.code, values["name"], "updated" if changed else "unchanged")
            )
        if created:
            _assign_slugs(created)
            Site.objects.bulk_create(created)
        if updated:
            fields = sorted(
                "provider_group" if name == "provider_group_id" else name for name in changed_fields
            )
            Site.objects.bulk_update(updated, fields)
        if created or updated:
            fragments.bump("sites")  # bulk writes send no save signals (hub/fragments.py)
    report.created += len(created)
    report.updated += len(updated)


def _same(old: Any, new: Any) -> bool:
    # Translated text fields are NULL until someone writes them; an empty cell means the same.
    return old == new or (old in (None, "") and new in (None, ""))


def _slug_base(site: Site) -> str:
    name, town = slugify(site.name.translate(_UMLAUTS)), slugify(site.town.translate(_UMLAUTS))
    # Most register names already say the town ("JMD der AWO Essen"); saying it twice reads badly.
    base = name if town in name else f"{name}-{town}"
    return base[:190].strip("-") or "site"


def _assign_slugs(sites: list[Site]) -> None:
    bases = [_slug_base(site) for site in sites]
    matching = Q()
    for base in set(bases):
        matching |= Q(slug__startswith=base)
    taken = set(Site.objects.filter(matching).values_list("slug", flat=True))
    for site, base in zip(sites, bases, strict=True):
        slug, number = base, 2
        while slug in taken:
            slug, number = f"{base}-{number}", number + 1
        site.slug = slug
        taken.add(slug)
