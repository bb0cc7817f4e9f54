import json
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management.utils import get_random_secret_key

pytestmark = pytest.mark.django_db

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "false",
    "SECRET_KEY": get_random_secret_key() + get_random_secret_key(),
    "ENCRYPTION_KEY": "cHJvZHVjdGlvbi1lbmNyeXB0aW9uLWtleS0zMi1ieXQ=",
    "ALLOWED_HOSTS": "jmd-digital-hub.de",
    "DATABASE_URL": "postgres://jmd:secret@db:5432/jmd",
    "REDIS_URL": "redis://redis:6379/0",
    "EMAIL_HOST": "smtp.example.org",
}


def python(*args, env):
    ignored = {*PRODUCTION_ENV, "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {key: value for key, value in os.environ.items() if key not in ignored}
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "hub.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def manage(*args, env):
    return python("manage.py", *args, env=env)


def settings_read(code, env):
    """Run `code` where Django's settings are those of `env`, without setting Django up (a `manage.py`
    command imports every app first: seconds of CPU for a look at a setting)."""
    return python("-c", code, env=env)


def youth_pages(client, youth):
    client.force_login(youth)
    return [
        "/de/",
        "/ar/",
        "/en/me/",
        "/en/me/delete/",
        "/de/accounts/password/change/",
        "/de/does-not-exist/",
    ]


def assert_strict_csp(response, path):
    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    assert "'unsafe-inline'" not in script_src, path
    nonce = re.search(r"'nonce-([^']+)'", script_src)
    assert nonce, path
    # The nonce in the header is the one the page's script tags carry.
    assert f'nonce="{nonce.group(1)}"' in response.content.decode(), path
    assert "default-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.parametrize(
    "path", ["/de/", "/ar/", "/en/accounts/login/", "/en/accounts/signup/", "/fr/no-such-page/"]
)
def test_public_html_responses_carry_a_strict_csp_with_nonce(client, path):
    assert_strict_csp(client.get(path), path)


def test_signed_in_pages_carry_a_strict_csp_with_nonce(client, youth, counselor, coordinator):
    for path in youth_pages(client, youth):
        assert_strict_csp(client.get(path), path)
    client.force_login(coordinator)
    for path in ["/de/staff/", "/de/staff/invitations/", "/de/staff/sites/"]:
        assert_strict_csp(client.get(path), path)
    client.force_login(counselor)
    assert_strict_csp(client.get("/de/staff/invitations/"), "403 page")


def test_only_the_wagtail_admin_gets_the_relaxed_policy(client, coordinator):
    client.force_login(coordinator)
    policy = client.get("/staff/cms/")["Content-Security-Policy"]
    assert "'unsafe-inline'" in policy
    assert "http" not in policy  # still nothing from other hosts


def test_production_settings_pass_check_deploy_without_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_policy_allows_nothing_unless_named_and_only_from_this_origin(client):
    policy = dict(
        (part.split()[0], part.split()[1:])
        for part in client.get("/de/")["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == ["'none'"]
    for directive in [
        "style-src",
        "img-src",
        "font-src",
        "connect-src",
        "media-src",
        "manifest-src",
        "form-action",
    ]:
        assert policy[directive][0] == "'self'", directive
    # The service worker of the installable app (/sw.js), from this origin only.
    assert policy["worker-src"] == ["'self'"]
    # The voice recorder plays the recording back before it is sent, from a blob: of the page.
    assert policy["media-src"] == ["'self'", "blob:"]
    for directive in ["object-src", "frame-src", "base-uri", "frame-ancestors"]:
        assert policy[directive] == ["'none'"], directive
    assert "http" not in " ".join(sum(policy.values(), []))  # no other host


def test_trace_is_refused(client):
    assert client.generic("TRACE", "/de/").status_code == 405
    assert client.generic("TRACK", "/de/").status_code == 405


def test_production_uses_a_bounded_connection_pool_sized_from_the_environment():
    code = (
        "import json; from django.conf import settings; d = settings.DATABASES['default']; "
        "print(json.dumps([d['OPTIONS'].get('pool'), d['CONN_MAX_AGE']]))"
    )
    env = {**PRODUCTION_ENV, "DATABASE_POOL_MIN_SIZE": "1", "DATABASE_POOL_MAX_SIZE": "7"}
    result = settings_read(code, env=env)
    assert result.returncode == 0, result.stderr
    pool, conn_max_age = json.loads(result.stdout.strip().splitlines()[-1])
    assert pool == {"min_size": 1, "max_size": 7, "timeout": 10}
    assert conn_max_age == 0  # Django requires it with a pool: connections go back after each request


def test_production_refuses_to_start_without_redis():
    env = {name: value for name, value in PRODUCTION_ENV.items() if name != "REDIS_URL"}
    result = manage("check", env={**env, "REDIS_URL": ""})
    assert result.returncode != 0
    assert "REDIS_URL is not set" in result.stderr


@pytest.mark.parametrize("key", ["SECRET_KEY", "ENCRYPTION_KEY"])
def test_production_refuses_to_start_with_a_development_key(key):
    env = {name: value for name, value in PRODUCTION_ENV.items() if name != key}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert f"{key} is the development key" in result.stderr


def test_a_malformed_setting_fails_at_start_up_with_its_name():
    result = manage("check", env={"STAFF_IDLE_TIMEOUT_SECONDS": "half an hour"})
    assert result.returncode != 0
    assert "STAFF_IDLE_TIMEOUT_SECONDS='half an hour' is not a whole number" in result.stderr


def test_secret_key_can_come_from_a_file(tmp_path):
    key_file = tmp_path / "secret"
    key_file.write_text(get_random_secret_key() + "\n")
    env = {**PRODUCTION_ENV}
    del env["SECRET_KEY"]
    # The settings read it (that production's key passes `check --deploy` is checked above).
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    result = settings_read(code, env={**env, "SECRET_KEY_FILE": str(key_file)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == key_file.read_text().strip()
