from django.urls import path

from campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("<str:slug>/", views.landing, name="landing"),
]
