"""Public, cacheable digests: one JSON document per day at a stable URL, an index and an Atom feed."""

from __future__ import annotations

import datetime

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .canonical import canonical_json
from .models import EvidenceDigest

FEED_ENTRIES = 60


def _digest_url(request: HttpRequest, digest: EvidenceDigest) -> str:
    return request.build_absolute_uri(reverse("evidence:digest", args=[digest.date.isoformat()]))


@never_cache  # changes once a day; each dated digest below is immutable and cacheable
@require_GET
def digest_index(request: HttpRequest) -> JsonResponse:
    digests = EvidenceDigest.objects.order_by("-date").only("date", "digest_hash")
    return JsonResponse(
        {
            "digests": [
                {"date": d.date.isoformat(), "digest_hash": d.digest_hash, "url": _digest_url(request, d)}
                for d in digests
            ]
        }
    )


@never_cache  # changes once a day; each dated digest below is immutable and cacheable
@require_GET
def latest_digest(request: HttpRequest) -> HttpResponse:
    digest = EvidenceDigest.objects.order_by("-date").first()
    if digest is None:
        raise Http404("No evidence digest has been published yet.")
    return redirect("evidence:digest", digest.date.isoformat())


@require_GET
def digest_detail(request: HttpRequest, day: str) -> HttpResponse:
    try:
        date = datetime.date.fromisoformat(day)
    except ValueError:
        raise Http404("Not a date.") from None
    digest = get_object_or_404(EvidenceDigest, date=date)
    body = canonical_json({"document": digest.document, "digest_hash": digest.digest_hash})
    return HttpResponse(body, content_type="application/json")


@never_cache  # changes once a day; each dated digest below is immutable and cacheable
@require_GET
def digest_feed(request: HttpRequest) -> HttpResponse:
    feed = Atom1Feed(
        title="Evidence digests",
        link=request.build_absolute_uri(reverse("evidence:index")),
        description="Each day's hash-chain heads and counts of consent records and policy and registry versions.",
        feed_url=request.build_absolute_uri(reverse("evidence:feed")),
        language="en",
    )
    for digest in EvidenceDigest.objects.order_by("-date")[:FEED_ENTRIES]:
        feed.add_item(
            title=f"Evidence digest {digest.date:%Y-%m-%d}: {digest.digest_hash}",
            link=_digest_url(request, digest),
            description=canonical_json(digest.document).decode("utf-8"),
            unique_id=f"urn:sha256:{digest.digest_hash}",
            updateddate=digest.created_at,
            pubdate=digest.created_at,
        )
    return HttpResponse(feed.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8")
