"""Settings for every environment, read from the environment.

With nothing set this is the embedded default: SQLite, the in-memory channel layer, Celery tasks run
inline, mail to the console, DEBUG on. Production sets DJANGO_DEBUG=false and the variables listed in
``.env.example``; it then refuses to start with the development secret key.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from hub.env import database_from_url, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105 - refused below
DEBUG = env_bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env_str("SECRET_KEY", DEV_SECRET_KEY)
if not DEBUG and (SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "SECRET_KEY is the development key (or shorter than 50 characters). "
        "Set a random SECRET_KEY (or SECRET_KEY_FILE) before running with DJANGO_DEBUG=false."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# The portal's own apps (tests that enumerate "every form", "every formset" read this list).
PORTAL_APPS = [
    "hub",
    "hub.legal",
    "sites",
    "counseling",
    "counseling.forum",
    "counseling.partners",
    "counseling.intervision",
    "knowledge",
    "learning",
    "campaigns",
]
INSTALLED_APPS = [
    # Daphne serves `manage.py runserver` (ASGI, websockets) through hub/management/commands/runserver.py,
    # without being an installed app whose import every process would pay.
    # wagtail-modeltranslation's migrate/makemigrations wrappers must win over Django's commands.
    "wagtail_modeltranslation",
    "wagtail_modeltranslation.makemigrations",
    "wagtail_modeltranslation.migrate",
    "modeltranslation",
    *PORTAL_APPS,
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "guardian",
    "channels",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.sites",
    "hub.apps.WagtailUsersConfig",  # wagtail.users, its user editor narrowed to staff (hub/cms_users.py)
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
]

MIDDLEWARE = [
    # Outermost: it times the whole request and sees the final status.
    "hub.access_log.AccessLogMiddleware",
    # Shared page fragments read the versions of their data once per request (hub/fragments.py).
    "hub.fragments.FragmentVersionsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "hub.http_policy.HttpPolicyMiddleware",
    # Before the session is read: NUL bytes never reach a view or PostgreSQL (hub/input_guard.py).
    "hub.input_guard.InputGuardMiddleware",
    # Compressed HTML matters on slow phone networks; Django pads responses against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "hub.middleware.AdminCSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "hub.middleware.StaffAreaMiddleware",
    "hub.privacy_middleware.SignedInNoStoreMiddleware",
    "hub.privacy_middleware.UserLanguageMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "hub.urls"
WSGI_APPLICATION = "hub.wsgi.application"
ASGI_APPLICATION = "hub.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hub.context_processors.portal",
                "hub.staff_session.staff_session",
            ],
        },
    },
]
# Every form's inputs get their text direction (phone, postcode, e-mail, codes left-to-right; names and
# free text by their content) from one place: hub/bidi.py.
FORM_RENDERER = "hub.bidi.FormRenderer"

# --- Data -----------------------------------------------------------------------------------------
# Each process (every uvicorn worker, the Celery worker, beat) holds its own pool of at most
# DATABASE_POOL_MAX_SIZE connections; README "Sizing" sets this against PostgreSQL's max_connections
# and the pages' server time (10 covers a burst of 10 requests per process; one core is its limit).
DATABASE_POOL = {
    "min_size": env_int("DATABASE_POOL_MIN_SIZE", 2),
    "max_size": env_int("DATABASE_POOL_MAX_SIZE", 10),
    # A request waits this long for a free connection before it fails (503-worthy overload, not a hang).
    "timeout": env_int("DATABASE_POOL_TIMEOUT", 10),
}
DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL", "sqlite:///db.sqlite3"), base_dir=BASE_DIR, pool=DATABASE_POOL
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "hub.User"

REDIS_URL = env_str("REDIS_URL", "")
if not DEBUG and not REDIS_URL:
    # Without Redis each process would keep its own cache (rate limits!) and channel layer (live chat
    # reaching only the sockets of the same process): refuse instead of running subtly broken.
    raise ImproperlyConfigured(
        "REDIS_URL is not set. Production needs Redis for the cache, the channel layer and Celery."
    )
if REDIS_URL:
    # Django's Redis cache with one client per connection pool instead of one per call (hub/cache.py).
    CACHES = {"default": {"BACKEND": "hub.cache.SharedClientRedisCache", "LOCATION": REDIS_URL}}
    CHANNEL_LAYERS = {
        # Pub/Sub layer: it held 500 websockets here where the core layer ran out of connections.
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Sessions live in the database so that every process sees them; purged daily (hub.schedule).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
STAFF_IDLE_TIMEOUT_SECONDS = env_int("STAFF_IDLE_TIMEOUT_SECONDS", 30 * 60)
# Staff pages warn this long before the idle timeout, with a button to stay signed in (WCAG 2.2.1).
STAFF_IDLE_WARNING_SECONDS = env_int("STAFF_IDLE_WARNING_SECONDS", 2 * 60)

# --- Celery (periodic jobs are in hub/schedule.py) ---------------------------------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Europe/Berlin"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# --- Accounts ---------------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "hub.roles.RoleBackend",
    "guardian.backends.ObjectPermissionBackend",
]
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row
GUARDIAN_MONKEY_PATCH_USER = False
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "hub:home"
LOGOUT_REDIRECT_URL = "hub:start"  # a URL name, so the start page comes in the language in use

ACCOUNT_ADAPTER = "hub.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_MAX_EMAIL_ADDRESSES = 1  # one address for reply notices is all anyone needs
ACCOUNT_USERNAME_VALIDATORS = "hub.validators.youth_username_validators"
ACCOUNT_USERNAME_MIN_LENGTH = 3
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS = {
    # Five wrong passwords for one username in five minutes, or ten a minute from one address.
    "login_failed": "10/m/ip,5/300s/key",
    "signup": "10/m/ip",
    "login": "30/m/ip",
    "reset_password": "10/m/ip,3/m/key",
}
# Once an account's failure limit is used up, each address may still try once per this many seconds, so
# the owner is never locked out by someone else's guessing (hub/login_limits.py).
LOGIN_LOCKED_RETRY_SECONDS = env_int("LOGIN_LOCKED_RETRY_SECONDS", 30)
ACCOUNT_FORMS = {"signup": "hub.forms.YouthSignupForm"}
MFA_ADAPTER = "hub.adapters.MFAAdapter"  # seals TOTP secrets and recovery-code seeds
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "JMD digital-hub"
STAFF_INVITATION_DAYS = env_int("STAFF_INVITATION_DAYS", 7)

# --- Languages ---------------------------------------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [
    ("de", _("German")),
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("ru", _("Russian")),
    ("tr", _("Turkish")),
    ("sq", _("Albanian")),
    ("uk", _("Ukrainian")),
    ("fr", _("French")),
]
LANGUAGES_BIDI = ["ar"]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Berlin"
MODELTRANSLATION_DEFAULT_LANGUAGE = "de"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("de",)
WAGTAIL_I18N_ENABLED = False  # pages are translated field by field (wagtail-modeltranslation)
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

# --- Static and media -------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STATICFILES_DIRS = [BASE_DIR / app / "assets" for app in ("hub", "counseling", "learning")]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "hub.static_storage.StaticFilesStorage"  # whitenoise's, URLs kept per process
    },
}

# --- Wagtail -----------------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "JMD digital-hub"
# Documents always go through Wagtail's serve view, where hub/documents.py decides who may read them;
# the files under MEDIA_ROOT must never be served directly. CMS uploads get the PDF screen.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "hub.documents.DocumentForm"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_ENABLE_UPDATE_CHECK = False  # it would call an outside host
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAILEMBEDS_FINDERS = []  # no oEmbed calls to other hosts
# No Gravatar: the admin would send an MD5 of each staff member's e-mail address to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# No one sets another person's password in the CMS; each person sets their own (allauth).
WAGTAILUSERS_PASSWORD_ENABLED = False

# --- Mail --------------------------------------------------------------------------------------------
# Django 6.1 mailers. With EMAIL_HOST unset, mail is printed to the console (embedded default).
EMAIL_HOST = env_str("EMAIL_HOST", "")
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": EMAIL_HOST,
            "port": env_int("EMAIL_PORT", 587),
            "username": env_str("EMAIL_HOST_USER", ""),
            "password": env_str("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", default=True),
            "timeout": 20,
        },
    }
    if EMAIL_HOST
    else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
}
del EMAIL_HOST  # the deprecated EMAIL_* names must not be defined next to MAILERS
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "JMD digital-hub <no-reply@jmd-digital-hub.de>")
# Notices to young people come from a sender that does not say "migration counseling" on a shared phone.
NEUTRAL_FROM_EMAIL = env_str("NEUTRAL_FROM_EMAIL", "Nachricht <no-reply@jmd-digital-hub.de>")

# --- Mail counseling ------------------------------------------------------------------------------------
COUNSELING_ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
COUNSELING_ATTACHMENTS_PER_DAY = env_int("COUNSELING_ATTACHMENTS_PER_DAY", 20)

# --- Forum (counseling/forum/) -------------------------------------------------------------------------
# A young person's posts skip pre-moderation once this many of theirs have been published.
FORUM_TRUSTED_AFTER_POSTS = env_int("FORUM_TRUSTED_AFTER_POSTS", 3)
# Defaults of the coordinators' forum retention periods (hub/retention.py): hidden posts are deleted this
# many days after hiding; resolved reports, answered invitations and the moderation log after FORUM_LOG_DAYS.
FORUM_HIDDEN_POST_DAYS = env_int("FORUM_HIDDEN_POST_DAYS", 30)
FORUM_LOG_DAYS = env_int("FORUM_LOG_DAYS", 365)

# --- Live chat, chat rounds and video (counseling/chat.py, rounds.py, presence.py) -----------------------
# A counselor's chat desk beats every 15 s; without a beat for this long they drop out of presence.
CHAT_HEARTBEAT_TTL_SECONDS = env_int("CHAT_HEARTBEAT_TTL_SECONDS", 45)
# Without any activity on the desk for this long a counselor counts as offline.
CHAT_IDLE_TIMEOUT_SECONDS = env_int("CHAT_IDLE_TIMEOUT_SECONDS", 10 * 60)
CHAT_MESSAGE_MAX_CHARS = 4000
# Each open chat socket writes "still here" for its side this often (counseling/chat_presence.py); the
# other side counts as gone (and is told so) once the entry is older than CHAT_PEER_GONE_SECONDS, at once
# when the socket closes. A live chat a side has left for CHAT_ABANDON_SECONDS ends by itself.
CHAT_PRESENCE_BEAT_SECONDS = env_int("CHAT_PRESENCE_BEAT_SECONDS", 10)
CHAT_PEER_GONE_SECONDS = env_int("CHAT_PEER_GONE_SECONDS", 25)
CHAT_ABANDON_SECONDS = env_int("CHAT_ABANDON_SECONDS", 5 * 60)
# A guest's chat (and the guest account) is deleted this long after the chat ends, unless kept.
GUEST_CHAT_KEEP_HOURS = env_int("GUEST_CHAT_KEEP_HOURS", 48)
# Retention policy for topic chat rounds: keep the transcript after the round closes (default: delete).
CHAT_ROUND_KEEP_TRANSCRIPT = env_bool("CHAT_ROUND_KEEP_TRANSCRIPT", False)
# WebRTC: no third-party server by default (direct connections work within one network). Set your own
# STUN/TURN servers for calls across NATs, e.g. WEBRTC_STUN_URLS=stun:turn.example.org:3478.
WEBRTC_ICE_SERVERS = [
    server
    for server in (
        {"urls": env_list("WEBRTC_STUN_URLS", [])},
        {
            "urls": env_list("WEBRTC_TURN_URLS", []),
            "username": env_str("WEBRTC_TURN_USERNAME"),
            "credential": env_str("WEBRTC_TURN_CREDENTIAL"),
        },
    )
    if server["urls"]
]

# --- Encryption at rest (used by counseling for message bodies and attachments) ------------------------
DEV_ENCRYPTION_KEY = "ZGV2LW9ubHktZW5jcnlwdGlvbi1rZXktMzItYnl0ZXM="
ENCRYPTION_KEY = env_str("ENCRYPTION_KEY", DEV_ENCRYPTION_KEY)
if not DEBUG and ENCRYPTION_KEY == DEV_ENCRYPTION_KEY:
    raise ImproperlyConfigured(
        "ENCRYPTION_KEY is the development key. Set ENCRYPTION_KEY (or ENCRYPTION_KEY_FILE)."
    )
# While rotating: the previous master keys, so data keys wrapped with them can still be unwrapped until
# `manage.py rotate_master_key` has re-wrapped everything with ENCRYPTION_KEY.
ENCRYPTION_OLD_KEYS = env_list("ENCRYPTION_OLD_KEYS", [])

# --- Web Push: "a new message" on the young person's device (hub/web_push.py, README) ---------------------
# VAPID keys: a P-256 private key as base64url (32 bytes); the public key is derived and, if set, checked.
# Without a private key in production push is off and /me/ says so (hub/push_views.py); development and
# tests make a key pair once into var/ (git-ignored), so no key is ever in the repository.
VAPID_PRIVATE_KEY = env_str("VAPID_PRIVATE_KEY", "")
if not VAPID_PRIVATE_KEY and DEBUG:
    from hub.web_push import dev_private_key

    VAPID_PRIVATE_KEY = dev_private_key(BASE_DIR / "var" / "vapid-dev.key")
from hub.web_push import vapid_public_key_for  # noqa: E402 - needs the values above

VAPID_PUBLIC_KEY = vapid_public_key_for(VAPID_PRIVATE_KEY, env_str("VAPID_PUBLIC_KEY", ""))
# The push service sees this contact (RFC 8292): a neutral mailto: address or the site's URL.
VAPID_SUBJECT = env_str("VAPID_SUBJECT", SITE_URL)
# Only tests post to a push "service" on this machine (tests/push_endpoint fixture).
WEB_PUSH_ALLOW_LOCAL_ENDPOINTS = False

# --- Security headers --------------------------------------------------------------------------------
# Nothing is allowed unless named: each resource type the pages use gets its own directive, all same-origin.
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    # data: for the chat round's join QR code (an SVG data URI); campaign QR codes are same-origin files.
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    # fetch() of the chat desk and the websockets of live chat, rounds, video and notices ('self' covers
    # ws:/wss: on the same host).
    "connect-src": [CSP.SELF],
    # Lesson audio and video files; the video call's camera streams (srcObject) need no source. blob: for
    # listening to a voice message before it is sent (counseling/js/voice-recorder.js): a URL only this
    # page's own scripts can make, for a recording still in its memory.
    "media-src": [CSP.SELF, "blob:"],
    "manifest-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "frame-src": [CSP.NONE],
    # The service worker (/sw.js, hub/app_views.py): same origin only.
    "worker-src": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# The Wagtail admin uses inline scripts and styles; it gets a relaxed policy, still same-origin only.
WAGTAIL_ADMIN_PATH = "staff/cms/"
ADMIN_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.SELF],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    # No SECURE_PROXY_SSL_HEADER: uvicorn takes X-Forwarded-Proto (and -For) only from the proxy addresses
    # in FORWARDED_ALLOW_IPS and puts the scheme into the request; Django would take it from anyone.
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]

QUICK_EXIT_URL = env_str("QUICK_EXIT_URL", "https://de.wikipedia.org/wiki/Wetter")

# Logs carry no client address, no query string (search words), no username (README "Logs").
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # uvicorn's access lines and its INFO lines on websockets name the client address and the full
        # URL; the app's own access log (hub/access_log.py) replaces them.
        "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        "uvicorn.error": {"level": "WARNING"},
        # "Not Found: /<path>" for every 404 would keep whatever someone typed into an address.
        "django.request": {"level": "ERROR"},
    },
}
