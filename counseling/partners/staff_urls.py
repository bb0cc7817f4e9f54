from django.urls import path

from counseling.partners import staff_views

app_name = "partners_staff"

urlpatterns = [
    path("", staff_views.organisations, name="organisations"),
    path("<int:pk>/", staff_views.organisation, name="organisation"),
    path("<int:pk>/members/<int:user_id>/detach/", staff_views.detach, name="detach"),
    path("enquiries/<uuid:public_id>/refer/", staff_views.refer, name="refer"),
]
