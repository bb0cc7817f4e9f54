"""Real services for the tests that need them: an SMTP sink and a Celery worker process on Redis."""

import os
import subprocess
import sys
import time

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

from hub.celery import app as celery_app
from tests.workers import worker_port


class _Sink:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(
            {"from": envelope.mail_from, "to": list(envelope.rcpt_tos), "data": envelope.content.decode()}
        )
        return "250 Message accepted"


@pytest.fixture
def smtp_sink(settings):
    """A real SMTP server on loopback; Django's default mailer sends to it."""
    handler = _Sink()
    port = worker_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 5},
        }
    }
    handler.port = port
    yield handler
    controller.stop()


def _require_redis():
    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL (make test starts Redis)")


@pytest.fixture
def celery_worker(transactional_db, smtp_sink):
    """A real `celery worker` process on Redis, using the test database and the SMTP sink.

    Tasks sent during the test go through Redis to it instead of running inline.
    """
    _require_redis()
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hub.settings_test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        if db["ENGINE"].endswith("postgresql")
        else f"sqlite:///{db['NAME']}",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_sink.port),
        "EMAIL_USE_TLS": "false",
    }
    queue = f"test-{os.getpid()}-{time.monotonic_ns()}"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "hub",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-Q",
            queue,
            "--loglevel=WARNING",
            "-n",
            f"{queue}@%h",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    previous = celery_app.conf.task_always_eager, celery_app.conf.task_default_queue
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    try:
        # A loaded CI machine can take a while to import Django and Celery twice over.
        deadline = time.monotonic() + 90
        while not celery_app.control.ping(destination=[f"{queue}@{os.uname().nodename}"], timeout=0.5):
            if process.poll() is not None or time.monotonic() > deadline:
                # Stop it before reading: a worker still starting keeps its stdout open, and read() would
                # then wait forever.
                process.kill()
                output, _ = process.communicate(timeout=10)
                raise RuntimeError("celery worker did not start:\n" + (output or ""))
        yield process
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
