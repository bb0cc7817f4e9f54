from django.urls import path

from sites import import_views, views

app_name = "sites_staff"

urlpatterns = [
    path("", views.site_list_staff, name="list"),
    path("import/", import_views.sites_import, name="import"),
    path("import/preview/", import_views.sites_import_preview, name="import_preview"),
    path("<slug:slug>/", views.site_edit, name="edit"),
    path("<slug:slug>/hours/", views.site_schedule_edit, name="schedule"),
    path("<slug:slug>/agenda/", views.site_agenda, name="agenda"),
    path("<slug:slug>/agenda/<uuid:public_id>/", views.agenda_action, name="agenda_action"),
    path("<slug:slug>/groups/", views.group_offers_staff, name="groups"),
    path("<slug:slug>/groups/new/", views.group_offer_edit, name="group_new"),
    path("<slug:slug>/groups/<uuid:public_id>/", views.group_offer_staff, name="group"),
    path("<slug:slug>/groups/<uuid:public_id>/edit/", views.group_offer_edit, name="group_edit"),
    path("<slug:slug>/groups/<uuid:public_id>/action/", views.group_offer_action, name="group_action"),
]
