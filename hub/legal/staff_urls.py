from django.urls import path

from hub.legal import staff_views

app_name = "legal_staff"

urlpatterns = [
    path("", staff_views.feedback_list, name="feedback"),
    path("<uuid:public_id>/answer/", staff_views.feedback_answer, name="feedback_answer"),
]
