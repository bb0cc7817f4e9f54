"""Moderation for counselors of any site (and mentors): the queue, one post with its actions, watched
words. The staff-area middleware has checked staff role and 2FA; each view checks the forum permission."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from counseling.forum import access, selectors, services
from counseling.forum.forms import (
    CategoryForm,
    EditForm,
    HideForm,
    InviteForm,
    SuspendForm,
    WatchedWordForm,
)
from counseling.forum.models import Category, HoldReason, ModerationAction, WatchedWord
from hub.audit import AuditAction, audit_record


def _require_moderator(user) -> None:
    if not access.may_moderate(user):
        raise PermissionDenied


@require_GET
def queue(request):
    _require_moderator(request.user)
    page = Paginator(selectors.moderation_queue(), selectors.QUEUE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for post in page.object_list:
        post.report_summary = selectors.report_summary(post)
        post.hold_labels = _hold_labels(post)
    # Held posts may carry what screening caught (phone numbers, handles): the queue read is audited.
    audit_record(
        actor=request.user,
        action=AuditAction.FORUM_POST_OPEN,
        target_type="forum_queue",
        target_id=page.number,
        detail=",".join(str(post.pk) for post in page.object_list)[:200],
    )
    return render(request, "forum/staff/queue.html", {"page": page})


def _hold_labels(post) -> list[str]:
    labels = dict(HoldReason.choices)
    return [str(labels.get(reason, reason)) for reason in post.hold_reasons]


@require_GET
def post_detail(request, pk):
    return _post_page(request, access.access_post_moderation(request.user, pk))


def _post_page(request, post, **forms):
    audit_record(
        actor=request.user, action=AuditAction.FORUM_POST_OPEN, target_type="forum_post", target_id=post.pk
    )
    post.open_report_list = list(post.reports.filter(resolved_at=None))
    post.report_summary = selectors.report_summary(post)
    post.hold_labels = _hold_labels(post)
    profile = getattr(post.author, "forum_profile", None) if post.author_id else None
    context = {
        "post": post,
        "profile": profile,
        "hide_form": forms.get("hide_form") or HideForm(),
        "edit_form": forms.get("edit_form") or EditForm(initial={"body": post.body}),
        "suspend_form": forms.get("suspend_form") or SuspendForm(),
        "invite_form": forms.get("invite_form") or InviteForm(),
        "log": ModerationAction.objects.filter(post=post).select_related("actor")[:20],
    }
    return render(request, "forum/staff/post.html", context)


@require_POST
def post_approve(request, pk):
    post = access.access_post_moderation(request.user, pk)
    services.post_approve(post=post, moderator=request.user)
    messages.success(request, _("The post is published."))
    return redirect("forum_staff:queue")


@require_POST
def post_hide(request, pk):
    post = access.access_post_moderation(request.user, pk)
    form = HideForm(request.POST)
    if not form.is_valid():
        return _post_page(request, post, hide_form=form)
    services.post_hide(post=post, moderator=request.user, reason=form.cleaned_data["reason"])
    messages.success(request, _("The post is hidden."))
    return redirect("forum_staff:queue")


@require_POST
def post_edit(request, pk):
    post = access.access_post_moderation(request.user, pk)
    form = EditForm(request.POST)
    if not form.is_valid():
        return _post_page(request, post, edit_form=form)
    services.post_edit(post=post, moderator=request.user, **form.cleaned_data)
    messages.success(request, _("The post is changed."))
    return redirect("forum_staff:post", pk=post.pk)


@require_POST
def post_flag(request, pk):
    post = access.access_post_moderation(request.user, pk)
    services.post_flag_self_harm(post=post, moderator=request.user, flagged=request.POST.get("flag") == "1")
    return redirect("forum_staff:post", pk=post.pk)


@require_POST
def post_suspend(request, pk):
    post = access.access_post_moderation(request.user, pk)
    form = SuspendForm(request.POST)
    if not form.is_valid() or not hasattr(post.author, "forum_profile"):
        if form.is_valid():
            form.add_error(None, _("Only a young person's account can be suspended."))
        return _post_page(request, post, suspend_form=form)
    services.poster_suspend(post=post, moderator=request.user, **form.cleaned_data)
    messages.success(request, _("The suspension is saved."))
    return redirect("forum_staff:post", pk=post.pk)


@require_POST
def post_invite(request, pk):
    post = access.access_post_moderation(request.user, pk)
    form = InviteForm(request.POST)
    if not form.is_valid() or not hasattr(post.author, "forum_profile"):
        if form.is_valid():
            form.add_error(None, _("Only a young person can be invited."))
        return _post_page(request, post, invite_form=form)
    services.invitation_create(post=post, counselor=request.user, message=form.cleaned_data["message"])
    messages.success(request, _("The invitation is sent. The young person decides whether to accept it."))
    return redirect("forum_staff:post", pk=post.pk)


@require_POST
def thread_lock(request, pk):
    thread = access.access_thread_moderation(request.user, pk)
    locked = request.POST.get("lock") == "1"
    services.thread_lock(thread=thread, moderator=request.user, locked=locked)
    messages.success(request, _("The thread is locked.") if locked else _("The thread is open again."))
    back = request.POST.get("post", "")
    if back.isdigit():
        return redirect("forum_staff:post", pk=int(back))
    return redirect("forum:thread", pk=thread.pk)


@require_http_methods(["GET", "POST"])
def words(request):
    _require_moderator(request.user)
    form = WatchedWordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        word = form.save(commit=False)
        word.created_by = request.user
        word.save()
        messages.success(request, _("The word is on the list."))
        return redirect("forum_staff:words")
    return render(request, "forum/staff/words.html", {"form": form, "words": WatchedWord.objects.all()})


@require_POST
def word_delete(request, pk):
    _require_moderator(request.user)
    get_object_or_404(WatchedWord, pk=pk).delete()
    messages.success(request, _("The word is removed from the list."))
    return redirect("forum_staff:words")


@require_http_methods(["GET", "POST"])
def categories(request, pk=None):
    """Moderators keep the categories: one per topic and language, some always pre-moderated."""
    _require_moderator(request.user)
    category = get_object_or_404(Category, pk=pk) if pk else None
    form = CategoryForm(request.POST or None, instance=category)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The category is saved."))
        return redirect("forum_staff:categories")
    rows = selectors.categories(language=None)
    return render(request, "forum/staff/categories.html", {"form": form, "category": category, "rows": rows})
