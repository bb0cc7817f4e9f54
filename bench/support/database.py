"""A benchmark's own PostgreSQL database, next to the one DATABASE_URL names (never the same one)."""

import os
from urllib.parse import urlsplit, urlunsplit


def bench_database_url(name: str) -> str | None:
    """DATABASE_URL with the database name swapped for `name`; None when it is not PostgreSQL."""
    parts = urlsplit(os.environ.get("DATABASE_URL", ""))
    if parts.scheme not in {"postgres", "postgresql"}:
        return None
    return urlunsplit(parts._replace(path=f"/{name}"))


def recreate_database(url: str) -> None:
    """Drops and creates the database `url` names (connected through the maintenance database)."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def migrations_fingerprint(*parts: object) -> str:
    """What a kept fill depends on: the given parts (sizes, a fill version) and every migration."""
    import hashlib
    from pathlib import Path

    digest = hashlib.sha256(":".join(map(str, parts)).encode())
    for path in sorted(Path(__file__).resolve().parents[2].glob("*/migrations/*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def _maintenance(url: str):
    import psycopg

    return psycopg.connect(urlunsplit(urlsplit(url)._replace(path="/postgres")), autocommit=True)


def reuse_or_recreate(url: str, fingerprint: str) -> bool:
    """True when the database already holds the fill `fingerprint` names (set by mark_filled);
    otherwise it is recreated empty and False is returned."""
    name = urlsplit(url).path.lstrip("/")
    with _maintenance(url) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
    if row is not None and row[0] == fingerprint:
        return True
    recreate_database(url)
    return False


def mark_filled(url: str, fingerprint: str) -> None:
    from psycopg import sql

    name = urlsplit(url).path.lstrip("/")
    with _maintenance(url) as conn:
        conn.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(sql.Identifier(name), sql.Literal(fingerprint))
        )
