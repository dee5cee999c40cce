"""Public consent views: the consent endpoint, the no-JS cookie settings page and the record download."""

from __future__ import annotations

import hashlib
import json
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.http import is_same_domain
from django.utils.translation import gettext, ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from cookie_registry.models import RegistryVersion
from cookie_registry.snapshot import RegistrySnapshot
from cookie_registry.versioning import ensure_registry_version
from organisation.models import OrganisationSettings
from security.client_address import client_ip
from security.rate_limit import hit, parse_limits

from .banner_data import active_language, banner_data
from .branding import brand_css
from .choices import (
    ConsentRequestError,
    derive_action,
    is_form_request,
    parse_choice,
    validate_choice,
)
from .client_trace import client_trace, truncated_ip_network
from .cookie import ConsentCookie, encode_consent_cookie, read_consent_cookie, set_consent_cookie
from .models import ConsentRecord, ConsentSettings
from .policy_versions import policy_version_links, policy_versions_in_force
from .receipts import (
    JSONLD_CONTEXT,
    RECEIPT_MAX_BYTES,
    ReceiptRejected,
    build_receipt,
    parse_receipts,
    verify_receipt,
)
from .recording import new_consent_id, record_consent


def version_to_record(registry: RegistrySnapshot) -> RegistryVersion:
    """The version a new record links to, without a query when the snapshot knows it.

    Before the registry was ever published there is none: this write path records number 1.
    """
    if registry.version_id is None:
        return ensure_registry_version()
    return RegistryVersion(pk=registry.version_id, number=registry.version_number)


# --- POST /consent/ ---------------------------------------------------------------------------------


@csrf_exempt
def record_choice(request: HttpRequest) -> HttpResponse:
    """Store a visitor's consent choice and set their signed consent cookie.

    Why csrf_exempt: every public page is identical for all anonymous visitors and may be served from
    a shared cache or CDN, so it cannot carry a per-visitor CSRF token. Forged cross-site posts are
    refused instead by where they come from (``cross_site_reason``): the browser-set ``Origin`` must be
    this site or a CSRF_TRUSTED_ORIGINS entry, ``Sec-Fetch-Site: cross-site`` is refused, and without
    an Origin a present ``Referer`` must be same-origin. Current browsers send ``Origin`` with every
    cross-origin POST, so a request with none of these headers is not a browser's cross-site form post.
    The consent cookie is SameSite=Lax, so a cross-site POST does not carry the visitor's consent id.
    """
    wants_html = is_form_request(request) or "text/html" in request.headers.get("Accept", "")
    if request.method != "POST":
        not_allowed = error_response(
            request, 405, gettext("Only POST is allowed here."), wants_html=wants_html
        )
        not_allowed["Allow"] = "POST"
        return not_allowed
    refusal = cross_site_reason(request)
    if refusal:
        return error_response(request, 403, refusal, wants_html=wants_html)
    retry_after = consent_rate_limit_wait(request)
    if retry_after:
        limited = error_response(
            request,
            429,
            ngettext(
                "Too many consent choices from your network; please try again in %(seconds)d second.",
                "Too many consent choices from your network; please try again in %(seconds)d seconds.",
                retry_after,
            )
            % {"seconds": retry_after},
            wants_html=wants_html,
            retry_after=retry_after,
        )
        limited["Retry-After"] = str(retry_after)
        return limited
    try:
        submitted = parse_choice(request)
        language = active_language()  # the URL's: /de/consent/ records German texts
        published = banner_data(language)
        registry = published.registry
        version = version_to_record(registry)
        lifetime_days = published.settings.consent_lifetime_days
        previous = read_consent_cookie(request)
        essential_keys = [category.key for category in registry.categories if category.is_essential]
        optional_keys = [category.key for category in registry.optional_categories]
        choice = validate_choice(
            submitted,
            current_registry_version=version.number,
            essential_keys=essential_keys,
            optional_keys=optional_keys,
            previous=previous,
        )
    except ConsentRequestError as error:
        extra = dict(error.extra)
        if error.status == 409 and not wants_html:
            extra.update(refreshed_banner(request))
        return error_response(request, error.status, error.message, wants_html=wants_html, **extra)

    action = derive_action(
        choice,
        previous=previous,
        optional_keys=optional_keys,
        current_registry_version=version.number,
        lifetime_days=lifetime_days,
    )
    # A returning visitor keeps their id so their history links up; a new one only without a valid cookie.
    consent_id = previous.consent_id if previous else new_consent_id()
    created_at = timezone.now()
    try:
        cookie_value = encode_consent_cookie(consent_id, version.number, created_at, choice.granted)
    except (
        ValueError
    ):  # a registry key outside [a-z0-9_-]: an editor's mistake, refused before anything is written
        return error_response(
            request,
            400,
            gettext(
                "One of the chosen categories cannot be stored in the consent cookie; please tell the site owner."
            ),
            wants_html=wants_html,
        )
    ip_network, user_agent_family = client_trace(request)
    record = record_consent(
        consent_id=consent_id,
        created_at=created_at,
        action=action,
        requested_action=choice.requested_action,
        granted=choice.granted,
        refused=choice.refused,
        registry_version=version,
        policy_versions=policy_versions_in_force(language),
        gpc=request.headers.get("Sec-GPC", "").strip() == "1",
        ip_network=ip_network,
        user_agent_family=user_agent_family,
        lifetime_days=lifetime_days,
        language=language,
    )
    if submitted.is_form:
        response: HttpResponse = HttpResponseRedirect(
            submitted.next_url or reverse("consent:cookie_settings") + "?saved=1", status=303
        )
    else:
        response = JsonResponse(record.as_json(), status=201)
    set_consent_cookie(response, request, cookie_value, lifetime_days)
    add_never_cache_headers(response)
    return response


