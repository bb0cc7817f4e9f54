"""One SQLite database migrated from scratch per test run, for the tests of the embedded default.

`make run`'s first step, `manage.py migrate` on an empty SQLite file, costs half a minute of CPU (Wagtail,
allauth, our data migrations) and several times that in wall time on a loaded disk (a commit per
migration). The embedded-default test and the SQLite search test each did it; now the first of them to
ask migrates once (the migration from scratch is still checked, right here) and each copies the file.
Under pytest-xdist the workers share it through the run's base temporary directory; a lock keeps a
second worker waiting until the first has finished migrating.
"""

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings


def embedded_env(database: Path) -> dict[str, str]:
    """The environment of `make run`: no services, the real settings, SQLite at `database`."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    return {**env, "DATABASE_URL": f"sqlite:///{database}", "DJANGO_SETTINGS_MODULE": "hub.settings"}


@pytest.fixture(scope="session")
def migrated_sqlite(request, tmp_path_factory) -> Path:
    """The path of an SQLite database `manage.py migrate --noinput` built from nothing; copy it, never
    write to it (copy_migrated_sqlite)."""
    base = tmp_path_factory.getbasetemp()
    # A worker's base is pytest-N/popen-gwK: the run's own directory, shared by its workers, is its parent.
    root = base.parent if hasattr(request.config, "workerinput") else base
    database = root / "migrated.sqlite3"
    with open(root / "migrated.sqlite3.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not database.exists():
            building = root / "migrating.sqlite3"
            building.unlink(missing_ok=True)
            result = subprocess.run(
                [sys.executable, "manage.py", "migrate", "--noinput"],
                cwd=settings.BASE_DIR,
                env=embedded_env(building),
                capture_output=True,
                text=True,
            )
            assert result.returncode == 0, result.stderr[-4000:]
            building.rename(database)  # only a complete migration is ever shared
    return database


def copy_migrated_sqlite(migrated_sqlite: Path, target: Path) -> Path:
    shutil.copyfile(migrated_sqlite, target)
    return target
