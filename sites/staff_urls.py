from django.urls import path

from sites import views

app_name = "sites_staff"

urlpatterns = [
    path("", views.site_list_staff, name="list"),
    path("<slug:slug>/", views.site_edit, name="edit"),
]
