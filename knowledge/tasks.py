from celery import shared_task

from knowledge import services


@shared_task(name="knowledge.purge_search_misses")
def purge_search_misses() -> int:
    """Nightly (hub/schedule.py); deleting by date is safe to run twice."""
    return services.search_misses_purge()
