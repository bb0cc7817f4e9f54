"""Production's static files storage: whitenoise's compressed manifest storage, with each file's URL
found once per process (issue 19).

A page names some static files outside its kept fragments (its scripts carry the request's CSP nonce), and
each `{% static %}` looked the name up in the manifest and built its URL anew: about as much CPU as the
rest of the tag. The manifest does not change while a process runs, so the URL is kept per name and base
URL, with the manifest it came from (one loaded anew keeps nothing of the old).
"""

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage

_KEPT_MAX = 4096  # names come from templates; a name from anywhere else is not worth unbounded memory


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def url(self, name, force=False):
        if force or settings.DEBUG:  # DEBUG: the unhashed name, as Django gives it
            return super().url(name, force)
        kept = self.__dict__.get("_kept_urls")
        if kept is None or kept[0] is not self.hashed_files:
            kept = self._kept_urls = (self.hashed_files, {})
        key = (name, self.base_url)
        url = kept[1].get(key)
        if url is None:
            url = super().url(name)  # a name missing from the manifest raises here, and is not kept
            if len(kept[1]) < _KEPT_MAX:
                kept[1][key] = url
        return url
