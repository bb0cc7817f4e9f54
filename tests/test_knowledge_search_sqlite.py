"""The knowledge search on the embedded default (SQLite, FTS5) behaves as on PostgreSQL: the search tests
run once more in a pytest of their own on SQLite.

A subprocess rather than a second database alias: the suite's database is PostgreSQL, and the knowledge
base needs Wagtail's whole page tree in the database it searches, so the honest check is the same tests
against a migrated SQLite database, as `make run` has it."""

import os
import re
import subprocess
import sys

import pytest
from django.conf import settings

from tests.fixtures_sqlite import copy_migrated_sqlite

pytestmark = pytest.mark.slow

SEARCH_TESTS = ["knowledge/tests/test_search.py", "knowledge/tests/test_stemming.py"]
POSTGRES_ONLY = 3  # the stored vectors' own tests (marked postgres_only)


def test_the_search_tests_pass_on_sqlite(tmp_path, migrated_sqlite):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path}/db.sqlite3"
    # The test database: a copy of the run's migrated SQLite (tests/fixtures_sqlite.py), kept as it is by
    # --reuse-db (pytest-django then only checks that no migration is left), instead of migrating an
    # in-memory one from scratch once more.
    env["TEST_SQLITE_DATABASE"] = str(copy_migrated_sqlite(migrated_sqlite, tmp_path / "test.sqlite3"))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            *SEARCH_TESTS,
            "-q",
            "-p",
            "no:cacheprovider",
            "-o",
            "addopts=",
            "--reuse-db",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    counts = {word: int(number) for number, word in re.findall(r"(\d+) (passed|skipped|failed)", summary)}
    assert counts.get("skipped", 0) == POSTGRES_ONLY, summary  # nothing else may skip itself on SQLite
    assert counts["passed"] > 30, summary
