"""The forum for young people: categories, threads, posting, reporting, watching and invitations.
Every page works without JavaScript; a refused post comes back with its text."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from counseling.forum import access, selectors, services
from counseling.forum.forms import InvitationAnswerForm, ReplyForm, ReportForm, ThreadForm
from counseling.forum.models import CaseInvitation, PostStatus, ThreadWatch
from hub import fragments
from hub.dates import format_when
from hub.visitor_pages import visitor_page


@visitor_page
@require_GET
def home(request):
    languages = fragments.cached("forum-languages", depends=("forum",), build=selectors.category_languages)
    language = request.GET.get("language") or get_language()
    if language != "all" and language not in languages:
        language = "all"
    # Built and read only when the shared fragment of the list is missing (hub/fragments.py): building the
    # annotated queryset alone cost a fifth of the page.
    shown = None if language == "all" else language
    rows = SimpleLazyObject(lambda: selectors.categories(language=shown))
    context = {"categories": rows, "language": language, "languages": _language_choices(languages)}
    return render(request, "forum/home.html", context)


def _language_choices(codes):
    names = dict(settings.LANGUAGES)
    return [(code, names.get(code, code)) for code in codes]


@require_GET
def category(request, pk):
    category = access.access_category(request.user, pk)
    page = Paginator(selectors.threads_of(request.user, category), selectors.THREADS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "forum/category.html", {"category": category, "page": page})


def _refusal(error: services.PostingRefused) -> str:
    if isinstance(error, services.PosterSuspended):
        until = format_when(error.until, "datetime")
        return _("You cannot post until %(until)s because a moderator has paused your account.") % {
            "until": until
        }
    return _("Your post contains words that are not allowed here: %(words)s. Please change your text.") % {
        "words": ", ".join(error.words)
    }


CONTACT_REASONS = {"phone", "email", "social"}


def _after_post(request, post) -> None:
    if post.status == PostStatus.PENDING and CONTACT_REASONS & set(post.hold_reasons):
        messages.warning(
            request,
            _(
                "Your post waits for a moderator because it seems to contain contact details (a phone "
                "number, an e-mail address or a social-media name). To protect you, we do not publish them."
            ),
        )
    elif post.status == PostStatus.PENDING:
        messages.warning(request, _("Your post waits for a moderator. Only you can see it until then."))
    else:
        messages.success(request, _("Your post is online."))


def _needs_pseudonym(user) -> bool:
    return access.is_youth_poster(user) and services.profile_of(user) is None


@login_required
@require_http_methods(["GET", "POST"])
def thread_new(request, pk):
    category = access.access_category(request.user, pk)
    if not access.may_post(request.user):
        raise PermissionDenied
    form = ThreadForm(request.POST or None, need_pseudonym=_needs_pseudonym(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            post = services.thread_create(
                category=category, author=request.user, **_fields(form, "title", "body", "pseudonym")
            )
        except services.PostingRefused as error:
            form.add_error(None, _refusal(error))
        else:
            _after_post(request, post)
            return redirect("forum:thread", pk=post.thread_id)
    return render(
        request, "forum/thread_new.html", {"category": category, "form": form, **_standing(request.user)}
    )


def _fields(form, *names) -> dict:
    return {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}


def _standing(user) -> dict:
    profile = services.profile_of(user)
    suspended = profile is not None and profile.is_suspended()
    return {
        "suspended_until": profile.suspended_until if suspended else None,
        "suspension_reason": profile.suspension_reason if suspended else "",
    }


@visitor_page
@require_http_methods(["GET", "POST"])
def thread(request, pk):
    """The thread, a page at a time (the last page after posting), and the reply form at its end."""
    user = request.user
    thread = access.access_thread(user, pk, for_write=request.method == "POST")
    form = (
        ReplyForm(request.POST or None, need_pseudonym=_needs_pseudonym(user))
        if access.may_post(user)
        else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            post = services.post_reply(thread=thread, author=user, **_fields(form, "body", "pseudonym"))
        except services.PostingRefused as error:
            form.add_error(None, _refusal(error))
        else:
            _after_post(request, post)
            return redirect(reverse("forum:thread", args=[thread.pk]) + f"?page=last#post-{post.pk}")
    paginator = Paginator(selectors.posts_of(user, thread), selectors.POSTS_PER_PAGE)
    wanted = request.GET.get("page")
    # Lazy: visitors who are not signed in get the posts from a shared fragment (thread_posts.html).
    page = SimpleLazyObject(
        lambda: paginator.get_page(
            paginator.num_pages if request.method == "POST" or wanted == "last" else wanted
        )
    )
    services.thread_seen(thread=thread, user=user)
    context = {
        "thread": thread,
        "page": page,
        "form": form,
        "may_moderate": access.may_moderate(user),
        "may_mark_helpful": access.may_moderate(user)
        or (user.is_authenticated and thread.author_id == user.pk),
        "watching": user.is_authenticated and ThreadWatch.objects.filter(thread=thread, user=user).exists(),
        "support": lambda: any(post.is_self_harm for post in page.object_list),
        **(_standing(user) if user.is_authenticated else {}),
    }
    return render(request, "forum/thread.html", context)


@login_required
@require_POST
def watch(request, pk):
    thread = access.access_thread(request.user, pk)
    watching = request.POST.get("watch") == "1"
    services.watch_set(thread=thread, user=request.user, watching=watching)
    messages.success(
        request, _("You follow this thread.") if watching else _("You no longer follow this thread.")
    )
    return redirect("forum:thread", pk=thread.pk)


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request, pk):
    """While a post waits the author may change it, e.g. take out a phone number."""
    post = access.access_own_pending_post(request.user, pk)
    form = ReplyForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        try:
            post = services.post_author_edit(post=post, author=request.user, body=form.cleaned_data["body"])
        except services.PostingRefused as error:
            form.add_error(None, _refusal(error))
        else:
            _after_post(request, post)
            return redirect(reverse("forum:thread", args=[post.thread_id]) + f"?page=last#post-{post.pk}")
    return render(request, "forum/post_edit.html", {"post": post, "form": form, **_standing(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def report(request, pk):
    post = access.access_post(request.user, pk)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.report_create(post=post, reporter=request.user, **_fields(form, "reason", "comment"))
        messages.success(request, _("Thank you. The moderators will look at this post."))
        return redirect(reverse("forum:thread", args=[post.thread_id]))
    return render(request, "forum/report.html", {"post": post, "form": form})


@login_required
@require_POST
def helpful(request, pk):
    post = access.access_post(request.user, pk)
    if not access.may_mark_helpful(request.user, post):
        raise PermissionDenied
    services.helpful_set(post=post, helpful=request.POST.get("helpful") == "1")
    return redirect(reverse("forum:thread", args=[post.thread_id]) + f"#post-{post.pk}")


@login_required
@require_GET
def mine(request):
    """Works without JavaScript: unread watched threads, own waiting posts and invitations."""
    user = request.user
    context = {
        "watches": selectors.watched_threads(user),
        "pending": selectors.pending_posts_of(user),
        "invitations": selectors.open_invitations(user),
    }
    return render(request, "forum/mine.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def invitation(request, pk):
    invitation = access.access_invitation(request.user, pk)
    form = InvitationAnswerForm(request.POST if request.POST.get("answer") == "accept" else None)
    if request.method == "POST" and invitation.status == CaseInvitation.Status.OPEN:
        if request.POST.get("answer") == "decline":
            services.invitation_decline(invitation=invitation)
            messages.success(request, _("You declined the invitation. You can always write to us later."))
            return redirect("forum:mine")
        if form.is_valid():
            case = services.invitation_accept(invitation=invitation, body=form.cleaned_data["body"])
            messages.success(request, _("Your private conversation has started."))
            return redirect("counseling:case", public_id=case.public_id)
    return render(request, "forum/invitation.html", {"invitation": invitation, "form": form})
