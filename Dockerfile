# courtinfo in production: gunicorn (gunicorn.conf.py, as `make serve`), static files collected at
# build and served by WhiteNoise. Migrations run once, in compose.yaml's `migrate` service.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORT=8000

RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin courtinfo
WORKDIR /app

# The runtime lock only, every file checked against its hash.
COPY requirements/main.txt requirements/main.txt
RUN pip install --require-hashes --no-deps -r requirements/main.txt

COPY manage.py gunicorn.conf.py ./
COPY courtinfo courtinfo
COPY claims claims
COPY templates templates
COPY locale locale
# The interface's Spanish (and any other) catalogs, compiled from the .po files.
RUN DJANGO_DEBUG=0 DJANGO_SECRET_KEY=compilemessages-only python manage.py compilemessages -v 0
# Hashed, compressed copies for WhiteNoise; the key exists only for this step.
RUN DJANGO_DEBUG=0 DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput -v 0

USER courtinfo
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/healthz', timeout=2)"
CMD ["gunicorn", "-c", "gunicorn.conf.py"]
