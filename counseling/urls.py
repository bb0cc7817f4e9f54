from django.urls import path

from counseling import arrival_views, chat_views, feedback_views, views, voice_views

app_name = "counseling"

urlpatterns = [
    path("ask/", views.ask, name="ask"),
    path("callback/", views.callback, name="callback"),
    path("chat/", chat_views.chat_start, name="chat_start"),
    path("chat/<uuid:public_id>/", chat_views.chat_room, name="chat"),
    path("chat/<uuid:public_id>/end/", chat_views.chat_end_view, name="chat_end"),
    path("chat/<uuid:public_id>/keep/", chat_views.guest_keep_view, name="guest_keep"),
    path("rounds/", chat_views.round_list, name="rounds"),
    path("rounds/<uuid:public_id>/", chat_views.round_room, name="round"),
    path("cases/", views.case_list, name="cases"),
    path("cases/<uuid:public_id>/", views.case_detail, name="case"),
    path("cases/<uuid:public_id>/video/", chat_views.video_youth, name="video"),
    path("cases/<uuid:public_id>/feedback/", feedback_views.case_feedback, name="case_feedback"),
    path("cases/<uuid:public_id>/arrival/", arrival_views.arrival_view, name="arrival"),
    path("attachments/<uuid:public_id>/", views.attachment_download, name="attachment"),
    path("attachments/<uuid:public_id>/play/", voice_views.voice_play, name="voice"),
    path("chat/<uuid:public_id>/voice/", voice_views.chat_voice, name="chat_voice"),
]
