"""`manage.py runserver` is Daphne's: it serves the ASGI application, websockets included (`make run`).

Daphne is deliberately not an installed app: its app module imports Twisted and Daphne's server into every
process that sets Django up (uvicorn, Celery, each test process and subprocess), 0.2-0.3 s of CPU each, for
a command only development uses. The portal's apps come before django.contrib.staticfiles, so this command
is the one `manage.py runserver` finds; Daphne's serves static files as staticfiles' own does."""

from daphne.management.commands.runserver import Command  # noqa: F401
