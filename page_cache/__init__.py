"""Anonymous page caching keyed by the site generation, bounded, and optional.

A cacheable request (anonymous GET/HEAD: no session cookie, no Authorization header, not an
excluded path such as /admin/ or /cookie-settings/) is looked up under a key built from the site
generation (``site_data.generation``: any published change bumps it), scheme, lower-cased host, path
and the query parameters that route reads (``keys.py``; tracking parameters are dropped). Pages are
kept in each worker's memory and, with ``REDIS_URL``, in Redis too (``store.py``). When the
generation cannot be read, pages are rendered fresh. Cached pages carry
``Cache-Control: public, max-age=0, s-maxage=N`` and an ETag; per-visitor responses ``private,
no-store``. A committed bump purges a configured CDN (``purge.py``). Details: README, "Page cache".
"""
