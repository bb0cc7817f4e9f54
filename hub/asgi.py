"""ASGI entry point: HTTP through Django, websockets through Channels (uvicorn in production)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402 - needs Django set up first
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from hub import gc_tuning  # noqa: E402
from hub.mfa import TotpPendingGuard  # noqa: E402
from hub.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # Staff without TOTP open no websocket, on any route (hub/mfa.py).
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(TotpPendingGuard(URLRouter(websocket_urlpatterns)))
        ),
    }
)
# Thousands of open sockets per process: the collector must not walk them all every few seconds.
gc_tuning.tune()
