"""The production command's websocket protocol (hub/ws_keepalive.py): chat sockets keep uvicorn's 10 s pings
(a dead network closes them within 20 s), idle notification sockets are pinged every IDLE_PING_SECONDS."""

import asyncio

import pytest
from uvicorn.config import Config
from uvicorn.server import ServerState

from bench.support.production import compose_web_command, dockerfile_command
from hub import ws_keepalive


async def _ping_interval_of(path: str) -> float:
    protocol_class = "hub.ws_keepalive:WebSocketProtocol"
    config = Config("hub.asgi:application", ws=protocol_class, ws_ping_interval=10, ws_ping_timeout=10)
    config.load()
    assert config.ws_protocol_class is ws_keepalive.WebSocketProtocol
    protocol = config.ws_protocol_class(config, ServerState(), {}, _loop=asyncio.get_running_loop())
    protocol.scope = {"type": "websocket", "path": path}
    protocol.start_keepalive()
    try:
        return protocol.ping_timer.when() - asyncio.get_running_loop().time()
    finally:
        protocol.stop_keepalive()


@pytest.mark.parametrize(
    ("path", "interval"),
    [
        ("/ws/notifications/", ws_keepalive.IDLE_PING_SECONDS),
        ("/ws/cases/8c0f2a8e-0000-4000-8000-000000000000/", 10),
        ("/ws/chat-desk/", 10),
        ("/ws/rounds/8c0f2a8e-0000-4000-8000-000000000000/", 10),
    ],
)
async def test_only_idle_notification_sockets_are_pinged_less_often(path, interval):
    assert await _ping_interval_of(path) == pytest.approx(interval, abs=0.5)


@pytest.mark.parametrize("command", [dockerfile_command(), compose_web_command()])
def test_the_production_command_uses_it(command):
    assert command[command.index("--ws") + 1] == "hub.ws_keepalive:WebSocketProtocol"
