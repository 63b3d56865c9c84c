# NoClash CRM. `make run` serves the product on the embedded default; `make test` runs every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
export PORT

.PHONY: run test install lint format messages bench-claims bench-recycle bench-dedupe eval-dedupe bench-credits bench-pool bench-intake bench-routing bench-dashboard bench-bulk serve backup restore bench-team bench-import bench-export

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

run: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py seed_demo
	@$(BIN)/python scripts/banner.py
	DEBUG=1 PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho --no-prefix -f scripts/Procfile -d . start

# A real team on this machine (crm/team.py): gunicorn, DEBUG off, SQLite (WAL) + the local
# broker, worker and beat, no demo data; data, secret key and backups in NOCLASH_VAR_DIR
# (default var/team/). The first start prints the admin's password.
serve: install
	$(BIN)/python -m crm.team serve --port $(PORT)

# A backup now (beat makes one every night), and a restore (the server must be stopped):
#   make restore BACKUP=var/team/backups/noclash-20260101-030000.sqlite3
backup: install
	$(BIN)/python -m crm.team backup

restore: install
	$(BIN)/python -m crm.team restore "$(BACKUP)"

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Ruff (style, no function-local imports, no importing private names) and the layer
# contracts of pyproject.toml (import-linter: an app imports only from the apps below it).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Regenerate and compile the Simplified Chinese catalogue (needs GNU gettext).
messages: install
	DEBUG=1 $(BIN)/python manage.py makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=var --ignore=tests --ignore=bench
	DEBUG=1 $(BIN)/python manage.py compilemessages -l zh_Hans --ignore=.venv

# Claim endpoint on PostgreSQL + gunicorn vs pgbench's raw limit (see bench/claims.py).
# Drops and recreates BENCH_DATABASE_URL (default: noclash_bench on 127.0.0.1).
bench-claims: install
	$(BIN)/python bench/claims.py $(BENCH_ARGS)

# Recycling 100,000 expired claims among 1,000,000 leads while reps claim (bench/recycle.py).
bench-recycle: install
	$(BIN)/python bench/recycle.py $(BENCH_ARGS)

# Duplicate check and creation with the check over 1,000,000 leads (bench/dedupe.py).
bench-dedupe: install
	$(BIN)/python bench/dedupe.py $(BENCH_ARGS)

# My results and the credits API, p99 with 100,000 deals and 1,000,000 leads (bench/credits.py).
bench-credits: install
	$(BIN)/python bench/credits.py $(BENCH_ARGS)

# Precision and recall of duplicate detection on the labelled set (bench/dedupe_eval.py).
eval-dedupe: install
	$(BIN)/python bench/dedupe_eval.py $(BENCH_ARGS)

# The live pool's changes endpoint polled by 200 open pool pages while reps claim (bench/pool.py).
bench-pool: install
	$(BIN)/python bench/pool.py $(BENCH_ARGS)

# Territory routing: what 200 rules add to a creation, and the rules preview (bench/routing.py).
bench-routing: install
	$(BIN)/python bench/routing.py $(BENCH_ARGS)

# Web forms handing in new customers (POST /api/v1/intake/, throttle off, 200 territory
# rules): creations per second and latency (bench/intake.py).
bench-intake: install
	$(BIN)/python bench/intake.py $(BENCH_ARGS)

# The managers' dashboard: every stats endpoint and the page, p99 over 1,000,000 leads,
# 2,000,000 history records and 100,000 collision records (bench/dashboard.py).
bench-dashboard: install
	$(BIN)/python bench/dashboard.py $(BENCH_ARGS)

# Bulk moves (批量转移): leads/s of the job on PostgreSQL, 50,000 leads handed over round robin
# and then released into a pool (bench/bulk.py).
bench-bulk: install
	$(BIN)/python bench/bulk.py $(BENCH_ARGS)

# `make serve`'s stack under 40 reps racing and working at once, about 250 requests/s for
# 20 s (bench/team.py): requests/s, p50/p99, dropped connections and 5xx.
bench-team: install
	$(BIN)/python bench/team.py $(BENCH_ARGS)

# Imports (导入): rows/s of a 100,000-row import on PostgreSQL through a real Celery worker, and
# the worker's RSS at 10%, 50% and 100% of the rows (bench/imports.py).
bench-import: install
	$(BIN)/python bench/imports.py $(BENCH_ARGS)

# Exports (导出): 1,000,000 customers as CSV and XLSX over HTTP from one gunicorn worker:
# rows/s and the worker's peak RSS for 100,000 vs 1,000,000 rows (bench/export.py).
bench-export: install
	$(BIN)/python bench/export.py $(BENCH_ARGS)
