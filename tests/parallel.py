"""One migrated PostgreSQL database per parallel test run, copied for each worker.

Migrating the test database takes tens of seconds of CPU (Wagtail, allauth, our own data migrations);
each pytest-xdist worker doing so for its own database would spend that once per worker. Instead the
controller process migrates a template once (`template_start`, called from the pytest_xdist_setupnodes
hook in conftest.py), each worker copies it with CREATE DATABASE … TEMPLATE into its own database
(pytest-django's name: test_jmd_hub_gw0, …) and drops that copy at its end; the controller drops the
template last. A serial run, SQLite, or a worker told that the template failed sets its database up the
usual way (pytest-django's own django_db_setup).

The controller migrates in a thread while the workers start: they import Django and every test module
(seconds of CPU each) and run the tests that need no test database (those go first: slow_tests_first)
meanwhile. A worker's first database test waits for the template (`template_status`: a file the
controller writes when the template is ready, or failed).
"""

import contextlib
import io
import logging
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

import pytest
from pytest_django.plugin import blocking_manager_key

from tests import table_reset

_TEMPLATE_CONFIG = pytest.StashKey[list]()
TEMPLATE_SUFFIX = "_template"


def _is_postgresql(settings_dict) -> bool:
    return settings_dict["ENGINE"] == "django.db.backends.postgresql"


def _template_name(settings_dict) -> str:
    from django.db.backends.base.creation import TEST_DATABASE_PREFIX

    return f"{TEST_DATABASE_PREFIX}{settings_dict['NAME']}{TEMPLATE_SUFFIX}"


_TEMPLATE_THREAD = pytest.StashKey[threading.Thread]()
_STATUS_FILE = pytest.StashKey[Path]()
WORKER_INPUT_STATUS = "jmd_template_status"
READY, FAILED = "ready", "failed"
TEMPLATE_WAIT_SECONDS = 30 * 60  # a loaded CI machine took minutes to migrate


def template_start(config: pytest.Config) -> None:
    """Start migrating the template database in a thread of the controller, before the workers start."""
    from django.conf import settings

    if not _is_postgresql(settings.DATABASES["default"]):
        return
    status = Path(tempfile.mkdtemp(prefix="jmd-template-")) / "status"
    config.stash[_STATUS_FILE] = status
    thread = threading.Thread(target=_template_create, args=(config, status), name="template", daemon=True)
    config.stash[_TEMPLATE_THREAD] = thread
    thread.start()


def configure_worker(config: pytest.Config, workerinput: dict) -> None:
    """Tell a worker where the controller reports on the template (pytest_configure_node)."""
    status = config.stash.get(_STATUS_FILE, None)
    if status is not None:
        workerinput[WORKER_INPUT_STATUS] = str(status)


def _template_create(config: pytest.Config, status: Path) -> None:
    from django.conf import settings
    from django.db import connections
    from django.test.utils import setup_databases

    database = settings.DATABASES["default"]
    database.setdefault("TEST", {})["NAME"] = _template_name(database)
    outcome = FAILED
    try:
        # Quietly: data migrations print (and log) what they create, which would stand above the test
        # report. (Only this thread prints meanwhile: the controller's report goes to its own writer.)
        with (
            config.stash[blocking_manager_key].unblock(),
            contextlib.redirect_stdout(io.StringIO()),
            _logging_off(),
        ):
            config.stash[_TEMPLATE_CONFIG] = setup_databases(
                verbosity=0, interactive=False, aliases={"default"}, serialized_aliases=set()
            )
            # CREATE DATABASE … TEMPLATE refuses while anyone is connected to the template.
            connections["default"].close()
        outcome = READY
    finally:
        status.write_text(outcome)


def template_status(config: pytest.Config) -> str:
    """In a worker: READY once the controller's template is migrated, FAILED if it failed or there is
    none coming (serial run, SQLite)."""
    path = getattr(config, "workerinput", {}).get(WORKER_INPUT_STATUS)
    if not path:
        return FAILED
    deadline = time.monotonic() + TEMPLATE_WAIT_SECONDS
    while not os.path.exists(path):
        if time.monotonic() > deadline:
            return FAILED
        time.sleep(0.2)
    with open(path) as status:
        return status.read()


@contextlib.contextmanager
def _logging_off():
    logging.disable(logging.INFO)
    try:
        yield
    finally:
        logging.disable(logging.NOTSET)


def template_drop(config: pytest.Config) -> None:
    from django.test.utils import teardown_databases

    thread = config.stash.get(_TEMPLATE_THREAD, None)
    if thread is not None:
        thread.join()  # a run stopped early (collection error) may end before the template is ready
    status = config.stash.get(_STATUS_FILE, None)
    if status is not None:
        shutil.rmtree(status.parent, ignore_errors=True)
    old_config = config.stash.get(_TEMPLATE_CONFIG, None)
    if old_config:
        for connection, _old_name, _destroy in old_config:
            connection.inc_thread_sharing()  # made in the template's thread, dropped from this one
        with config.stash[blocking_manager_key].unblock():
            teardown_databases(old_config, verbosity=0)


def _template_exists(connection, template: str) -> bool:
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
        return cursor.fetchone() is not None


