"""uvicorn's websocket protocol (the one `--ws auto` picks), with keepalive pings as often as a socket's
kind needs them: the Dockerfile's command names it (`--ws hub.ws_keepalive:WebSocketProtocol`).

uvicorn pings every socket every --ws-ping-interval (10 s), so that a chat socket on a dead network closes
within 20 s and the other side is told (counseling/chat_presence.py). The notification sockets that
signed-in people hold open between pages (`ws/notifications/`) need no such haste: a dead one only waits
a little longer to be closed. At 10 s, 5,000 of them were 500 pings a second on the one event loop that
also carries the chats (bench/chat_load.py); at IDLE_PING_SECONDS they are a sixth of that. The ping
timeout stays as configured.
"""

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol

# Well under the proxy's read timeout (deploy/nginx.conf: 1 h) and the usual NAT idle timeouts of mobile
# networks (from a few minutes).
IDLE_PING_SECONDS = 60.0
IDLE_PATHS = ("/ws/notifications/",)


class WebSocketProtocol(WebSocketsSansIOProtocol):
    def start_keepalive(self) -> None:
        if self.ping_interval and self.scope.get("path", "") in IDLE_PATHS:
            self.ping_interval = max(self.ping_interval, IDLE_PING_SECONDS)
        super().start_keepalive()
