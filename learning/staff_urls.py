from django.urls import path

from learning import staff_views as views

app_name = "learning_staff"
urlpatterns = [
    path("", views.my_courses, name="my_courses"),
    path("courses/<slug:slug>/", views.course, name="course"),
    path("courses/<slug:slug>/enrol/", views.course_enrol, name="enrol"),
    path("courses/<slug:slug>/enrol-staff/", views.course_enrol_staff, name="enrol_staff"),
    path("courses/<slug:slug>/lessons/<int:lesson_id>/", views.lesson, name="lesson"),
    path(
        "courses/<slug:slug>/lessons/<int:lesson_id>/files/<int:document_id>/",
        views.lesson_file,
        name="lesson_file",
    ),
    path("courses/<slug:slug>/quizzes/<int:quiz_id>/", views.quiz, name="quiz"),
    path("certificates/<str:code>/pdf/", views.certificate_download, name="certificate_pdf"),
    path("reports/", views.report_list, name="reports"),
    path("reports/<slug:slug>/", views.report, name="report"),
    path("reports/<slug:slug>/csv/", views.report_csv, name="report_csv"),
    path("reports/<slug:slug>/people/<int:enrolment_id>/", views.report_person, name="report_person"),
    path(
        "reports/<slug:slug>/people/<int:enrolment_id>/quizzes/<int:quiz_id>/grant/",
        views.report_grant_attempt,
        name="report_grant_attempt",
    ),
    path("standards/", views.standards, name="standards"),
    path("standards/<uuid:version>/confirm/", views.standard_confirm, name="standard_confirm"),
]
