from django.urls import path

from sites import views

app_name = "sites"

urlpatterns = [
    path("", views.site_finder, name="finder"),
    path("mine/", views.my_bookings, name="mine"),
    path("groups/", views.group_overview, name="groups"),
    path("groups/<uuid:public_id>/", views.group_detail, name="group"),
    path("groups/<uuid:public_id>/leave/", views.group_leave, name="group_leave"),
    path("appointments/<uuid:public_id>/", views.appointment_detail, name="appointment"),
    path("appointments/manage/<str:token>/", views.appointment_manage, name="appointment_manage"),
    path("<slug:slug>/", views.site_detail, name="detail"),
    path("<slug:slug>/hours.ics", views.site_hours_ics, name="hours_ics"),
    path("<slug:slug>/book/", views.appointment_book, name="book"),
]
