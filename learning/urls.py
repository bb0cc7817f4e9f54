from django.urls import path

from learning import views

app_name = "learning"
urlpatterns = [
    path("certificates/<str:code>/", views.verify, name="verify"),
    path("learn/", views.learn, name="learn"),
    path("learn/interview/", views.interview_practice, name="interview"),
    path("learn/interview/keep/", views.interview_keep, name="interview_keep"),
    path("learn/interview/delete/", views.interview_runs_delete, name="interview_delete"),
    path("learn/cv/", views.cv_helper, name="cv"),
]