def consent_rate_limit_wait(request: HttpRequest) -> int:
    """Seconds this client network must wait (0: go ahead); counted per /24 or /48, as records store it.

    ``CONSENT_RATE_LIMIT`` (README, *Security*) counts every POST that is not refused as cross-site.
    """
    limits = parse_limits(settings.CONSENT_RATE_LIMIT, setting="CONSENT_RATE_LIMIT")
    network = truncated_ip_network(client_ip(request))
    return hit("consent", network, limits)


def refreshed_banner(request: HttpRequest) -> dict[str, Any]:
    """What a 409 carries so the banner can show the new registry without a reload.

    The visitor's page was built for an older registry version: the answer brings the current
    config (``#consent-config``) and the dialog's preferences form, rendered by the same partial.
    """
    data = banner_data()
    form = render_to_string(
        "consent/includes/preferences_form.html",
        {
            "registry": data.registry,
            "granted_keys": set(),
            "consent_settings": data.settings,
            "cookie_policy_url": data.cookie_policy_url,
            "id_prefix": "cd",
        },
        request=request,
    )
    return {"config": data.config, "form": form.strip()}


def cross_site_reason(request: HttpRequest) -> str:
    """Why this POST looks forged by another site, or "" when it may proceed."""
    if request.headers.get("Sec-Fetch-Site", "").lower() == "cross-site":
        return gettext("Consent can only be given on this site (cross-site request refused).")
    origin = request.headers.get("Origin")
    if origin is not None:
        if not is_trusted_origin(origin, request):
            return gettext("Consent can only be given on this site (request from another origin refused).")
        return ""
    if request.headers.get("Sec-Fetch-Site", "").lower() == "same-site":
        return gettext("Consent can only be given on this site (request from a sibling site refused).")
    referer = request.headers.get("Referer")
    if referer and not is_trusted_origin(_origin_of(referer), request):
        return gettext("Consent can only be given on this site (request from another page origin refused).")
    # No Origin, no cross-site fetch metadata, no foreign Referer: not a browser's cross-site form post.
    return ""


