"""Fixtures shared by every test: the actors of the portal, one per role, and clean per-test state."""

import pytest
from django.core.cache import cache
from django.utils import translation

from hub import fragments
from hub.roles import Role
from hub.tests.factories import UserFactory, staff_with_totp
from tests import parallel, table_reset


@pytest.fixture(autouse=True)
def _reset_state():
    # The active language leaks between tests after a client request; the rate limiter lives in the cache.
    yield
    translation.activate("de")
    cache.clear()
    # The fragment versions this process kept: a test's bump outlives the rollback of what it changed.
    fragments.kept.drop()


@pytest.fixture
def youth(db):
    return UserFactory(username="amira", roles=[Role.YOUTH])


@pytest.fixture
def other_youth(db):
    return UserFactory(username="timur", roles=[Role.YOUTH])


@pytest.fixture
def counselor(db):
    return staff_with_totp(username="counselor_anna", roles=[Role.COUNSELOR])


@pytest.fixture
def coordinator(db):
    return staff_with_totp(username="coordinator_bea", roles=[Role.COORDINATOR])


@pytest.fixture
def staff_without_totp(db):
    return UserFactory(username="counselor_new", roles=[Role.COUNSELOR], is_staff=True)


pytest_plugins = ["tests.fixtures_services", "tests.fixtures_sqlite"]


# --- parallel runs (make test: pytest-xdist) ----------------------------------------------------------
# Workers keep apart through tests/workers.py (Redis, ports) and get their database as a copy of one
# migrated once by the controller (tests/parallel.py).
django_db_setup = parallel.django_db_setup


def pytest_configure(config):
    parallel.keep_collection_order(config)
    # After a transactional test: the tables emptied without a flush's post_migrate (tests/table_reset.py).
    table_reset.install()


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_setupnodes(config, specs):
    parallel.template_start(config)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    parallel.configure_worker(node.config, node.workerinput)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session):
    if not hasattr(session.config, "workerinput"):
        parallel.template_drop(session.config)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    parallel.restore_xdist_groups(config, items)
    parallel.slow_tests_first(items)
