"""docker-compose.yml describes the production topology, and .env.example names every setting."""

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from bench.support.production import compose_web_command, dockerfile_command
from hub import loop_db

ROOT = Path(settings.BASE_DIR)


def test_compose_has_the_production_topology():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    assert {"db", "redis", "web", "worker", "beat", "migrate"} <= set(services)
    assert services["db"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    assert services["web"]["command"][:2] == ["uvicorn", "hub.asgi:application"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "hub", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "hub", "beat"]
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]


def test_env_example_names_every_variable_the_settings_read():
    source = (ROOT / "hub/settings.py").read_text()
    names = set(re.findall(r'env_(?:str|bool|int|list)\("([A-Z_]+)"', source))
    example = (ROOT / ".env.example").read_text()
    documented = set(re.findall(r"^#?\s*([A-Z_]+)=", example, flags=re.MULTILINE))
    assert names - documented == set()
    assert "DJANGO_DEBUG=false" in example


def test_web_is_reached_only_through_the_proxy_which_it_alone_trusts():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    assert "ports" not in services["web"]
    proxy = services["proxy"]
    assert "./deploy/nginx.conf:/etc/nginx/nginx.conf:ro" in proxy["volumes"]
    assert services["web"]["environment"]["FORWARDED_ALLOW_IPS"] == proxy["networks"]["hub"]["ipv4_address"]
    conf = (ROOT / "deploy/nginx.conf").read_text()
    # Set, not appended to: a client's own X-Forwarded-For never reaches web.
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in conf
    assert "proxy_set_header X-Forwarded-Proto https;" in conf
    assert "proxy_set_header Upgrade $http_upgrade;" in conf
    assert "listen 443 ssl;" in conf
    assert "access_log off;" in conf


@pytest.mark.parametrize("source", ["Dockerfile", "docker-compose.yml"])
def test_uvicorn_trusts_only_the_named_proxy_and_logs_no_requests(source):
    command = dockerfile_command() if source == "Dockerfile" else compose_web_command()
    assert command[:2] == ["uvicorn", "hub.asgi:application"]
    # The trusted proxies come from FORWARDED_ALLOW_IPS in the environment, never a wildcard.
    assert "--forwarded-allow-ips" not in command
    assert "*" not in command
    assert {"--proxy-headers", "--no-access-log", "--no-server-header"} <= set(command)
    # A dead network closes a chat socket within 20 s (the "connection dropped" notice within 30 s).
    assert command[command.index("--ws-ping-interval") + 1] == "10"
    assert command[command.index("--ws-ping-timeout") + 1] == "10"


def test_the_connection_budget_fits_postgresql_max_connections():
    """README "Sizing": web processes x workers x (pool max + chat writers) + Celery processes x pool min
    + reserve."""
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    db_command = services["db"]["command"]
    max_connections = int(db_command[db_command.index("-c") + 1].split("=")[1])
    web = services["web"]["command"]
    workers = int(web[web.index("--workers") + 1])
    concurrency = int(
        next(a for a in services["worker"]["command"] if a.startswith("--concurrency=")).split("=")[1]
    )
    pool = settings.DATABASE_POOL
    celery = (concurrency + 1) * pool["min_size"]  # prefork children run one task at a time
    reserve = 3 + 5  # PostgreSQL's superuser reserve; migrate and a shell
    # Three web containers (`--scale web=3`) still fit; each web process also has the chat's writers.
    assert 3 * workers * (pool["max_size"] + loop_db.WRITERS) + celery + reserve <= max_connections
