"""CSV downloads for staff (statistics, campaign reach, training reports): one response set-up, and every
text cell guarded against spreadsheet formulas."""

import csv

from django.http import HttpResponse

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@")


class _GuardedWriter:
    def __init__(self, out):
        self._writer = csv.writer(out)

    def writerow(self, row) -> None:
        self._writer.writerow(
            [
                f"'{cell}" if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) else cell
                for cell in row
            ]
        )


def csv_download(filename: str) -> tuple[HttpResponse, _GuardedWriter]:
    """The response (an attachment named `filename`) and a writer that guards every text cell."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response, _GuardedWriter(response)


def guarded_writer(out) -> _GuardedWriter:
    """The same guarded writer over any text file (an export kept in the cache is written to a buffer)."""
    return _GuardedWriter(out)
