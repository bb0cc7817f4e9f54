from django.urls import path

from knowledge import views

app_name = "knowledge_staff"

urlpatterns = [
    path("", views.editor_overview, name="overview"),
]
