#!/usr/bin/env bash
# Proves that a production install works, starting from nothing but Python: a brand-new
# virtualenv gets `pip install .` with no dev extras (what scripts/Dockerfile does), then
# migrate, check --deploy and collectstatic run, and a Celery worker, beat and gunicorn must
# stay up on PostgreSQL + Redis. A dependency that only the dev install brings in (as
# `packaging` once was, for kombu's Redis transport) fails here rather than in production.
# Uses its own database (noclash_prodcheck) and Redis db 15: never the test suite's.
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
PYTHON="$(command -v python3.11 || command -v python3)"
DB=noclash_prodcheck
PG=(-h 127.0.0.1 -p 5432 -U postgres)
REDIS=(redis-cli -h 127.0.0.1 -p 6379 -n 15)
TMP="$(mktemp -d -t noclash-prodcheck.XXXXXX)"
VENV="$TMP/venv" LOGS="$TMP/logs"
mkdir -p "$LOGS"
PIDS=() NAMES=()
export PGOPTIONS="-c client_min_messages=warning"  # no NOTICE from dropdb --if-exists
# pip builds in the tree (build/); remove that afterwards unless it was there before.
[ -e "$REPO/build" ] && OWN_BUILD=0 || OWN_BUILD=1

cleanup() {
  local rc=$?
  # Each process leads its own process group (setsid): TERM the group, so gunicorn's and
  # the worker's children go too; KILL whatever is left after 15 s.
  for pid in "${PIDS[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  for _ in $(seq 30); do
    alive=0
    for pid in "${PIDS[@]}"; do kill -0 -- "-$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.5
  done
  for pid in "${PIDS[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
  dropdb "${PG[@]}" --if-exists --force "$DB" >/dev/null 2>&1 || true
  "${REDIS[@]}" flushdb >/dev/null 2>&1 || true
  rm -rf "$TMP"
  [ "$OWN_BUILD" = 0 ] || rm -rf "$REPO/build"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() {
  echo "production install check FAILED: $*" >&2
  for log in "$LOGS"/*.log; do printf '\n--- %s (last 40 lines)\n' "${log##*/}" >&2; tail -n 40 "$log" >&2; done
  exit 1
}

# A fresh virtualenv and the production dependencies only.
"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "$REPO" >"$LOGS/pip.log" 2>&1 \
  || fail "pip install $REPO"
mv "$LOGS/pip.log" "$TMP/"  # only worth showing when pip itself failed

# Nothing but the new venv: no PYTHONPATH, no user site-packages, no activated venv, no
# settings module or broker URL inherited from the caller's shell.
unset PYTHONPATH PYTHONHOME VIRTUAL_ENV DJANGO_SETTINGS_MODULE CELERY_BROKER_URL
export PYTHONNOUSERSITE=1 PATH="$VENV/bin:$PATH"
"$VENV/bin/python" -c "import sys, kombu; assert kombu.__file__.startswith(sys.prefix) and sys.prefix == '$VENV'" \
  || fail "the new venv's python does not import from the new venv"

# The production environment of docker-compose.yml, on our own database and Redis db.
# SECURE_SSL_REDIRECT=0 only so that the checks below can speak plain HTTP.
export DEBUG=0 ALLOWED_HOSTS=127.0.0.1,localhost SECURE_SSL_REDIRECT=0
SECRET_KEY="$("$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(50))')"
export SECRET_KEY
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB" REDIS_URL="redis://127.0.0.1:6379/15"
export NOCLASH_VAR_DIR="$TMP/var" STATIC_ROOT="$TMP/staticfiles"
dropdb "${PG[@]}" --if-exists --force "$DB" && createdb "${PG[@]}" "$DB"
"${REDIS[@]}" flushdb >/dev/null

cd "$REPO"  # as the image does: the tree is the working directory
"$VENV/bin/python" manage.py migrate --noinput >"$LOGS/migrate.log" 2>&1 || fail "migrate"
# check --deploy with the production default SECURE_SSL_REDIRECT=1: our plain-HTTP override
# is the only thing it would warn about (security.W008).
SECURE_SSL_REDIRECT=1 "$VENV/bin/python" manage.py check --deploy --fail-level WARNING \
  >"$LOGS/check.log" 2>&1 || fail "check --deploy"
"$VENV/bin/python" manage.py collectstatic --noinput >"$LOGS/collectstatic.log" 2>&1 \
  || fail "collectstatic"

start() {  # start NAME CMD...: in the background, in its own process group, output to a log
  local name=$1; shift
  setsid "$@" >"$LOGS/$name.log" 2>&1 &
  PIDS+=("$!")
  NAMES+=("$name")
}
PORT="$("$VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
NODE="prodcheck-$$@$(hostname)"
start worker "$VENV/bin/celery" -A crm worker --loglevel INFO --concurrency 1 -n "$NODE"
start beat "$VENV/bin/celery" -A crm beat --loglevel INFO --schedule "$TMP/celerybeat-schedule"
start web "$VENV/bin/gunicorn" crm.wsgi:application --bind "127.0.0.1:$PORT" --workers 1 \
  --control-socket "$TMP/gunicorn.ctl"  # not the shared default under ~/.gunicorn

# A missing module kills a process within seconds of its start: give them 15.
sleep 15
dead=()
for i in "${!PIDS[@]}"; do kill -0 "${PIDS[$i]}" 2>/dev/null || dead+=("${NAMES[$i]}"); done
[ ${#dead[@]} = 0 ] || fail "died within 15 s: ${dead[*]}"
# The worker answers on the broker (a few tries: start-up on a busy machine can be slow).
for try in 1 2 3; do
  "$VENV/bin/celery" -A crm inspect ping -d "$NODE" --timeout 5 \
    >"$LOGS/ping.log" 2>&1 && break
  [ "$try" = 3 ] && fail "worker does not answer inspect ping"
done
grep -q "beat: Starting" "$LOGS/beat.log" || fail "beat did not start its scheduler"
# The job this check exists for: a recycle run goes through Redis and the worker runs it.
TASK=assignments.tasks.recycle_stale_claims_task
"$VENV/bin/celery" -A crm call "$TASK" >"$LOGS/call.log" 2>&1 || fail "celery call $TASK"
for _ in $(seq 20); do grep -q "Task $TASK\[.*\] succeeded" "$LOGS/worker.log" && break; sleep 1; done
grep -q "Task $TASK\[.*\] succeeded" "$LOGS/worker.log" || fail "worker did not run $TASK"
[ "$(curl -fsS --max-time 5 "http://127.0.0.1:$PORT/healthz")" = ok ] || fail "web /healthz"
# A real page too: templates and the hashed static files of the manifest collectstatic wrote.
curl -fsS --max-time 10 -o /dev/null "http://127.0.0.1:$PORT/login/" || fail "web /login/"

echo "production install OK: pip install . (no extras), migrate, check --deploy, collectstatic;" \
  "worker, beat and web up for 15 s on PostgreSQL + Redis, a recycle run done ($((SECONDS))s)"
