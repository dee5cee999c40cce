"""Settings shared by every environment. Deploy-time values come from the environment."""

import datetime
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .environment import (
    database_from_env,
    env_bool,
    env_int,
    env_list,
    env_str,
    languages_from_env,
    site_caches_from_env,
)

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

SECRET_KEY = env_str("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Our apps: one per domain concept.
    "home",
    "organisation",
    "policy_pages",
    "cookie_registry",
    "consent",
    "content_security",
    "operations",
    "page_cache",
    "site_data",
    "security",
    "cookie_scanner",
    "evidence",
    "languages",
    # Wagtail
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.redirects",
    "wagtail.contrib.frontend_cache",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "axes",  # login lock-out (security/)
    "django_otp",
    "django_otp.plugins.otp_totp",  # TOTP two-factor for staff (security/)
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "security.middleware.AdminHostMiddleware",  # ADMIN_HOST: /admin/ on its own host only
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Counts cookie names the site sets that the registry does not declare (names only; cookie_scanner/).
    "cookie_scanner.middleware.RuntimeCookieDriftMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Anonymous pages from the cache; below sessions on purpose (see page_cache/middleware.py).
    "page_cache.middleware.PageCacheMiddleware",
    # The language comes from the URL only (/de/…, /fr/…; none for the default): see languages/.
    "languages.middleware.UrlLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "security.middleware.StaffTwoFactorMiddleware",  # verify (or enrol) before using the admin
    "security.middleware.PasswordResetRateLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Content-Security-Policy (django-csp) plus the published third-party scripts' sources.
    "content_security.csp.RegistryAwareCSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",  # LANGUAGE_CODE, LANGUAGE_BIDI
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

DATABASES = {"default": database_from_env(BASE_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 3600)  # an upper bound; changes invalidate at once
PAGE_CACHE_MAX_ENTRY_BYTES = env_int("PAGE_CACHE_MAX_ENTRY_BYTES", 1024 * 1024)  # larger pages: not kept
PAGE_CACHE_WORKER_BYTES = env_int("PAGE_CACHE_WORKER_BYTES", 32 * 1024 * 1024)  # per-worker copies
# Redis through page_cache.resilient_redis (an outage is a cache miss), or local memory and files.
CACHES, PAGE_CACHE_ALIAS = site_caches_from_env(BASE_DIR, PAGE_CACHE_SECONDS)

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out account+address pairs
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages (languages/): the first is the default and keeps unprefixed URLs; the others live
# under /<code>/. Wagtail's locales follow the same list.
LANGUAGES = languages_from_env("SITE_LANGUAGES", ["en", "de", "fr"])
LANGUAGE_CODE = LANGUAGES[0][0]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names (cache forever) plus gzip and brotli copies served by whitenoise.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 3600  # un-hashed names; hashed ones are cached for a year automatically

# Bodies of public POSTs are small; the admin's page editor needs many fields.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # Wagtail's preview views opt back in to SAMEORIGIN themselves

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "axes": {"level": "WARNING"},  # lock-outs are WARNING; every sign-in's bookkeeping is INFO
    },
}

# Wagtail
WAGTAIL_SITE_NAME = env_str("WAGTAIL_SITE_NAME", "Privacy & cookie policies")
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "txt", "xlsx"]
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILEMBEDS_RESPONSIVE_HTML = True

# CDN purging on publish (wagtail.contrib.frontend_cache). Off unless configured; see README.
WAGTAILFRONTENDCACHE = {}
if env_str("FRONTEND_CACHE_CLOUDFLARE_ZONEID"):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "BEARER_TOKEN": env_str("FRONTEND_CACHE_CLOUDFLARE_BEARER_TOKEN"),
        "ZONEID": env_str("FRONTEND_CACHE_CLOUDFLARE_ZONEID"),
    }
if env_str("FRONTEND_CACHE_PURGE_URL"):  # Varnish, Fastly, nginx … anything that accepts PURGE
    WAGTAILFRONTENDCACHE["http"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": env_str("FRONTEND_CACHE_PURGE_URL"),
    }
# How long a CDN may keep a page (s-maxage): short unless the CDN is purged on every change, and even
# then bounded, because routes with query strings and policy sub-routes are not purged one by one.
PAGE_CACHE_CDN_MAX_AGE = env_int("PAGE_CACHE_CDN_MAX_AGE", 300 if WAGTAILFRONTENDCACHE else 60)

