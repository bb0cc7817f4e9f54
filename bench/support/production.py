"""The production command, read from docker-compose.yml and the Dockerfile, started on this machine.

Tests (tests/test_production_server.py) and benchmarks (bench/db_connections.py) run the very flags that
ship, not a copy of them: only the port (and the bind address, loopback here) is swapped.
"""

import base64
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent.parent


def compose_services() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]


def compose_web_command() -> list[str]:
    return list(compose_services()["web"]["command"])


def dockerfile_command() -> list[str]:
    match = re.search(r"^CMD (\[.*\])\s*$", (ROOT / "Dockerfile").read_text(), flags=re.MULTILINE)
    return json.loads(match.group(1))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def on_this_machine(command: list[str], port: int) -> list[str]:
    """The command with this venv's interpreter, loopback and ``port`` instead of 0.0.0.0:8000."""
    if command[0] != "uvicorn":
        raise ValueError(f"not a uvicorn command: {command}")
    args = list(command[1:])
    for flag, value in (("--host", "127.0.0.1"), ("--port", str(port))):
        args[args.index(flag) + 1] = value
    return [sys.executable, "-m", "uvicorn", *args]


def production_env(*, database_url: str, redis_url: str, **extra: str) -> dict[str, str]:
    """Production settings (DEBUG off, fresh keys) on the given services."""
    ignored = {
        *("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "FORWARDED_ALLOW_IPS", "WEB_CONCURRENCY"),
    }
    env = {key: value for key, value in os.environ.items() if key not in ignored}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "hub.settings",
            "DJANGO_DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ENCRYPTION_KEY": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra)
    return env


def collect_static(env: dict[str, str], target: Path) -> None:
    """What the Dockerfile does at build time: production serves hashed files from a manifest."""
    subprocess.run(  # noqa: S603 - our interpreter
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env={**env, "STATIC_ROOT": str(target)},
        check=True,
    )


class ProductionServer:
    """``command`` (from the deployment files) running in a process; its output goes to ``log_path``."""

    def __init__(
        self,
        command: list[str],
        env: dict[str, str],
        log_path: Path,
        *,
        startup_timeout: float = 90,
        port: int | None = None,  # tests pass tests.workers.worker_port()
        open_files: int | None = None,
    ):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self._log = log_path.open("wb")
        args = on_this_machine(command, self.port)
        if open_files:  # thousands of sockets: raise the limit as a deployment's `ulimit -n` would
            args = ["sh", "-c", f'ulimit -n {int(open_files)} && exec "$@"', "sh", *args]
        # With `exec`, the process is uvicorn itself (bench/chat_load.py reads its CPU time by pid).
        self.process = subprocess.Popen(  # noqa: S603 - our interpreter, our command
            args, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT
        )
        self._wait_until_up(startup_timeout)

    def _wait_until_up(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.stop()
                raise RuntimeError(f"the server exited:\n{self.log()}")
            try:
                urllib.request.urlopen(f"{self.url}/health/", timeout=5)  # noqa: S310 - loopback
                return
            except urllib.error.HTTPError:
                return  # it answers
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"the server did not answer within {timeout} s:\n{self.log()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self._log.close()

    def log(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(errors="replace")
