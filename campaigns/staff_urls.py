from django.urls import path

from campaigns import staff_views

app_name = "campaigns_staff"

urlpatterns = [
    path("", staff_views.campaign_list, name="list"),
    path("posts/", staff_views.planner, name="planner"),
    path("posts/new/", staff_views.planned_post_edit, name="post_new"),
    path("posts/<int:post_id>/", staff_views.planned_post_edit, name="post_edit"),
    path("channels/<int:channel_id>/qr.<str:fmt>", staff_views.channel_qr, name="channel_qr"),
    path("<int:page_id>/", staff_views.campaign_report, name="report"),
    path("<int:page_id>/reach.csv", staff_views.campaign_report_csv, name="report_csv"),
]
