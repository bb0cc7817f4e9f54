from django.urls import path

from hub.consumers import NotificationConsumer

# Apps add their websocket routes here (counseling's live chat, for one).
websocket_urlpatterns = [
    path("ws/notifications/", NotificationConsumer.as_asgi()),
]
