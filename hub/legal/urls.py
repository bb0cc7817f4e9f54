from django.urls import path

from hub.legal import views

app_name = "legal"

urlpatterns = [
    path("accessibility/feedback/", views.accessibility_feedback, name="accessibility_feedback"),
    path("<slug:kind>/", views.legal_page, name="page"),
]
