from django.urls import path

from counseling.intervision import staff_views

app_name = "intervision"

urlpatterns = [
    path("", staff_views.home, name="home"),
    path("new/<uuid:public_id>/", staff_views.request_new, name="request_new"),
    path("requests/<uuid:public_id>/", staff_views.request_detail, name="request"),
    path(
        "requests/<uuid:public_id>/answers/<int:answer_id>/helped/",
        staff_views.answer_helped,
        name="answer_helped",
    ),
    path("groups/", staff_views.groups, name="groups"),
    path("groups/<int:pk>/", staff_views.group, name="group"),
    path("groups/<int:pk>/members/<int:user_id>/remove/", staff_views.member_remove, name="member_remove"),
    path("meetings/<uuid:public_id>/", staff_views.meeting, name="meeting"),
    path("mentor/", staff_views.mentor, name="mentor"),
]
