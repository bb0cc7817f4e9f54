"""Production's static storage (hub/static_storage.py) finds a file's hashed URL once per process and
gives what whitenoise's manifest storage gives, for each manifest and base URL."""

import json

import pytest
from django.test import override_settings
from whitenoise.storage import CompressedManifestStaticFilesStorage as Whitenoises

from hub.static_storage import StaticFilesStorage


def _storage(tmp_path, paths, cls=StaticFilesStorage):
    (tmp_path / "staticfiles.json").write_text(json.dumps({"paths": paths, "version": "1.1", "hash": "h"}))
    return cls(location=str(tmp_path), base_url="/static/")


@override_settings(DEBUG=False)
def test_a_url_is_found_once_and_is_the_manifests(tmp_path, monkeypatch):
    paths = {"hub/js/hub.js": "hub/js/hub.0123abcd.js"}
    storage, plain = _storage(tmp_path, paths), _storage(tmp_path, paths, Whitenoises)
    looked_up = []
    real = storage.stored_name
    monkeypatch.setattr(storage, "stored_name", lambda name: looked_up.append(name) or real(name))
    for _ in range(3):
        assert storage.url("hub/js/hub.js") == plain.url("hub/js/hub.js") == "/static/hub/js/hub.0123abcd.js"
    assert looked_up == ["hub/js/hub.js"]
    with pytest.raises(ValueError):  # not in the manifest: refused, every time (nothing kept)
        storage.url("hub/js/missing.js")
    with pytest.raises(ValueError):
        storage.url("hub/js/missing.js")


@override_settings(DEBUG=False)
def test_a_manifest_loaded_anew_keeps_nothing_of_the_old(tmp_path):
    storage = _storage(tmp_path, {"hub/css/hub.css": "hub/css/hub.aaaa.css"})
    assert storage.url("hub/css/hub.css") == "/static/hub/css/hub.aaaa.css"
    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"paths": {"hub/css/hub.css": "hub/css/hub.bbbb.css"}, "version": "1.1", "hash": "i"})
    )
    storage.hashed_files, storage.manifest_hash = storage.load_manifest()
    assert storage.url("hub/css/hub.css") == "/static/hub/css/hub.bbbb.css"


@override_settings(DEBUG=True)
def test_in_debug_the_unhashed_name_as_django_gives_it(tmp_path):
    storage = _storage(tmp_path, {"hub/css/hub.css": "hub/css/hub.aaaa.css"})
    assert storage.url("hub/css/hub.css") == "/static/hub/css/hub.css"
