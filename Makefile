# courtinfo: `make run` serves the demo site, `make test` runs every check.
#
# Dependencies are declared once, in pyproject.toml (`dependencies`, and the `dev` extra for tests
# and tools). The lock files are compiled from it with pip-tools (`.venv/bin/pip install pip-tools`);
# dev.txt is constrained by main.txt so both pin the same versions. After editing pyproject.toml:
#
#   .venv/bin/pip-compile --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
#       --no-emit-find-links --output-file requirements/main.txt pyproject.toml
#   .venv/bin/pip-compile --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
#       --no-emit-find-links --extra dev --constraint requirements/main.txt \
#       --output-file requirements/dev.txt pyproject.toml
#
# Add --upgrade (or --upgrade-package NAME) to move pins forward; run both, main.txt first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
DEV_ENV := DJANGO_DEBUG=1

.PHONY: install run serve test lint format demo bench messages

install: $(VENV)/.installed messages

$(VENV)/.installed: requirements/dev.txt $(wildcard package-lock.json)
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "courtinfo needs Python 3.11 or newer; set PYTHON=python3.x")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.txt
	@# axe-core is only for the accessibility test; without npm that test skips (and fails in CI).
	@if [ -f package.json ] && command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent; fi
	@touch $@

# The interface's translations: locale/<lang>/LC_MESSAGES/django.po, compiled to .mo files.
MESSAGES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))
messages: $(MESSAGES)

locale/%.mo: locale/%.po $(VENV)/.installed
	@$(DEV_ENV) $(PY) manage.py compilemessages -v 0

demo: install
	@mkdir -p var
	@$(DEV_ENV) $(PY) manage.py migrate --noinput -v 0
	@# The workflow events of the demo's sample answers would bury the accounts it prints.
	@$(DEV_ENV) COURTINFO_EVENT_LOG_LEVEL=WARNING $(PY) manage.py setup_demo

run: demo
	@$(DEV_ENV) COURTINFO_DEMO=1 COURTINFO_REQUEST_LOG_LEVEL=WARNING $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Production mode on this machine: debug off, gunicorn (gunicorn.conf.py), static files hashed and
# compressed by collectstatic and served by WhiteNoise. One instance, so it migrates first (a no-op
# when the schema is current); the container stack migrates once, in its own service, instead.
serve: install
	@if [ -z "$$DJANGO_SECRET_KEY" ]; then \
	  echo "make serve: set DJANGO_SECRET_KEY (a long random string), and DATABASE_URL for PostgreSQL" >&2; \
	  exit 1; fi
	@mkdir -p var
	@DJANGO_DEBUG=0 $(PY) manage.py migrate --noinput -v 0
	@DJANGO_DEBUG=0 $(PY) manage.py collectstatic --noinput -v 0
	DJANGO_DEBUG=0 PORT=$(PORT) $(VENV)/bin/gunicorn -c gunicorn.conf.py

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# pytest exits 5 when it collected no test: treat that as a failure so an empty run never passes.
test: lint
	@$(DEV_ENV) $(PY) -m pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: no tests were collected" >&2; exit 1; fi; exit $$rc

# Timings with ratios to the framework floor, on a throwaway database that DATABASE_URL picks
# (SQLite when unset). BENCH_SCALE=small|medium|national picks the data (medium when unset); the
# figures go to var/bench.json. BENCH_ARGS passes options, e.g. BENCH_ARGS=--compare to print the
# previous run's figures beside the new ones.
bench: install
	@$(DEV_ENV) $(PY) -m bench.run $(BENCH_ARGS)
