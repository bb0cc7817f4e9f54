"""Strict readers for settings from the environment.

A bad value fails at start-up with a message naming the variable, instead of surfacing later as an odd
runtime error. Every secret may also come from ``<NAME>_FILE`` (Docker/Kubernetes secrets).
"""

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_str(name: str, default: str = "") -> str:
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={file_name!r} cannot be read: {exc}") from exc
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use true/false)")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def database_from_url(url: str, *, base_dir: Path, pool: dict | None = None) -> dict:
    """Turn ``postgres://user:pass@host:port/name`` or ``sqlite:///path`` into a DATABASES entry.

    On PostgreSQL, ``pool`` (psycopg_pool's ``min_size``/``max_size``/``timeout``) bounds the connections
    of one process. Persistent connections (CONN_MAX_AGE > 0) are no option under ASGI: every request runs
    in a thread of its own, each kept its connection open, and ten clients exhausted PostgreSQL.
    """
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        name = unquote(parts.path.removeprefix("/")) or "db.sqlite3"
        path = Path(name) if Path(name).is_absolute() else base_dir / name
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}
    if parts.scheme in {"postgres", "postgresql"}:
        options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        name = unquote(parts.path.removeprefix("/"))
        if not name:
            raise ImproperlyConfigured("DATABASE_URL names no database")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            # A socket directory may be given as ?host=/path (libpq style).
            "HOST": options.pop("host", None) or parts.hostname or "",
            "PORT": str(parts.port or ""),
            "OPTIONS": {**options, "pool": pool} if pool else options,
            # Django requires 0 with a pool: a request hands its connection back to the pool when it ends.
            "CONN_MAX_AGE": 0,
        }
    raise ImproperlyConfigured(f"DATABASE_URL scheme {parts.scheme!r} is not supported (postgres or sqlite)")
