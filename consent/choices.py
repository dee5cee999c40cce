"""Reading and validating a consent choice sent to ``POST /consent/``, and deriving what it means.

Everything here is strict on purpose: a consent record is legal evidence, so a body that is not
exactly one of the shapes in the contract is refused with a 4xx and a sentence saying why, and nothing
is written. Validation runs in this order so that the most useful answer wins:

1. size (413), content type (415), syntax and shape (400);
2. registry version (409 with the current one: the visitor saw an older banner, so the client should
   re-render before anything else is judged, e.g. a category that has since been removed);
3. categories (unknown, refusing an essential one) and the action/granted consistency (400):
   accept_all must grant every optional category and reject_all none. The no-JS form is the exception:
   a plain HTML form always sends its checkboxes as they stand, so there "Accept all"/"Reject all"
   mean exactly that and the ticked boxes are ignored (they are still checked for unknown keys).

Deriving the stored action (``derive_action``) — the visitor's previous choice is the one in their
verified consent cookie, restricted to the optional categories that still exist:

* **withdraw**: at least one previously granted category is now refused, whichever button was pressed
  (GDPR Art. 7(3): withdrawing any part of a consent is a withdrawal);
* **renewal**: the same set of categories is confirmed again after the previous choice expired or the
  registry version changed (the visitor was asked again and said the same);
* otherwise the requested action (accept_all, reject_all, custom); a "withdraw" request that withdraws
  nothing is stored as reject_all (nothing granted) or custom.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, QueryDict
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext

from .cookie import ConsentCookie
from .models import REQUESTABLE_ACTIONS, ConsentAction

MAX_BODY_BYTES = 4096
MAX_CATEGORY_KEY_LENGTH = 64
MAX_CATEGORIES = 50
MAX_REGISTRY_VERSION = 1_000_000_000
JSON_CONTENT_TYPE = "application/json"
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
JSON_FIELDS = {"action", "granted", "registry_version", "refused"}
# The no-JS form; Django's CSRF field is tolerated (and ignored) should a template ever add one.
FORM_FIELDS = {"action", "granted", "registry_version", "refused", "next", "csrfmiddlewaretoken"}
REQUESTABLE = {action.value for action in REQUESTABLE_ACTIONS}


class ConsentRequestError(Exception):
    """A choice we refuse: HTTP status, one clear sentence, and extra JSON fields for the client."""

    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.extra = extra


@dataclass(frozen=True)
class SubmittedChoice:
    """A syntactically valid choice, not yet checked against the registry."""

    requested_action: str
    granted: frozenset[str]
    refused: frozenset[str]
    registry_version: int
    next_url: str = ""
    is_form: bool = False


@dataclass(frozen=True)
class ValidatedChoice:
    """A choice checked against the live registry: only optional keys, refusals derived."""

    requested_action: str
    granted: frozenset[str]
    refused: frozenset[str]
    submitted: SubmittedChoice = field(repr=False)


def is_form_request(request: HttpRequest) -> bool:
    return request.content_type == FORM_CONTENT_TYPE


def read_limited_body(request: HttpRequest) -> bytes:
    """The raw body, refusing anything over MAX_BODY_BYTES by its declared length and by what arrives."""
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if not declared.isdigit():
        raise ConsentRequestError(400, "The Content-Length header is not a number.")
    if int(declared) > MAX_BODY_BYTES:
        raise ConsentRequestError(413, f"The request body is larger than {MAX_BODY_BYTES} bytes.")
    body = request.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        raise ConsentRequestError(413, f"The request body is larger than {MAX_BODY_BYTES} bytes.")
    return body


def parse_choice(request: HttpRequest) -> SubmittedChoice:
    """Read and parse the body of a consent POST (JSON or the no-JS form)."""
    content_type = request.content_type
    if content_type not in (JSON_CONTENT_TYPE, FORM_CONTENT_TYPE):
        raise ConsentRequestError(
            415,
            f"Send the choice as {JSON_CONTENT_TYPE} or {FORM_CONTENT_TYPE}, not {content_type or 'nothing'}.",
        )
    charset = (request.content_params or {}).get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise ConsentRequestError(415, "The request body must be UTF-8.")
    body = read_limited_body(request)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ConsentRequestError(400, "The request body is not valid UTF-8.") from None
    if content_type == JSON_CONTENT_TYPE:
        return _parse_json(text)
    return _parse_form(text, request)


def _parse_json(text: str) -> SubmittedChoice:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise ConsentRequestError(400, "The request body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise ConsentRequestError(400, "The request body must be a JSON object.")
    unknown = sorted(set(data) - JSON_FIELDS)
    if unknown:
        raise ConsentRequestError(400, f"Unknown field: {', '.join(unknown)[:200]}.")
    for required in ("action", "granted", "registry_version"):
        if required not in data:
            raise ConsentRequestError(400, f"The field {required!r} is missing.")
    action = data["action"]
    if not isinstance(action, str) or action not in REQUESTABLE:
        raise ConsentRequestError(400, f"Unknown action; expected one of {', '.join(sorted(REQUESTABLE))}.")
    version = data["registry_version"]
    if isinstance(version, bool) or not isinstance(version, int) or not 0 <= version < MAX_REGISTRY_VERSION:
        raise ConsentRequestError(400, "registry_version must be a whole number.")
    return SubmittedChoice(
        requested_action=action,
        granted=_category_keys(data["granted"], "granted"),
        refused=_category_keys(data.get("refused", []), "refused"),
        registry_version=version,
    )


def _parse_form(text: str, request: HttpRequest) -> SubmittedChoice:
    try:
        form = QueryDict(text, encoding="utf-8")
    except Exception:  # TooManyFieldsSent and friends: Django raises several types
        raise ConsentRequestError(400, "The form data could not be read.") from None
    unknown = sorted(set(form) - FORM_FIELDS)
    if unknown:
        raise ConsentRequestError(400, f"Unknown form field: {', '.join(unknown)[:200]}.")
    action = _single(form, "action", required=True)
    if action not in REQUESTABLE:
        raise ConsentRequestError(400, f"Unknown action; expected one of {', '.join(sorted(REQUESTABLE))}.")
    version_text = _single(form, "registry_version", required=True)
    if not version_text.isascii() or not version_text.isdigit() or len(version_text) > 9:
        raise ConsentRequestError(400, "registry_version must be a whole number.")
    next_url = _single(form, "next", required=False)
    if next_url and not is_safe_next_url(next_url, request):
        raise ConsentRequestError(400, "next must be a path on this site.")
    return SubmittedChoice(
        requested_action=action,
        granted=_category_keys(form.getlist("granted"), "granted"),
        refused=_category_keys(form.getlist("refused"), "refused"),
        registry_version=int(version_text),
        next_url=next_url,
        is_form=True,
    )


def _single(form: QueryDict, name: str, *, required: bool) -> str:
    values = form.getlist(name)
    if len(values) > 1:
        raise ConsentRequestError(400, f"The field {name!r} was sent more than once.")
    if not values or values[0] == "":
        if required:
            raise ConsentRequestError(400, f"The field {name!r} is missing.")
        return ""
    return values[0]


def _category_keys(value: object, name: str) -> frozenset[str]:
    if not isinstance(value, list):
        raise ConsentRequestError(400, f"{name} must be a list of category keys.")
    if len(value) > MAX_CATEGORIES:
        raise ConsentRequestError(400, f"{name} lists too many categories.")
    if not all(isinstance(key, str) and 0 < len(key) <= MAX_CATEGORY_KEY_LENGTH for key in value):
        raise ConsentRequestError(400, f"{name} must be a list of category keys.")
    if len(set(value)) != len(value):
        raise ConsentRequestError(400, f"{name} lists a category more than once.")
    return frozenset(value)


def is_safe_next_url(url: str, request: HttpRequest) -> bool:
    """Only a path on this site: no scheme, no other host, no protocol-relative ``//`` trick, and no
    control characters (browsers drop tabs and newlines, which turns ``/\t/evil.example`` into ``//``)."""
    return (
        len(url) <= 1000
        and not any(ord(character) < 32 or ord(character) == 127 for character in url)
        and url.startswith("/")
        and not url.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=False)
    )


