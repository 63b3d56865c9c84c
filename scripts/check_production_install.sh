#!/usr/bin/env bash
# Proves that a production install works, starting from nothing but Python: a brand-new
# virtualenv gets `pip install .` with no dev extras (what scripts/Dockerfile does), then, on
# PostgreSQL + Redis, with the database roles of docker-compose.yml:
# - scripts/postgres-init/ creates the database, its owner role and the app role;
# - migrate runs as the owner; check --deploy and collectstatic run;
# - a Celery worker, beat and gunicorn run as the app role, and must stay up;
# - over HTTP, with API tokens, a rep claims a customer with the shortest protection the
#   product allows, and the worker and beat alone (no one calls the job) return it to the
#   pool with an `expire` record, within a bound;
# - the app role cannot TRUNCATE the history, disable its triggers, DROP or CREATE a table;
#   the owner's TRUNCATE of the history is refused by the trigger.
# A dependency that only the dev install brings in (as `packaging` once was, for kombu's
# Redis transport), or anything the app does at run time that needs more than reading and
# writing rows, fails here rather than in production.
#
# Its own database, roles and Redis db, never the test suite's: NOCLASH_CHECK_DB (default
# noclash_prodcheck; the roles are <db>_owner and <db>_app) and NOCLASH_CHECK_REDIS_DB (15).
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
PYTHON="$(command -v python3.11 || command -v python3)"
DB="${NOCLASH_CHECK_DB:-noclash_prodcheck}"
REDIS_DB="${NOCLASH_CHECK_REDIS_DB:-15}"
OWNER="${DB}_owner" APP="${DB}_app"
PG=(-h 127.0.0.1 -p 5432 -U postgres)
REDIS=(redis-cli -h 127.0.0.1 -p 6379 -n "$REDIS_DB")
# The recycle job's interval, written into django-celery-beat's table by the first migrate
# (README, "Background jobs"); production keeps the default minute.
RECYCLE_EVERY=5
TMP="$(mktemp -d -t noclash-prodcheck.XXXXXX)"
VENV="$TMP/venv" LOGS="$TMP/logs"
mkdir -p "$LOGS"
PIDS=() NAMES=()
export PGOPTIONS="-c client_min_messages=warning"  # no NOTICE from dropdb --if-exists
# pip builds in the tree (build/); remove that afterwards unless it was there before.
[ -e "$REPO/build" ] && OWN_BUILD=0 || OWN_BUILD=1

drop_database_and_roles() {
  dropdb "${PG[@]}" --if-exists --force "$DB" >/dev/null 2>&1 || true
  for role in "$APP" "$OWNER"; do dropuser "${PG[@]}" --if-exists "$role" >/dev/null 2>&1 || true; done
}

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
  drop_database_and_roles
  "${REDIS[@]}" flushdb >/dev/null 2>&1 || true
  rm -rf "$TMP"
  [ "$OWN_BUILD" = 0 ] || rm -rf "$REPO/build"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() {
  echo "production install check FAILED: $*" >&2
  for log in "$LOGS"/*.log; do
    [ -e "$log" ] || continue
    printf '\n--- %s (last 40 lines)\n' "${log##*/}" >&2
    tail -n 40 "$log" >&2
  done
  exit 1
}
step() { printf '[%3ds] %s\n' "$SECONDS" "$*"; }

# A fresh virtualenv and the production dependencies only.
"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "$REPO" >"$LOGS/pip.log" 2>&1 \
  || fail "pip install $REPO"
mv "$LOGS/pip.log" "$TMP/"  # only worth showing when pip itself failed
step "pip install . done"

# Nothing but the new venv: no PYTHONPATH, no user site-packages, no activated venv, no
# settings module or broker URL inherited from the caller's shell.
unset PYTHONPATH PYTHONHOME VIRTUAL_ENV DJANGO_SETTINGS_MODULE CELERY_BROKER_URL DATABASE_URL
export PYTHONNOUSERSITE=1 PATH="$VENV/bin:$PATH"
"$VENV/bin/python" -c "import sys, kombu; assert kombu.__file__.startswith(sys.prefix) and sys.prefix == '$VENV'" \
  || fail "the new venv's python does not import from the new venv"

