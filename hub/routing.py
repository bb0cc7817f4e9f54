from django.urls import path

from counseling.consumers import CaseLiveConsumer, ChatDeskConsumer, RoundConsumer
from counseling.intervision.consumers import MeetingVideoConsumer
from hub.consumers import NotificationConsumer

websocket_urlpatterns = [
    path("ws/notifications/", NotificationConsumer.as_asgi()),
    path("ws/cases/<uuid:public_id>/", CaseLiveConsumer.as_asgi()),
    path("ws/chat-desk/", ChatDeskConsumer.as_asgi()),
    path("ws/rounds/<uuid:public_id>/", RoundConsumer.as_asgi()),
    path("ws/intervision/meetings/<uuid:public_id>/", MeetingVideoConsumer.as_asgi()),
]