def validate_choice(
    choice: SubmittedChoice,
    *,
    current_registry_version: int,
    essential_keys: Iterable[str],
    optional_keys: Iterable[str],
    previous: ConsentCookie | None,
) -> ValidatedChoice:
    """Check a parsed choice against the live registry and the visitor's previous choice."""
    if choice.registry_version != current_registry_version:
        raise ConsentRequestError(
            409,
            gettext(
                "The cookie list has changed since this page was loaded; please review your choices again."
            ),
            registry_version=current_registry_version,
        )
    essential, optional = frozenset(essential_keys), frozenset(optional_keys)
    known = essential | optional
    for name, keys in (("granted", choice.granted), ("refused", choice.refused)):
        unknown = sorted(keys - known)
        if unknown:
            raise ConsentRequestError(400, f"Unknown cookie category in {name}: {', '.join(unknown)[:200]}.")
    refused_essential = sorted(choice.refused & essential)
    if refused_essential:
        raise ConsentRequestError(
            400, f"Essential categories are always on and cannot be refused: {', '.join(refused_essential)}."
        )
    both = sorted(choice.granted & choice.refused)
    if both:
        raise ConsentRequestError(400, f"A category cannot be both granted and refused: {', '.join(both)}.")

    granted = choice.granted & optional  # essential keys are implicitly granted, so listing one is ignored
    action = choice.requested_action
    if choice.is_form and action in (ConsentAction.ACCEPT_ALL, ConsentAction.REJECT_ALL):
        # A plain HTML form always sends its checkboxes' current state; the button pressed is the choice.
        granted = optional if action == ConsentAction.ACCEPT_ALL else frozenset()
    if action == ConsentAction.ACCEPT_ALL and granted != optional:
        missing = ", ".join(sorted(optional - granted))
        raise ConsentRequestError(400, f"accept_all must grant every optional category (missing: {missing}).")
    if action == ConsentAction.REJECT_ALL and granted:
        raise ConsentRequestError(400, "reject_all must not grant any optional category.")
    if action == ConsentAction.WITHDRAW:
        previously = (previous.granted if previous else frozenset()) & optional
        extra = sorted(granted - previously)
        if extra:
            raise ConsentRequestError(
                400, f"withdraw can only keep categories that were granted before, not: {', '.join(extra)}."
            )
    return ValidatedChoice(
        requested_action=action, granted=granted, refused=optional - granted, submitted=choice
    )


def derive_action(
    choice: ValidatedChoice,
    *,
    previous: ConsentCookie | None,
    optional_keys: Iterable[str],
    current_registry_version: int,
    lifetime_days: int,
) -> ConsentAction:
    """The action to store; see the module docstring for the rule."""
    if previous is not None:
        previously = previous.granted & frozenset(optional_keys)
        if previously - choice.granted:
            return ConsentAction.WITHDRAW
        if previously == choice.granted and (
            previous.registry_version != current_registry_version or previous.is_expired(lifetime_days)
        ):
            return ConsentAction.RENEWAL
    if choice.requested_action == ConsentAction.WITHDRAW:
        return ConsentAction.CUSTOM if choice.granted else ConsentAction.REJECT_ALL
    return ConsentAction(choice.requested_action)
