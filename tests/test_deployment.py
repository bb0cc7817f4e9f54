"""docker-compose.yml describes the production topology, and .env.example names every setting."""

import re
from pathlib import Path

import yaml
from django.conf import settings

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
