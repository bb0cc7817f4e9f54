from django.urls import path

from knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:page_id>/helpful/", views.helpful, name="helpful"),
    path("<int:page_id>/<str:slug>/", views.article, name="article"),
]
