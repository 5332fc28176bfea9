"""`/healthz`: whether this process can serve, for load balancers and container probes."""

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.utils.cache import add_never_cache_headers

HEALTH_PATH = "/healthz"


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True


def health_response() -> JsonResponse:
    healthy = database_answers()
    response = JsonResponse(
        {"status": "ok" if healthy else "error", "database": "ok" if healthy else "unavailable"},
        status=200 if healthy else 503,
    )
    add_never_cache_headers(response)
    return response


class HealthCheckMiddleware:
    """Answers `/healthz` before anything reads the Host header, sessions or the user.

    A probe asks by address (127.0.0.1 in the container), which ALLOWED_HOSTS rightly refuses
    for every other page.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if request.path == HEALTH_PATH and request.method in ("GET", "HEAD"):
            return health_response()
        return self.get_response(request)
