from django.urls import path

from sites import views

app_name = "sites_staff"

urlpatterns = [
    path("", views.site_list_staff, name="list"),
    path("<slug:slug>/", views.site_edit, name="edit"),
    path("<slug:slug>/hours/", views.site_schedule_edit, name="schedule"),
    path("<slug:slug>/agenda/", views.site_agenda, name="agenda"),
    path("<slug:slug>/agenda/<uuid:public_id>/", views.agenda_action, name="agenda_action"),
]
