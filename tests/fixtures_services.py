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


@pytest.fixture(scope="session")
def _smtp_server():
    """The SMTP server of a test worker: started once, each test reads only its own mail (smtp_sink)."""
    handler = _Sink()
    port = worker_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    handler.port = port
    yield handler
    controller.stop()


@pytest.fixture
def smtp_sink(_smtp_server, settings):
    """A real SMTP server on loopback; Django's default mailer sends to it. `messages` holds the mail
    that arrived during this test."""
    _smtp_server.messages = []
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": _smtp_server.port, "use_tls": False, "timeout": 5},
        }
    }
    return _smtp_server


def _require_redis():
    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL (make test starts Redis)")


class _Worker:
    """A `celery worker` process on Redis with the test database and the SMTP sink, started when a test
    first asks for it and kept for the next: starting one imports Django and Celery, seconds of CPU that
    each of the tests using it paid. Between tests it must be idle with nothing queued, reserved or
    scheduled (a test that failed may leave tasks behind); otherwise it is stopped and the next test
    starts a fresh one. tests/celery_worker_hooks.py makes it forget what a transactional test's flush
    made stale."""

    def __init__(self, smtp_port: int):
        self.smtp_port, self.process, self.queue = smtp_port, None, ""

    @property
    def name(self) -> str:
        return f"{self.queue}@{os.uname().nodename}"

    def start(self) -> subprocess.Popen:
        if self.process is not None and self.process.poll() is None:
            return self.process
        db = connection.settings_dict
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "hub.settings_test",
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
            if db["ENGINE"].endswith("postgresql")
            else f"sqlite:///{db['NAME']}",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.smtp_port),
            "EMAIL_USE_TLS": "false",
        }
        self.queue = f"test-{os.getpid()}-{time.monotonic_ns()}"
        self.process = subprocess.Popen(
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
                "--include=tests.celery_worker_hooks",
                "-Q",
                self.queue,
                "--loglevel=WARNING",
                "-n",
                self.name,
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        # A loaded CI machine can take a while to import Django and Celery twice over.
        deadline = time.monotonic() + 90
        while not celery_app.control.ping(destination=[self.name], timeout=0.5):
            if self.process.poll() is not None or time.monotonic() > deadline:
                # Stop it before reading: a worker still starting keeps its stdout open, and read() would
                # then wait forever.
                self.process.kill()
                output, _ = self.process.communicate(timeout=10)
                self.process = None
                raise RuntimeError("celery worker did not start:\n" + (output or ""))
        return self.process

    def settle(self) -> None:
        """After a test: drop what it queued and left undone, or stop the worker if it holds any."""
        if self.process is None or self.process.poll() is not None:
            return
        with celery_app.connection_for_write() as broker:
            broker.default_channel.queue_purge(self.queue)
        inspect = celery_app.control.inspect([self.name], timeout=5)
        # A solo worker answers between tasks only: an answer means no task is running.
        held = [inspect.active(), inspect.reserved(), inspect.scheduled()]
        if any(answer is None or answer.get(self.name) for answer in held):
            self.stop()

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.process = None


@pytest.fixture(scope="session")
def _celery_process(django_db_setup, _smtp_server):
    worker = _Worker(_smtp_server.port)
    yield worker
    worker.stop()


@pytest.fixture
def celery_worker(transactional_db, smtp_sink, _celery_process):
    """A real `celery worker` process on Redis, using the test database and the SMTP sink.

    Tasks sent during the test go through Redis to it instead of running inline.
    """
    _require_redis()
    process = _celery_process.start()
    previous = celery_app.conf.task_always_eager, celery_app.conf.task_default_queue
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = _celery_process.queue
    try:
        yield process
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous
        _celery_process.settle()
