"""Anonymous page caching with exact, event-driven invalidation.

How a cached page is found
--------------------------
A cacheable request (anonymous GET/HEAD: no session cookie, no Authorization header, not an
excluded path such as /admin/ or /cookie-settings/) is looked up under a key built from

* the **site generation** – one token for the whole site, changed when something on every page
  changes (banner = cookie registry, navigation, footer = organisation settings, consent settings,
  Site records, page moves, slug changes, deletions);
* one **subtree token** per leading path prefix (``/cookie-policy/``, ``/cookie-policy/versions/`` …),
  changed when the page at that path is published or unpublished, or one of its policy versions
  changes, so its own routes (version list, archived versions, diffs, feed) and any descendants
  go together;
* one **exact-path token**, changed when a child of that page is published (the home page lists
  its children);
* scheme, host, path and the normalised query string.

All tokens are read with one ``get_many`` per request. Invalidating means writing a new random
token, never deleting pages: entries stored under the old token are simply never asked for again
and age out. New tokens are random, so a token that is evicted and recreated can never resurrect
an old entry, and concurrent bumps cannot collide (no read-modify-write such as ``incr``).

Several gunicorn workers and instances
--------------------------------------
The tokens live in the ``page_tokens`` cache and the pages in the ``pages`` cache. With
``REDIS_URL`` both are Redis, shared by every worker of every instance, so a publish handled by
one worker changes the key every other worker computes on its next request. Without Redis, the
tokens live in a file-based cache under ``var/`` (shared by all workers on the host) and the pages
in each worker's local memory: a worker can hold a stale page, but it can no longer reach it,
because the key it computes contains the new token. Only the tokens need to be shared for
correctness; sharing the pages merely saves memory and warm-up.

Nothing stale after the publish returns
---------------------------------------
Tokens are changed as soon as the signal fires (inside the publishing transaction) *and* again
when the transaction commits. A request that rendered the old content between the two would have
stored it under the intermediate token, which the second change retires.

What is never cached
--------------------
Editors (a session cookie means a possibly logged-in user: previews and the userbar), the admin,
POSTs, responses other than 200, responses that set cookies, vary on ``Cookie`` or say
``private``/``no-store``/``no-cache``, and the excluded per-visitor paths. Those get
``Cache-Control: private, no-store`` when the view set nothing, so a CDN never keeps them.

Headers for a CDN
-----------------
Cached pages carry ``Cache-Control: public, max-age=0, s-maxage=N`` and a strong ``ETag``: browsers
revalidate every time (a 304 with no body when unchanged); a CDN may keep the page for N seconds.
When ``WAGTAILFRONTENDCACHE`` is configured (see README, "CDN"), the same events purge the CDN:
Wagtail purges a published page itself, this app purges every live page on site-wide changes.
"""
