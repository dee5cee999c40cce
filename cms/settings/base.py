"""Settings shared by every environment. Deploy-time values come from the environment."""

import datetime
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .environment import cache_from_env, database_from_env, env_bool, env_int, env_list, env_str

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
    "operations",
    "page_cache",
    "site_data",
    "evidence",
    # Wagtail
    "wagtail.contrib.settings",
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
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Anonymous pages from the cache; below sessions on purpose (see page_cache/middleware.py).
    "page_cache.middleware.PageCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Content-Security-Policy (django-csp) plus the published third-party scripts' sources.
    "consent.csp.RegistryAwareCSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

DATABASES = {"default": database_from_env(BASE_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
CACHES = cache_from_env()
# Page cache (page_cache/): its invalidation tokens must be shared by every worker and instance,
# the pages themselves may live in each worker's memory. See page_cache/__init__.py.
if "redis" in CACHES["default"]["BACKEND"].lower():
    _redis_prefix = CACHES["default"]["KEY_PREFIX"]
    CACHES["page_tokens"] = {
        **CACHES["default"],
        "KEY_PREFIX": f"{_redis_prefix}-page-tokens",
        "TIMEOUT": None,
    }
    CACHES["pages"] = {**CACHES["default"], "KEY_PREFIX": f"{_redis_prefix}-pages"}
else:
    CACHES["page_tokens"] = {
        "BACKEND": "page_cache.token_store.FileTokenCache",
        "LOCATION": env_str("PAGE_CACHE_TOKEN_DIR", str(BASE_DIR / "var" / "page-cache-tokens")),
    }
    CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
# The site generation (site_data/): shared by every worker and instance, like the page tokens.
CACHES["site_generation"] = {
    **CACHES["page_tokens"],
    **(
        {"KEY_PREFIX": f"{CACHES['default']['KEY_PREFIX']}-site-generation"}
        if "redis" in CACHES["default"]["BACKEND"].lower()
        else {"LOCATION": env_str("SITE_GENERATION_DIR", str(BASE_DIR / "var" / "site-generation"))}
    ),
}
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 3600)  # an upper bound; changes invalidate at once

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
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
# /.well-known/gpc.json "lastUpdate": the day this site's Global Privacy Control handling last changed.
GPC_LAST_UPDATE = env_str("GPC_LAST_UPDATE", "2026-12-02")
try:
    datetime.date.fromisoformat(GPC_LAST_UPDATE)
except ValueError:
    raise ImproperlyConfigured(
        f"GPC_LAST_UPDATE must be a date like 2026-12-02, not {GPC_LAST_UPDATE!r}."
    ) from None

# Content-Security-Policy for public pages (django-csp). No 'unsafe-inline': consent/csp.py adds
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
