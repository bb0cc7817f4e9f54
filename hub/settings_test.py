"""Test settings: the real settings, only faster. Services come from the environment (make test)."""

import os

from hub.settings import *  # noqa: F403
from tests import workers

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tasks run inline in ordinary tests; tests/test_services.py sends one through a real worker.
CELERY_TASK_ALWAYS_EAGER = True
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405

if REDIS_URL:  # noqa: F405
    # Tests clear the cache between tests (rate limits); keep that flush away from Celery's queues and
    # from the other workers of a parallel run (tests/workers.py), as their channel-layer groups.
    CACHES["default"]["LOCATION"] = REDIS_URL.rsplit("/", 1)[0] + f"/{workers.worker_cache_db()}"  # noqa: F405
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = workers.worker_channel_prefix()  # noqa: F405
# Uploads of one worker stay apart from another's and from `make run`'s files.
MEDIA_ROOT = BASE_DIR / "var" / "test-media" / (workers.worker_name() or "serial")  # noqa: F405

# Websocket consumers use the thread pool's threads for the ORM; without persistent connections each
# call closes its own, so no thread keeps the test database open when pytest drops it.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# No pool in the test process: pytest-django creates and drops the test database, which idle pooled
# connections would hold open. The production command under test (tests/test_production_server.py) and
# bench/db_connections.py run with the pool.
DATABASES["default"].get("OPTIONS", {}).pop("pool", None)  # noqa: F405

# A run on SQLite may test on a copy of a database migrated once per test run (tests/fixtures_sqlite.py,
# with --reuse-db) instead of migrating an in-memory one from scratch.
if os.environ.get("TEST_SQLITE_DATABASE") and DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_SQLITE_DATABASE"]}  # noqa: F405
