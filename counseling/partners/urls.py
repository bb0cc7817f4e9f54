from django.urls import path

from counseling.partners import views

app_name = "partners"

urlpatterns = [
    path("", views.home, name="home"),
    path("ask/", views.ask, name="ask"),
    path("enquiries/<uuid:public_id>/", views.enquiry, name="enquiry"),
]
