"""Loaded by the Celery worker the tests share (tests/fixtures_services.py: `--include`), never in
production.

The worker outlives the tests that use it, and a transactional test ends by emptying every table; the
content types then come back under new ids (post_migrate), while the worker would still hold the old
ones in ContentType's in-process cache (site permissions: learning/selectors.py, hub/access.py). Each
task starts from what the database says, as a fresh worker did.
"""

from celery.signals import task_prerun


@task_prerun.connect
def _forget_content_types(**kwargs):
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