# The database and its two roles, by the script the postgres container runs at its first start.
password() { "$VENV/bin/python" -c 'import secrets; print(secrets.token_hex(16))'; }
OWNER_PASSWORD="$(password)" APP_PASSWORD="$(password)"
drop_database_and_roles
PGHOST=127.0.0.1 PGPORT=5432 POSTGRES_USER=postgres NOCLASH_DB="$DB" NOCLASH_OWNER="$OWNER" \
  NOCLASH_APP="$APP" NOCLASH_OWNER_PASSWORD="$OWNER_PASSWORD" NOCLASH_APP_PASSWORD="$APP_PASSWORD" \
  bash "$REPO/scripts/postgres-init/10-noclash-roles.sh" >"$LOGS/roles.log" 2>&1 \
  || fail "scripts/postgres-init/10-noclash-roles.sh"
OWNER_URL="postgres://$OWNER:$OWNER_PASSWORD@127.0.0.1:5432/$DB"
APP_URL="postgres://$APP:$APP_PASSWORD@127.0.0.1:5432/$DB"
"${REDIS[@]}" flushdb >/dev/null

# The production environment of docker-compose.yml, on our own database and Redis db.
# SECURE_SSL_REDIRECT=0 only so that the checks below can speak plain HTTP.
export DEBUG=0 ALLOWED_HOSTS=127.0.0.1,localhost SECURE_SSL_REDIRECT=0
SECRET_KEY="$("$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(50))')"
export SECRET_KEY
export REDIS_URL="redis://127.0.0.1:6379/$REDIS_DB"
export NOCLASH_VAR_DIR="$TMP/var" STATIC_ROOT="$TMP/staticfiles"

cd "$REPO"  # as the image does: the tree is the working directory
DATABASE_URL="$OWNER_URL" RECYCLE_INTERVAL_SECONDS="$RECYCLE_EVERY" \
  "$VENV/bin/python" manage.py migrate --noinput >"$LOGS/migrate.log" 2>&1 || fail "migrate (as $OWNER)"
step "migrate as $OWNER done"
# From here on, everything is the app role.
export DATABASE_URL="$APP_URL"
"$VENV/bin/python" manage.py collectstatic --noinput >"$LOGS/collectstatic.log" 2>&1 \
  || fail "collectstatic"
ADMIN=prodcheck-admin ADMIN_PASSWORD="$(password)"
DJANGO_SUPERUSER_PASSWORD="$ADMIN_PASSWORD" "$VENV/bin/python" manage.py createsuperuser \
  --noinput --username "$ADMIN" --email admin@example.com >"$LOGS/createsuperuser.log" 2>&1 \
  || fail "createsuperuser (as $APP)"