def _origin_of(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def is_trusted_origin(origin: str, request: HttpRequest) -> bool:
    """This site's own origin, or one listed in CSRF_TRUSTED_ORIGINS (``*.`` wildcards as Django does)."""
    if not origin or origin == "null":
        return False
    if origin == f"{request.scheme}://{request.get_host()}":
        return True
    try:
        parts = urlsplit(origin)
    except ValueError:
        return False
    for trusted in settings.CSRF_TRUSTED_ORIGINS:
        if "*" not in trusted:
            if origin == trusted:
                return True
            continue
        trusted_parts = urlsplit(trusted)
        if trusted_parts.scheme == parts.scheme and is_same_domain(
            parts.netloc, trusted_parts.netloc.lstrip("*")
        ):
            return True
    return False


def error_response(
    request: HttpRequest, status: int, message: str, *, wants_html: bool, **extra: Any
) -> HttpResponse:
    """A 4xx saying why: JSON ``{"error": ...}`` for scripts, a readable page for the no-JS form."""
    if wants_html:
        response = render(
            request,
            "consent/choice_error.html",
            {"status": status, "message": message, "stale": status == 409, **extra},
            status=status,
        )
    else:
        response = JsonResponse({"error": message, **extra}, status=status)
    add_never_cache_headers(response)
    return response


# --- GET /cookie-settings/ --------------------------------------------------------------------------


def cookie_settings(request: HttpRequest) -> HttpResponse:
    """The visitor's own choice and the form to change it; works without JavaScript.

    Per visitor (it reads their consent cookie), so it is never cached: ``private, no-store``.
    """
    published = banner_data()
    registry = published.registry
    version = registry.version_number
    lifetime_days = published.settings.consent_lifetime_days
    consent_settings = published.settings
    cookie = read_consent_cookie(request)
    context: dict[str, Any] = {
        "consent_settings": consent_settings,
        "registry": registry,
        "registry_version": version,
        "granted_keys": set(),
        "next_url": "",
        "consent": None,
        "saved": request.GET.get("saved") == "1" and cookie is not None,
        "cookie_policy_url": published.cookie_policy_url,
    }
    if cookie is not None:
        context["consent"] = describe_consent(cookie, registry, version, lifetime_days)
        if context["consent"]["is_current"]:
            context["granted_keys"] = set(context["consent"]["granted_keys"])
    response = render(request, "consent/cookie_settings.html", context)
    add_never_cache_headers(response)
    patch_vary_headers(response, ["Cookie"])
    return response


def describe_consent(
    cookie: ConsentCookie, registry: RegistrySnapshot, version: int, lifetime_days: int
) -> dict[str, Any]:
    """What the settings page says about a verified cookie and the latest record behind it."""
    names = {category.key: category.name for category in registry.categories}
    optional_keys = [category.key for category in registry.optional_categories]
    latest_record = ConsentRecord.objects.for_consent_id(cookie.consent_id).last()
    expired = cookie.is_expired(lifetime_days)
    return {
        "consent_id": cookie.consent_id,
        "chosen_at": cookie.chosen_at,
        "registry_version": cookie.registry_version,
        "granted_keys": sorted(cookie.granted & set(optional_keys)),
        "granted": [names[key] for key in optional_keys if key in cookie.granted],
        "refused": [names[key] for key in optional_keys if key not in cookie.granted],
        "no_longer_offered": sorted(cookie.granted - set(optional_keys)),
        "is_expired": expired,
        "is_outdated": cookie.registry_version != version,
        "is_current": cookie.is_current(version, lifetime_days),
        "record": latest_record,
        "policy_versions": policy_version_links(latest_record) if latest_record else [],
    }


def consent_record_download(request: HttpRequest) -> HttpResponse:
    """Every record behind the visitor's verified consent cookie, as consent receipts (JSON-LD)."""
    cookie = read_consent_cookie(request)
    if cookie is None:
        response: HttpResponse = JsonResponse(
            {
                "error": gettext(
                    "This browser has no valid consent choice, so there is no record to download."
                )
            },
            status=404,
        )
    else:
        records = (
            ConsentRecord.objects.for_consent_id(cookie.consent_id)
            .select_related("registry_version")
            .prefetch_related("policy_versions__page")
        )
        organisation = OrganisationSettings.load(request_or_site=request)
        base_url = request.build_absolute_uri("/").rstrip("/")
        data = {
            "@context": JSONLD_CONTEXT,
            "consent_id": cookie.consent_id,
            "exported_at": timezone.now().isoformat(),
            "@graph": [build_receipt(r, organisation=organisation, base_url=base_url) for r in records],
        }
        response = HttpResponse(json.dumps(data, indent=2), content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="consent-record-{cookie.consent_id}.json"'
    add_never_cache_headers(response)
    patch_vary_headers(response, ["Cookie"])
    return response


# --- GET /consent/brand-<digest>.css -----------------------------------------------------------------


def brand_stylesheet(request: HttpRequest, digest: str) -> HttpResponse:
    """Settings › Consent colours and position as CSS (no inline styles under the strict CSP).

    The URL names the hash of the current text, so that URL is cached for a year; a page cached
    before the last save may ask for an older hash, and gets today's text with a short lifetime.
    """
    css = brand_css(ConsentSettings.load(request_or_site=request))
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    if hashlib.sha256(css.encode()).hexdigest()[:12] == digest:
        response["Cache-Control"] = "public, max-age=31536000, immutable"
    else:
        response["Cache-Control"] = "public, max-age=60"
    return response


# --- /consent/verify/ -------------------------------------------------------------------------------


@csrf_exempt
def verify_receipt_view(request: HttpRequest) -> HttpResponse:
    """Check a consent receipt (pasted or uploaded) against the stored record and the chain.

    Why csrf_exempt: it changes nothing and reveals nothing beyond what the receipt holds (it only says
    whether the receipt matches), and the form page itself may come from the shared page cache.
    """
    context: dict[str, Any] = {"max_kb": RECEIPT_MAX_BYTES // 1024, "results": None, "error": ""}
    status = 200
    if request.method == "POST":
        try:
            raw = _submitted_receipt(request)
            context["results"] = [verify_receipt(receipt) for receipt in parse_receipts(raw)]
        except ReceiptRejected as rejected:
            context["error"] = str(rejected)
            status = 400
    elif request.method != "GET":
        return HttpResponse(status=405, headers={"Allow": "GET, POST"})
    response = render(request, "consent/verify_receipt.html", context, status=status)
    if request.method == "POST":
        add_never_cache_headers(response)
    return response


def _submitted_receipt(request: HttpRequest) -> bytes | str:
    if int(request.META.get("CONTENT_LENGTH") or 0) > RECEIPT_MAX_BYTES * 2 + 4096:
        raise ReceiptRejected(gettext("The receipt is larger than 64 KB, so it is not one of ours."))
    upload = request.FILES.get("receipt_file")
    if upload is not None:
        if upload.size is None:  # Django sets it for every file it parsed from the request
            raise RuntimeError("An uploaded file without a size.")
        if upload.size > RECEIPT_MAX_BYTES:
            raise ReceiptRejected(gettext("The receipt is larger than 64 KB, so it is not one of ours."))
        return upload.read(RECEIPT_MAX_BYTES + 1)
    return request.POST.get("receipt", "")


@require_GET
def gpc_well_known(request: HttpRequest) -> JsonResponse:
    """``/.well-known/gpc.json`` as the GPC specification defines it: this site honours the signal."""
    response = JsonResponse({"gpc": True, "lastUpdate": settings.GPC_LAST_UPDATE})
    response["Access-Control-Allow-Origin"] = "*"
    return response
