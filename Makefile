# Magok portal. `make run` serves the portal with demo data; `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/magok
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0
# Production settings for `check --deploy` (values only need to be well-formed).
DEPLOY_ENV := DJANGO_ENV=production SECRET_KEY=check-deploy-$(shell printf '%064d' 0) \
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) ALLOWED_HOSTS=magok.example.kr DEBUG=0

.PHONY: run test fuzz lint check-migrations check-deploy messages bench typecheck audit deploy-check clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# The last step serves the web server, a Celery worker and its beat under one supervisor
# (magok/management/commands/serve_local.py): Ctrl-C or TERM stops them all.
run: $(VENV)/.installed
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py install_periodic_tasks
	$(PY) manage.py generate_series
	@echo "Portal: http://127.0.0.1:$(PORT)  (staff: admin@sba.example.kr / magok-admin-2027, representative: ceo@robotis.example.kr / magok-demo-2027)"
	@# Links in e-mails and calendars point at this server unless SITE_URL says otherwise.
	exec env SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)} $(PY) manage.py serve_local --port=$(PORT)

# Two runs: tests that commit for real empty the database when they finish, so they run after
# the others (see tests/conftest.py).
PYTEST := DJANGO_ENV=test DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(PY) -m pytest -n 2 --dist loadgroup
test: $(VENV)/.installed lint typecheck check-migrations check-deploy
	$(PYTEST) -m "not transactional" $(PYTEST_ARGS)
	$(PYTEST) -m "transactional" $(PYTEST_ARGS)
	$(MAKE) bench SMOKE=1

# Schemathesis for longer than `make test` runs it: more examples per operation and a new seed
# each day unless FUZZ_SEED is given (a failure prints the seed to replay it).
FUZZ_EXAMPLES ?= 300
FUZZ_SEED ?= $(shell date +%Y%m%d)
fuzz: $(VENV)/.installed
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) FUZZ_SEED=$(FUZZ_SEED) $(PYTEST) tests/test_api_schema_fuzz.py $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .

check-migrations: $(VENV)/.installed
	$(PY) manage.py makemigrations --check --dry-run

check-deploy: $(VENV)/.installed
	$(DEPLOY_ENV) $(PY) manage.py check --deploy --fail-level WARNING

# Regenerate and compile the English catalogs (Korean is the source language). Each app keeps
# its own catalog in <app>/locale; the project templates and magok/ use locale/. Run without
# settings so that makemessages writes to the catalog of the folder it runs in.
APPS := accounts companies events programs notifications legal backoffice meetings hiring audit digest
messages: $(VENV)/.installed
	for app in $(APPS); do \
		(cd $$app && mkdir -p locale && env -u DJANGO_SETTINGS_MODULE $(CURDIR)/$(VENV)/bin/django-admin makemessages -l en --no-obsolete --no-location) || exit 1; \
	done
	env -u DJANGO_SETTINGS_MODULE $(VENV)/bin/django-admin makemessages -l en --no-obsolete --no-location \
		$(foreach app,$(APPS),--ignore=$(app)/*) --ignore=.venv/* --ignore=tests/* --ignore=var/* --ignore=bench/*
	for dir in . $(APPS); do (cd $$dir && env -u DJANGO_SETTINGS_MODULE $(CURDIR)/$(VENV)/bin/django-admin compilemessages) || exit 1; done

# The HTTP benchmark (bench/http_bench.py, bench/README.md): gunicorn under production settings,
# wrk, the registration rush and the reminder fan-out, at 10,000 companies and at the demo size;
# writes bench/RESULTS.md. Needs wrk (apt-get install wrk). SMOKE=1: tiny data, one second per
# page, writes test-output/bench-smoke.json only (part of `make test`, so the harness cannot rot).
# The other scripts in bench/ (search, enumeration timing, in-process registration) run one by one.
BENCH := DATABASE_URL=$(TEST_DATABASE_URL) $(PY) bench/http_bench.py
bench: $(VENV)/.installed
ifdef SMOKE
	$(BENCH) --smoke --output test-output/bench-smoke.json
else
	$(BENCH) --size large --label after-large $(BENCH_ARGS)
	$(BENCH) --size demo --label after-demo --skip-rush --skip-fanout $(BENCH_ARGS)
endif

# Security audit: bandit on the code (fails on medium or high findings) and pip-audit on the
# installed, pinned dependencies. The tools live in their own virtualenv. See SECURITY.md.
AUDIT_VENV := .venv-audit
$(AUDIT_VENV)/.installed: requirements-audit.txt
	test -x $(AUDIT_VENV)/bin/python || $(PYTHON) -m venv $(AUDIT_VENV)
	$(AUDIT_VENV)/bin/python -m pip install --quiet -r requirements-audit.txt
	touch $@

audit: $(VENV)/.installed $(AUDIT_VENV)/.installed
	$(AUDIT_VENV)/bin/bandit --quiet --recursive --severity-level medium --confidence-level medium \
		--exclude '*/migrations/*' magok accounts companies events programs meetings hiring notifications legal backoffice audit digest
	PIPAPI_PYTHON_LOCATION=$(CURDIR)/$(PY) $(AUDIT_VENV)/bin/pip-audit --progress-spinner off --format json \
		| $(PY) .ci/pip_audit_report.py

# The production shape run for real (README "Run in production"): base images built from
# Debian's packages, the image from the Dockerfile, docker-compose.yml (and the scale-out
# override) under podman-compose, and the smoke test .ci/deploy/smoke.py. Not part of `make test`.
deploy-check:
	bash .ci/deploy/check.sh

typecheck: $(VENV)/.installed
	$(VENV)/bin/mypy magok accounts companies events programs notifications legal backoffice meetings hiring audit digest

clean:
	rm -rf var db.sqlite3 test-output
