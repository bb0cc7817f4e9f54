"""xdist_group marks keep their tests on one worker (tests/parallel.py: restore_xdist_groups).

Without it pytest 9.2 drops the "@group" suffix pytest-xdist gives (pytest-dev/pytest-xdist#1386) and
`--dist loadgroup` spreads a group's tests over every worker: module-scoped servers start once per
worker and flush each other's Redis database."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

CONFTEST = """
import pytest

from tests.parallel import restore_xdist_groups


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    restore_xdist_groups(config, items)
"""

GROUPED = """
import time

import pytest

pytestmark = pytest.mark.xdist_group("{group}")


@pytest.mark.parametrize("n", range(4))
def test_grouped(n):
    time.sleep(0.05)
"""


def test_a_group_runs_on_one_worker_and_keeps_its_name(tmp_path):
    (tmp_path / "conftest.py").write_text(CONFTEST)
    (tmp_path / "test_one.py").write_text(GROUPED.format(group="world"))
    (tmp_path / "test_two.py").write_text(GROUPED.format(group="world"))
    (tmp_path / "test_loose.py").write_text(
        GROUPED.replace('pytestmark = pytest.mark.xdist_group("{group}")', "")
    )
    result = subprocess.run(  # noqa: S603 (our own interpreter, fixed arguments)
        [
            sys.executable,
            "-m",
            "pytest",
            "-n",
            "2",
            "--dist",
            "loadgroup",
            "-v",
            "-p",
            "xdist.plugin",
            "-p",
            "no:cacheprovider",
            str(tmp_path),
        ],
        cwd=tmp_path,
        # Only xdist: the other installed plugins (Django, Hypothesis, asyncio…) play no part here, and
        # loading them in each of the three processes cost about a second of CPU in all.
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    ran = re.findall(r"\[(gw\d)\] .*PASSED (\S+)", result.stdout)
    grouped = [(worker, nodeid) for worker, nodeid in ran if "test_loose" not in nodeid]
    assert len(grouped) == 8, result.stdout
    assert all(nodeid.endswith("@world") for _worker, nodeid in grouped), result.stdout
    assert len({worker for worker, _nodeid in grouped}) == 1, result.stdout
    assert len(ran) == 12, result.stdout


class _Item:
    """Just what slow_tests_first reads of a collected test."""

    def __init__(self, name, fixtures=(), group=None):
        self.name, self.fixturenames = name, fixtures
        self.marks = [pytest.mark.xdist_group(group).mark] if group else []

    def get_closest_marker(self, name):
        return next((mark for mark in self.marks if mark.name == name), None)

    def iter_markers(self, name):
        return [mark for mark in self.marks if mark.name == name]


def test_a_group_with_a_transactional_test_starts_after_every_database_test():
    """xdist runs a group where its first test stands; a transactional test empties the tables (the
    migrations' rows too), so a group holding one must not stand before another database test."""
    from tests.parallel import slow_tests_first

    items = [
        _Item("server", ("db",), group="production"),
        _Item("log", ("transactional_db",), group="production"),
        _Item("page", ("db",)),
        _Item("flush", ("transactional_db",)),
        _Item("world", ("db",), group="fuzz"),
    ]
    slow_tests_first(items)
    names = [item.name for item in items]
    first_of_production = min(names.index("server"), names.index("log"))
    assert first_of_production > names.index("page") and first_of_production > names.index("world")
    assert names.index("world") < names.index("flush")
