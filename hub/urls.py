from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from campaigns import views as campaign_views
from counseling import feedback_views
from hub import app_views, cms_listings, health, push_views, quick_exit, staff_session, staff_views, views

hub_patterns = (
    [
        path("", views.start, name="start"),
        path("home/", views.home, name="home"),
        path("me/", views.youth_home, name="youth_home"),
        path("me/delete/", views.account_delete, name="account_delete"),
        path("me/data/", views.my_data, name="my_data"),
        # "Tell me on this device" (Web Push) and the installable app (hub/push_views.py, hub/app_views.py).
        path("me/push/on/", push_views.push_subscribe, name="push_subscribe"),
        path("me/push/off/", push_views.push_unsubscribe, name="push_unsubscribe"),
        path("manifest.webmanifest", app_views.manifest, name="manifest"),
        path("offline/", app_views.offline, name="offline"),
        path("staff/", views.staff_home, name="staff_home"),
        # The idle timeout's "Stay signed in" (POST) and its background check of the time left (GET).
        path("staff/session/", staff_session.session_keep, name="staff_session"),
        path("staff/invitations/", views.invitations, name="invitations"),
        path("staff/audit/", views.audit_log, name="audit"),
        path("staff/statistics/", staff_views.statistics_page, name="statistics"),
        path("staff/statistics/export.csv", staff_views.statistics_csv, name="statistics_csv"),
        path("staff/statistics/report/<int:year>/", staff_views.statistics_report, name="statistics_report"),
        # Feedback after counseling, beside the statistics (counseling/feedback.py).
        path("staff/statistics/feedback/", feedback_views.feedback_results, name="feedback_results"),
        path("staff/retention/", staff_views.retention_page, name="retention"),
        path("staff/accounts/", staff_views.staff_account_list, name="staff_accounts"),
        path("staff/accounts/<int:user_id>/", staff_views.staff_account, name="staff_account"),
        path(
            "staff/accounts/<int:user_id>/deactivate/",
            staff_views.staff_account_deactivate,
            name="staff_account_deactivate",
        ),
        path(
            "staff/accounts/<int:user_id>/reactivate/",
            staff_views.staff_account_reactivate,
            name="staff_account_reactivate",
        ),
        path(
            "staff/accounts/<int:user_id>/reset-2fa/",
            staff_views.staff_account_totp_reset,
            name="staff_account_totp_reset",
        ),
        path("accounts/invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    ],
    "hub",
)

urlpatterns = [
    path("health/", health.health, name="health"),
    # At the root, so that the service worker's scope is the whole site (hub/app_views.py).
    path("sw.js", app_views.service_worker, name="service_worker"),
    # No language prefix: the beacon must not be redirected (a redirect would drop its POST).
    path("quick-exit/", quick_exit.quick_exit, name="quick_exit"),
    # The Wagtail admin logs in through allauth so that staff always pass two-factor authentication.
    path(
        f"{settings.WAGTAIL_ADMIN_PATH}login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
    ),
    # Image and document listings with a fix for filtering while searching (hub/cms_listings.py).
    path(settings.WAGTAIL_ADMIN_PATH, include(cms_listings.urlpatterns)),
    path(settings.WAGTAIL_ADMIN_PATH, include(wagtailadmin_urls)),
    # Campaign short links (QR codes) stay short: no language prefix; they redirect into one.
    path("c/<str:code>", campaign_views.short_link, name="campaign_short_link"),
    # Downloads in knowledge articles (Wagtail documents).
    path("documents/", include(wagtaildocs_urls)),
]
urlpatterns += i18n_patterns(
    path("", include(hub_patterns)),
    path("accounts/", include("allauth.urls")),
    path("staff/sites/", include("sites.staff_urls")),
    path("staff/cases/", include("counseling.staff_urls")),
    path("staff/forum/", include("counseling.forum.staff_urls")),
    # Network partners: their own pages, and the coordinators' partner organisations.
    path("partner/", include("counseling.partners.urls")),
    path("staff/partners/", include("counseling.partners.staff_urls")),
    # Intervision: counselors ask colleagues about a case without exposing the young person.
    path("staff/intervision/", include("counseling.intervision.staff_urls")),
    path("forum/", include("counseling.forum.urls")),
    path("", include("counseling.urls")),
    path("sites/", include("sites.urls")),
    path("staff/learning/", include("learning.staff_urls")),
    path("", include("learning.urls")),
    path("pages/", include(wagtail_urls)),
    # Imprint, privacy notice and the other legal pages (CMS-edited, linked from every footer).
    path("legal/", include("hub.legal.urls")),
    path("staff/accessibility-feedback/", include("hub.legal.staff_urls")),
    # Knowledge base and campaigns (issue 6).
    path("knowledge/", include("knowledge.urls")),
    path("staff/knowledge/", include("knowledge.staff_urls")),
    path("campaigns/", include("campaigns.urls")),
    path("staff/campaigns/", include("campaigns.staff_urls")),
    prefix_default_language=True,
)