def _copy(connection, template: str, target: str) -> None:
    from django.db import OperationalError

    quote = connection.ops.quote_name
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(target)}")  # left over from a run that crashed
        for attempt in range(20):
            try:
                cursor.execute(f"CREATE DATABASE {quote(target)} TEMPLATE {quote(template)}")
                return
            except OperationalError:  # "source database is being accessed by other users": a moment
                if attempt == 19:
                    raise
                time.sleep(0.5)


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_modify_db_settings):
    """pytest-django's django_db_setup, except in a worker of a parallel run on PostgreSQL: there the
    worker's database is a copy of the controller's migrated template."""
    from django.conf import settings
    from django.db import connections

    connection = connections["default"]
    template = _template_name(connection.settings_dict) if _is_postgresql(connection.settings_dict) else ""
    copy = False
    if hasattr(request.config, "workerinput") and template and template_status(request.config) == READY:
        with django_db_blocker.unblock():
            copy = _template_exists(connection, template)
    if not copy:
        request.getfixturevalue("django_db_setup")  # pytest-django's own
        with django_db_blocker.unblock():
            table_reset.remember(connection)
        yield
        return
    target = connection.settings_dict["TEST"]["NAME"]  # with the worker's suffix (pytest-django)
    with django_db_blocker.unblock():
        old_name = connection.settings_dict["NAME"]
        _copy(connection, template, target)
        connection.close()
        settings.DATABASES["default"]["NAME"] = connection.settings_dict["NAME"] = target
        table_reset.remember(connection)
    yield
    with django_db_blocker.unblock():
        connection.close()
        settings.DATABASES["default"]["NAME"] = connection.settings_dict["NAME"] = old_name
        with connection._nodb_cursor() as cursor:
            # A live server's or a socket's thread may still hold a connection at the very end (seen as
            # "being accessed by other users" on the worker's last test): FORCE ends those sessions.
            cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(target)} WITH (FORCE)")


def _django_order(item: pytest.Item) -> int:
    """pytest-django's (and Django's) order: database tests 0, transactional ones 1, the rest 2."""
    marker, fixtures = item.get_closest_marker("django_db"), getattr(item, "fixturenames", ())
    transactional = "transactional_db" in fixtures or "live_server" in fixtures
    if marker:
        transactional |= bool(marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))
    if transactional:
        return 1
    return 0 if marker or "db" in fixtures else 2


def slow_tests_first(items: list[pytest.Item]) -> None:
    """Workers take tests in collection order, so a test of minutes collected last (the fuzz and language
    tests are in tests/, collected last) would run alone at the end while the other workers idle. Slow
    tests go first within pytest-django's groups (a transactional test empties the database, so database
    tests still come before those); slow tests that need no test database at all (their own SQLite in a
    subprocess) go to the very front."""

    groups: dict[str, set[int]] = {}
    for item in items:
        if (group := _group_of(item)) is not None:
            groups.setdefault(group, set()).add(_django_order(item))

    def key(item):
        slow = item.get_closest_marker("slow") is not None
        order = _django_order(item)
        if (group := _group_of(item)) is not None:
            # xdist schedules a group as one unit where its first test stands: a group with a
            # transactional test (which empties the tables, migrations' rows included) goes among the
            # transactional tests, so that no database test runs after it on that worker.
            order = max((o for o in groups[group] if o < 2), default=2)
        own_database = order == 2 and "django_db_setup" not in getattr(item, "fixturenames", ())
        return (0 if slow and own_database else 1, order, 0 if slow else 1)

    items.sort(key=key)


def _group_of(item: pytest.Item) -> str | None:
    """The xdist group name as xdist makes it: the sorted names of every xdist_group mark, joined by "_"."""
    names = {
        str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
        for mark in item.iter_markers("xdist_group")
    }
    return "_".join(sorted(names)) if names else None


def keep_collection_order(config: pytest.Config) -> None:
    """In the controller: xdist's loadgroup scheduler would move the groups to the front (largest unit
    first, `--loadscope-reorder`), ahead of the order slow_tests_first gives, so a group with a
    transactional test would empty a worker's tables before that worker's database tests."""
    if not hasattr(config, "workerinput") and config.getoption("dist", None) == "loadgroup":
        config.option.loadscopereorder = False


def restore_xdist_groups(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Give every `xdist_group`-marked item the "@group" suffix xdist's loadgroup scheduler reads.

    pytest-xdist appends it in its own pytest_collection_modifyitems by assigning `item._nodeid`, but
    pytest 9.2 derives `item.nodeid` from the structured `item._id`, so that assignment is lost
    (pytest-dev/pytest-xdist#1386; fix pending in #1388): the groups were silently ignored, a module's
    servers started on every worker, and two workers' servers flushed each other's Redis database.
    Runs after xdist's hook (conftest.py's hook is trylast); does nothing where the suffix is already
    there, so it is harmless once xdist is fixed. The group name follows xdist's rule: the sorted names
    of every xdist_group mark, joined by "_"."""
    if not (hasattr(config, "workerinput") and config.getoption("loadgroup", None)):
        return
    from _pytest.nodeid import NodeId

    for item in items:
        group = _group_of(item)
        if group is not None and "@" not in item.nodeid:
            item._id = NodeId.parse(f"{item.nodeid}@{group}")
