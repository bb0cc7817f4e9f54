from django.urls import path

from counseling.forum import views

app_name = "forum"

urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.mine, name="mine"),
    path("c/<int:pk>/", views.category, name="category"),
    path("c/<int:pk>/new/", views.thread_new, name="thread_new"),
    path("t/<int:pk>/", views.thread, name="thread"),
    path("t/<int:pk>/watch/", views.watch, name="watch"),
    path("p/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("p/<int:pk>/report/", views.report, name="report"),
    path("p/<int:pk>/helpful/", views.helpful, name="helpful"),
    path("invitations/<int:pk>/", views.invitation, name="invitation"),
]
