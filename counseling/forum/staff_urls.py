from django.urls import path

from counseling.forum import staff_views

app_name = "forum_staff"

urlpatterns = [
    path("", staff_views.queue, name="queue"),
    path("posts/<int:pk>/", staff_views.post_detail, name="post"),
    path("posts/<int:pk>/approve/", staff_views.post_approve, name="approve"),
    path("posts/<int:pk>/hide/", staff_views.post_hide, name="hide"),
    path("posts/<int:pk>/edit/", staff_views.post_edit, name="edit"),
    path("posts/<int:pk>/flag/", staff_views.post_flag, name="flag"),
    path("posts/<int:pk>/suspend/", staff_views.post_suspend, name="suspend"),
    path("posts/<int:pk>/invite/", staff_views.post_invite, name="invite"),
    path("threads/<int:pk>/lock/", staff_views.thread_lock, name="lock"),
    path("categories/", staff_views.categories, name="categories"),
    path("categories/<int:pk>/", staff_views.categories, name="category"),
    path("words/", staff_views.words, name="words"),
    path("words/<int:pk>/delete/", staff_views.word_delete, name="word_delete"),
]
