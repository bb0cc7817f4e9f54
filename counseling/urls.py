from django.urls import path

from counseling import views

app_name = "counseling"

urlpatterns = [
    path("ask/", views.ask, name="ask"),
    path("callback/", views.callback, name="callback"),
    path("cases/", views.case_list, name="cases"),
    path("cases/<uuid:public_id>/", views.case_detail, name="case"),
    path("attachments/<uuid:public_id>/", views.attachment_download, name="attachment"),
]
