from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from sites import importer


class ProgressBar:
    """A plain-text bar redrawn in place with a carriage return: `[#####.....] 250/500`."""

    WIDTH = 30

    def __init__(self, out, *, total: int):
        self.out, self.total = out, total

    def update(self, done: int) -> None:
        filled = self.WIDTH * done // self.total if self.total else self.WIDTH
        bar = "#" * filled + "." * (self.WIDTH - filled)
        # stderr is styled as an error; the bar is not one.
        self.out.write(f"\r[{bar}] {done}/{self.total}", style_func=str, ending="")
        self.out.flush()

    def finish(self) -> None:
        self.out.write("", style_func=str)


class Command(BaseCommand):
    help = "Import JMD sites from the Servicebüro's register (CSV, UTF-8, delimiter ',' or ';')."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the register as CSV")
        parser.add_argument("--dry-run", action="store_true", help="validate and report, write nothing")

    def handle(self, *args, file: str, dry_run: bool, **options):
        try:
            rows = list(importer.read_csv(file))
        except (OSError, importer.ImportFileError) as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": error}
            ) from error
        progress = ProgressBar(self.stderr, total=len(rows))
        progress.update(0)
        if dry_run:
            with transaction.atomic():
                report = importer.sites_import(rows=rows, progress=progress.update)
                transaction.set_rollback(True)
        else:
            report = importer.sites_import(rows=rows, progress=progress.update)
        progress.finish()
        self._print_report(report, dry_run=dry_run)

    def _print_report(self, report: importer.ImportReport, *, dry_run: bool) -> None:
        if dry_run:
            self.stdout.write(_("Dry run: nothing was written."))
        counts = {
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "rejected": len(report.rejected),
        }
        self.stdout.write(
            _("%(created)d created, %(updated)d updated, %(unchanged)d unchanged, %(rejected)d rejected.")
            % counts
        )
        for row in report.rejected:
            self.stdout.write(
                _("line %(line)d (%(code)s): %(reasons)s")
                % {"line": row.line, "code": row.code or "-", "reasons": " ".join(row.reasons)}
            )