start() {  # start NAME CMD...: in the background, in its own process group, output to a log
  local name=$1; shift
  setsid "$@" >"$LOGS/$name.log" 2>&1 &
  PIDS+=("$!")
  NAMES+=("$name")
}
all_alive() {
  local dead=()
  for i in "${!PIDS[@]}"; do kill -0 "${PIDS[$i]}" 2>/dev/null || dead+=("${NAMES[$i]}"); done
  [ ${#dead[@]} = 0 ] || fail "died $1: ${dead[*]}"
}
PORT="$("$VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
BASE="http://127.0.0.1:$PORT"
NODE="prodcheck-$$@$(hostname)"
start worker "$VENV/bin/celery" -A crm worker --loglevel INFO --concurrency 1 -n "$NODE"
start beat "$VENV/bin/celery" -A crm beat --loglevel INFO --schedule "$TMP/celerybeat-schedule"
start web "$VENV/bin/gunicorn" crm.wsgi:application --bind "127.0.0.1:$PORT" --workers 1 \
  --control-socket "$TMP/gunicorn.ctl"  # not the shared default under ~/.gunicorn
STARTED=$SECONDS

# The claim as early as the web answers: its minute of protection runs while the rest is checked.
for _ in $(seq 60); do curl -fsS --max-time 2 -o /dev/null "$BASE/healthz" 2>/dev/null && break; sleep 0.5; done
"$VENV/bin/python" scripts/prodcheck_recycle.py claim "$BASE" "$ADMIN" "$ADMIN_PASSWORD" \
  "$TMP/claim.json" >"$LOGS/client.log" 2>&1 || fail "the claim over HTTP"
step "$(tail -n 1 "$LOGS/client.log")"

# A missing module kills a process within seconds of its start: give them 15.
sleep $((15 - (SECONDS - STARTED) > 0 ? 15 - (SECONDS - STARTED) : 0))
all_alive "within 15 s"
# The worker answers on the broker (a few tries: start-up on a busy machine can be slow).
for try in 1 2 3; do
  "$VENV/bin/celery" -A crm inspect ping -d "$NODE" --timeout 5 \
    >"$LOGS/ping.log" 2>&1 && break
  [ "$try" = 3 ] && fail "worker does not answer inspect ping"
done
grep -q "beat: Starting" "$LOGS/beat.log" || fail "beat did not start its scheduler"
[ "$(curl -fsS --max-time 5 "$BASE/healthz")" = ok ] || fail "web /healthz"
# A real page too: templates and the hashed static files of the manifest collectstatic wrote.
curl -fsS --max-time 10 -o /dev/null "$BASE/login/" || fail "web /login/"
step "worker, beat and web up for 15 s as $APP"

# What the app role may not do. Each statement runs in a transaction rolled back at the end,
# so a statement that wrongly succeeds changes nothing the rest of the check relies on.
refused() {  # refused ROLE PASSWORD PATTERN SQL: SQL must fail with an error matching PATTERN
  local out
  if out="$(PGPASSWORD="$2" psql -X -q -h 127.0.0.1 -p 5432 -U "$1" -d "$DB" -v ON_ERROR_STOP=1 \
    -c "BEGIN; $4; ROLLBACK" 2>&1)"; then
    fail "$1 may: $4"
  fi
  grep -q -- "$3" <<<"$out" || fail "$1: '$4' failed, but not with '$3': $out"
}
for table in assignments_ownershipevent leads_statuschange assignments_credit; do
  refused "$APP" "$APP_PASSWORD" "permission denied" "TRUNCATE $table CASCADE"
  refused "$APP" "$APP_PASSWORD" "must be owner" "ALTER TABLE $table DISABLE TRIGGER ALL"
  refused "$APP" "$APP_PASSWORD" "must be owner" "DROP TABLE $table CASCADE"
  # The owner may do all that, but its TRUNCATE of the history is refused by the trigger.
  refused "$OWNER" "$OWNER_PASSWORD" "append-only (TRUNCATE refused)" "TRUNCATE $table CASCADE"
done
refused "$APP" "$APP_PASSWORD" "must be owner" "ALTER TABLE leads_lead ADD COLUMN x int"
refused "$APP" "$APP_PASSWORD" "permission denied" "CREATE TABLE prodcheck_x (i int)"
refused "$APP" "$APP_PASSWORD" "permission denied" "SET session_replication_role = replica"
refused "$APP" "$APP_PASSWORD" "append-only" "DELETE FROM assignments_ownershipevent"
step "$APP may not TRUNCATE, ALTER, DROP or CREATE; $OWNER's TRUNCATE of the history is refused"

# check --deploy (while the claim's protection runs) with the production default
# SECURE_SSL_REDIRECT=1: our plain-HTTP override is the only thing it would warn about
# (security.W008).
SECURE_SSL_REDIRECT=1 "$VENV/bin/python" manage.py check --deploy --fail-level WARNING \
  >"$LOGS/check.log" 2>&1 || fail "check --deploy"

# The claim is recycled by beat and the worker: the protection (one minute) plus a recycle
# interval plus a margin for a busy machine.
"$VENV/bin/python" scripts/prodcheck_recycle.py wait "$TMP/claim.json" $((RECYCLE_EVERY + 40)) \
  >>"$LOGS/client.log" 2>&1 || {
  psql "${PG[@]}" -d "$DB" -X -c "TABLE django_celery_beat_periodictask" \
    -c "SELECT * FROM assignments_ownership" -c "SELECT * FROM assignments_ownershipevent" \
    >"$LOGS/database.log" 2>&1 || true
  fail "the claim was not recycled by beat and the worker"
}
step "$(tail -n 1 "$LOGS/client.log")"
TASK=assignments.tasks.recycle_stale_claims_task
grep -q "Sending due task Recycle expired claims ($TASK)" "$LOGS/beat.log" \
  || fail "beat's log does not show it sending $TASK"
grep -q "Task $TASK\[.*\] succeeded in .*: 1$" "$LOGS/worker.log" \
  || fail "the worker's log does not show $TASK recycling the claim"
all_alive "before the end"

echo "production install OK: pip install . (no extras), migrate as $OWNER, check --deploy," \
  "collectstatic; worker, beat and web as $APP on PostgreSQL + Redis; a claim of the shortest" \
  "protection recycled by them; $APP may only read and write rows ($((SECONDS))s)"
