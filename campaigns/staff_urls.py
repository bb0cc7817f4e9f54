from django.urls import path

from campaigns import office_hour_views, social_space_views, staff_views

app_name = "campaigns_staff"

urlpatterns = [
    path("", staff_views.campaign_list, name="list"),
    path("posts/", staff_views.planner, name="planner"),
    path("posts/new/", staff_views.planned_post_edit, name="post_new"),
    path("posts/<int:post_id>/", staff_views.planned_post_edit, name="post_edit"),
    path("channels/<int:channel_id>/qr.<str:fmt>", staff_views.channel_qr, name="channel_qr"),
    # Digital streetwork (issue 20): social-space analysis and the social-media office hour.
    path("spaces/", social_space_views.space_list, name="spaces"),
    path("spaces/new/", social_space_views.space_edit, name="space_new"),
    path("spaces/<int:space_id>/", social_space_views.space_edit, name="space_edit"),
    path("spaces/<int:space_id>/delete/", social_space_views.space_delete, name="space_delete"),
    path("spaces/overview/", social_space_views.space_overview, name="space_overview"),
    path("office-hour/", office_hour_views.office_hour, name="office_hour"),
    path(
        "office-hour/<int:booking_id>/cancel/",
        office_hour_views.office_hour_cancel,
        name="office_hour_cancel",
    ),
    path("office-hour/hours/", office_hour_views.office_hours_held, name="office_hours_held"),
    path("<int:page_id>/", staff_views.campaign_report, name="report"),
    path("<int:page_id>/reach.csv", staff_views.campaign_report_csv, name="report_csv"),
]