# Consent (see consent/; lifetimes are editable under Settings › Consent).
CONSENT_COOKIE_NAME = env_str("CONSENT_COOKIE_NAME", "cookie_consent")
# Consent records report: exports up to this many rows stream from the admin; larger ones are made
# with `manage.py export_consent_records` (a request must finish within gunicorn's timeout).
CONSENT_EXPORT_STREAM_MAX_ROWS = env_int("CONSENT_EXPORT_STREAM_MAX_ROWS", 150_000)
# The consent cookie is Secure whenever the request came over HTTPS; true: always (even over HTTP).
CONSENT_COOKIE_SECURE = env_bool("CONSENT_COOKIE_SECURE", False)
# /.well-known/gpc.json "lastUpdate": the day this site's Global Privacy Control handling last changed.
GPC_LAST_UPDATE = env_str("GPC_LAST_UPDATE", "2026-12-02")
try:
    datetime.date.fromisoformat(GPC_LAST_UPDATE)
except ValueError:
    raise ImproperlyConfigured(
        f"GPC_LAST_UPDATE must be a date like 2026-12-02, not {GPC_LAST_UPDATE!r}."
    ) from None

# Security (security/; README, *Security*). The client address: REMOTE_ADDR unless trusted proxies
# are named, by count (nginx alone: 1) or by network; X-Forwarded-For is believed only from them.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
TRUSTED_PROXY_NETWORKS = env_list("TRUSTED_PROXY_NETWORKS", [])
# The admin (and its previews) on its own host name for full origin isolation, e.g.
# admin.policies.example.org; empty: the admin shares the site's host. See README, *Security*.
ADMIN_HOST = env_str("ADMIN_HOST").lower()
if ADMIN_HOST and ADMIN_HOST not in ALLOWED_HOSTS and "*" not in ALLOWED_HOSTS:
    ALLOWED_HOSTS.append(ADMIN_HOST)
# Rate-limit counters live in this cache (Redis when REDIS_URL is set, shared by every instance).
RATE_LIMIT_CACHE = "default"
# POST /consent/ per client network (/24 or /48): "count/seconds", comma-separated; "off" disables.
# A person posts 1-3 times per choice, so 60 a minute and 5000 a day let an office of ~1500 people
# behind one address all answer a new banner on the same morning, while a script is capped at
# 5000 stored records a day per network instead of thousands a minute.
CONSENT_RATE_LIMIT = env_str("CONSENT_RATE_LIMIT", "60/60,5000/86400")

# Login lock-out (django-axes): an account+address pair is locked after this many consecutive
# failures for AXES_COOLOFF_MINUTES, refusing even the right password; a success resets the count.
# Staff with "Can change user" unlock under Settings › Locked-out logins.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "security.client_address.client_ip"
AXES_LOCKOUT_CALLABLE = "security.views.lockout_response"
AXES_USERNAME_FORM_FIELD = "username"
# Password reset requests: per client address and per submitted e-mail address.
PASSWORD_RESET_RATE_LIMIT = env_str("PASSWORD_RESET_RATE_LIMIT", "5/3600")
# TOTP two-factor authentication (django-otp): any staff user may enrol; when required, superusers
# and members of these groups must enrol before they can use the admin.
STAFF_2FA_REQUIRED = env_bool("STAFF_2FA_REQUIRED", False)
STAFF_2FA_REQUIRED_GROUPS = env_list("STAFF_2FA_REQUIRED_GROUPS", ["Legal reviewers"])
OTP_TOTP_ISSUER = env_str("WAGTAIL_SITE_NAME", "Privacy & cookie policies")

# Content-Security-Policy for public pages (django-csp). No 'unsafe-inline': content_security/csp.py adds
# the origins and sha256 hashes of published ThirdPartyScript rows. /admin/ is excluded because
# Wagtail's admin needs inline scripts. CSP_EMBED_ORIGINS: who may be framed (consent_embed).
CSP_EMBED_ORIGINS = env_list("CSP_EMBED_ORIGINS", ["https://www.youtube-nocookie.com"])
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ("/admin/",),
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'", *CSP_EMBED_ORIGINS],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Permissions-Policy on every response (django-permissions-policy): no powerful feature is used.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
}
# Consent embeds (YouTube and the like) may go full screen and play media inside their frame.
for _feature in ("fullscreen", "encrypted-media", "picture-in-picture"):
    PERMISSIONS_POLICY[_feature] = ["self", *CSP_EMBED_ORIGINS]
