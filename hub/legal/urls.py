from django.urls import path

from hub.legal import views

app_name = "legal"

urlpatterns = [
    path("<slug:kind>/", views.legal_page, name="page"),
]
