"""Rendered public pages kept in the cache framework, keyed by the generation of what is live.

A public page is a function of the live publications, the jurisdictions, the language, the demo
flag, the date (answers fall due for review) and its own address. The database counts changes to
what is live (`LiveGeneration`, bumped by triggers in the writing transaction), so a key built
from that count is never served once an answer is withdrawn or republished: the next request reads
the new count and misses. Old entries are never purged; they age out of the cache.

Conditional GET is Django's ConditionalGetMiddleware: each stored response carries its ETag
(computed once, when it is stored) and its Last-Modified, and the middleware answers 304.
"""

from __future__ import annotations

import contextvars
import hashlib
import logging
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.db import connections, router
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers, set_response_etag
from django.utils.http import http_date
from django.utils.translation import get_language

from courtinfo.models import LiveGeneration

logger = logging.getLogger(__name__)

KEY_PREFIX = "courtinfo.page"
# The generation a cached page's request read first, for the data it shares with other pages.
_page_generation: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "courtinfo_page_generation", default=None
)
_GENERATION_SQL = f"SELECT value FROM {LiveGeneration._meta.db_table} WHERE id = 1"  # noqa: S608


def live_generation() -> int | None:
    """The count of changes to what is live; None without its row (then nothing is cached)."""
    # Read on every request: plain SQL, as the ORM would spend longer building the query than
    # the database answering it. The router picks the database, as for the page's own reads.
    connection = connections[router.db_for_read(LiveGeneration)]
    with connection.cursor() as cursor:
        cursor.execute(_GENERATION_SQL)
        row = cursor.fetchone()
    return row[0] if row else None


def page_key(request: HttpRequest, generation: int) -> str:
    # The absolute address: pages name their own host and scheme (canonical links, API URLs).
    address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    demo = int(bool(settings.COURTINFO_DEMO))
    # Today's date too: a page says when an answer is due for re-review, which turns with the day.
    today = timezone.localdate().isoformat()
    return f"{KEY_PREFIX}:{generation}:{demo}:{get_language()}:{today}:{address}"


def set_last_modified(response: HttpResponse, moment) -> HttpResponse:
    """Last-Modified from a datetime (or nothing without one), for ConditionalGetMiddleware."""
    if moment is not None:
        response.headers["Last-Modified"] = http_date(moment.timestamp())
    return response


def public_cache_headers(response: HttpResponse) -> HttpResponse:
    """Headers that let browsers and shared caches (a CDN) keep the page, and revalidate it."""
    patch_cache_control(
        response,
        public=True,
        max_age=settings.COURTINFO_PUBLIC_MAX_AGE,
        s_maxage=settings.COURTINFO_SHARED_MAX_AGE,
        stale_while_revalidate=settings.COURTINFO_STALE_WHILE_REVALIDATE,
    )
    # The language is part of the page (LocaleMiddleware picks it from the request's headers).
    patch_vary_headers(response, ("Accept-Language",))
    return response


def _stored(response: HttpResponse) -> tuple[int, bytes, list[tuple[str, str]]]:
    return response.status_code, response.content, list(response.headers.items())


def _from_store(stored: tuple[int, bytes, list[tuple[str, str]]]) -> HttpResponse:
    status, content, headers = stored
    return HttpResponse(content, status=status, headers=dict(headers))


def _storable(response: HttpResponse) -> bool:
    # Only a complete, public success: never a cookie, never an error or a 410 (those read
    # tables that are not counted, and are cheap), never a streamed body.
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in response.get("Cache-Control", "")
    )


def _cache_call(method, *args):
    # The cache only saves renders: when it cannot be reached the page is rendered, not refused.
    try:
        return method(*args)
    except Exception:
        logger.warning("The page cache could not be reached.", exc_info=True)
        return None


def live_data(name: str, compute):
    """`compute()`, kept in the page cache under the generation of what is live.

    For lists that pages share and that depend only on what is live (the jurisdictions and
    topics a search can be narrowed to): a page missed in the cache reads them from the cache
    rather than the database, and a change to what is live makes them read afresh.
    """
    # Read before the data, as for pages (the page's own reading, when there is one): what is
    # stored is at least as new as this count.
    generation = _page_generation.get()
    if generation is None:
        generation = live_generation()
    if generation is None:
        return compute()
    cache = caches[settings.COURTINFO_PAGE_CACHE]
    key = f"{KEY_PREFIX}.data:{generation}:{name}"
    found = _cache_call(cache.get, key)
    if found is not None:
        return found
    value = compute()
    _cache_call(cache.set, key, value, settings.COURTINFO_PAGE_CACHE_SECONDS)
    return value


def cache_public_page(view):
    """Serve the view from the cache of rendered pages; fill it on a miss."""

    @wraps(view)
    def cached_view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        cache = caches[settings.COURTINFO_PAGE_CACHE]
        # Read before the page: the page's data is then at least as new as this count.
        generation = live_generation()
        key = page_key(request, generation) if generation is not None else None
        if key is not None:
            stored = _cache_call(cache.get, key)
            if stored is not None:
                return _from_store(stored)
        token = _page_generation.set(generation)
        try:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
        finally:
            _page_generation.reset(token)
        if response.status_code != 200 or response.streaming:
            return response
        public_cache_headers(response)
        # Computed once, here; ConditionalGetMiddleware keeps an ETag it finds.
        set_response_etag(response)
        if key is not None and _storable(response):
            _cache_call(cache.set, key, _stored(response), settings.COURTINFO_PAGE_CACHE_SECONDS)
        return response

    return cached_view
