"""Course authoring in the Wagtail admin (/staff/cms/): courses with their lessons (rich text, images,
video or audio files, downloads), quizzes and enrolment rules; required training per activity; the
quality-standard library. Coordinators hold the model permissions (hub/roles.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from learning import services
from learning.models import ActivityRequirement, Course, QualityStandard


class CourseViewSet(SnippetViewSet):
    model = Course
    icon = "doc-full"
    menu_label = _("Courses")
    list_display = ["title", "is_published", "self_enrolment"]
    search_fields = ["title"]
    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("summary"),
        FieldPanel("is_published"),
        MultiFieldPanel(
            [FieldPanel("self_enrolment"), FieldPanel("due_date"), FieldPanel("due_days")],
            heading=_("Enrolment"),
        ),
        FieldPanel("validity_months"),
        InlinePanel("rules", heading=_("Enrolment rules"), label=_("Rule")),
        InlinePanel("lessons", heading=_("Lessons"), label=_("Lesson")),
        InlinePanel("quizzes", heading=_("Quizzes"), label=_("Quiz")),
    ]


class ActivityRequirementViewSet(SnippetViewSet):
    model = ActivityRequirement
    icon = "lock"
    menu_label = _("Required training")
    panels = [FieldPanel("activity"), FieldPanel("courses", widget=forms.CheckboxSelectMultiple)]


class StandardViewSet(SnippetViewSet):
    model = QualityStandard
    icon = "doc-full-inverse"
    menu_label = _("Quality standards")
    panels = [
        FieldPanel("title"),
        FieldPanel("summary"),
        InlinePanel("versions", heading=_("Versions"), label=_("Version")),
    ]


class LearningGroup(SnippetViewSetGroup):
    items = (CourseViewSet, ActivityRequirementViewSet, StandardViewSet)
    menu_icon = "doc-full"
    menu_label = _("Training")
    menu_name = "training"


register_snippet(LearningGroup)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def enrol_by_rules(request, instance):
    # A new or edited rule enrols everyone it matches at once (the signals cover people joining later).
    if isinstance(instance, Course):
        services.course_sync_rules(course=instance)


@hooks.register("register_document_readers")
def course_document_readers():
    # Lesson files are indexed as used by their course (lessons are its child objects).
    from learning.access import may_read_course_files, may_read_standards

    return {Course: may_read_course_files, QualityStandard: may_read_standards}
