"""The forum's part of "My data" (hub/data_export.py): the forum name, the person's posts and the threads
they follow. Their posts stay in the forum as "deleted user" when they delete the account."""

from django.utils.translation import gettext as _

from counseling.forum.models import CaseInvitation, ForumProfile, Post, Report, ThreadWatch
from hub.data_export import ExportSection


def export_section(user, add_file) -> ExportSection:
    profile = ForumProfile.objects.filter(user=user).first()
    followed = list(
        ThreadWatch.objects.filter(user=user).values_list("thread__title", flat=True).order_by("pk")
    )
    items = []
    if profile or followed:
        items.append(
            {
                "kind": "forum_profile",
                "forum_name": profile.pseudonym if profile else None,
                "followed_threads": followed,
                "suspended_until": profile.suspended_until if profile else None,
                "reason": profile.suspension_reason if profile else "",
            }
        )
    posts = Post.objects.filter(author=user).select_related("thread").order_by("created_at", "pk")
    items += [
        {
            "kind": "forum_post",
            "thread": post.thread.title,
            "written_at": post.created_at,
            "status": post.get_status_display(),
            "text": post.body,
        }
        for post in posts
    ]
    reports = Report.objects.filter(reporter=user).select_related("post__thread").order_by("created_at", "pk")
    items += [
        {
            "kind": "forum_report",
            "thread": report.post.thread.title,
            "written_at": report.created_at,
            "reason": report.get_reason_display(),
            "comment": report.comment,
            "answered": report.resolved_at,
        }
        for report in reports
    ]
    invitations = CaseInvitation.objects.filter(youth=user).order_by("created_at", "pk")
    items += [
        {
            "kind": "forum_invitation",
            "written_at": invitation.created_at,
            "text": invitation.message,
            "status": invitation.get_status_display(),
            "answered": invitation.responded_at,
        }
        for invitation in invitations
    ]
    return ExportSection("forum", _("Your forum posts"), items)
