"""Gunicorn settings shared by `make serve` and the container: `gunicorn -c gunicorn.conf.py`."""

import json
import multiprocessing
import os
import sys

from gunicorn.glogging import Logger

# Settings would refuse too, but in every worker and with a traceback; say it once, plainly.
if not os.environ.get("DJANGO_SECRET_KEY"):
    sys.exit("gunicorn: DJANGO_SECRET_KEY is not set; courtinfo refuses to serve without it.")

wsgi_app = "courtinfo.wsgi:application"
bind = f"{os.environ.get('BIND_HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"  # noqa: S104
# Gunicorn's own rule of thumb for synchronous workers; WEB_CONCURRENCY overrides it.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# Recycle workers now and then, staggered so they do not all restart at once.
max_requests = 1000
max_requests_jitter = 100
timeout = 30
graceful_timeout = 30
# Behind a reverse proxy the client may keep its connection open a little longer than the proxy.
keepalive = 5
# The runtime control socket lives in $HOME, shared by every instance on the machine; unused here.
control_socket_disable = True
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

accesslog = "-"
errorlog = "-"
# One JSON object a line, like the application's own log; the request id ties the two together.
access_log_format = json.dumps(
    {
        "logger": "gunicorn.access",
        "remote": "%(h)s",
        "method": "%(m)s",
        "path": "%(U)s",
        "query": "%(q)s",
        "status": "%(s)s",
        "bytes": "%(B)s",
        "duration_ms": "%(M)s",
        "request_id": "%({x-request-id}o)s",
        "user_agent": "%(a)s",
    }
)


class ProbeQuietLogger(Logger):
    """The access log without the health probe's requests, which come every few seconds."""

    def access(self, resp, req, environ, request_time) -> None:
        if environ.get("PATH_INFO") != "/healthz":
            super().access(resp, req, environ, request_time)


logger_class = ProbeQuietLogger
