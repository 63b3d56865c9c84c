#!/usr/bin/env bash
# The database and its two roles (README, "Database roles"):
# - NOCLASH_OWNER (noclash_owner) owns the database, its schema and every table: migrations
#   run as it (the `migrate` service), and nothing else does;
# - NOCLASH_APP (noclash_app) is what web, worker and beat log in as: it may read and write
#   rows (SELECT, INSERT, UPDATE, DELETE; USAGE on sequences) and nothing more: no TRUNCATE,
#   no CREATE/ALTER/DROP, no disabling a trigger (all of which need the owner).
# Tables the owner creates later (every migration) are granted to the app role by default
# privileges; tables that already exist are granted now.
#
# docker-compose.yml mounts this folder as the postgres container's
# /docker-entrypoint-initdb.d, which runs it once, as the superuser, when the data volume is
# empty. On a database created before, run it once by hand (it is idempotent: it creates
# what is missing, sets the passwords and grants again). scripts/check_production_install.sh
# runs it against a local server.
#
# The entrypoint may source this file rather than execute it: no `exit`, no `set -u`, and
# every variable of ours starts with noclash_.
set -eo pipefail

noclash_db="${NOCLASH_DB:-noclash}"
noclash_owner="${NOCLASH_OWNER:-noclash_owner}"
noclash_app="${NOCLASH_APP:-noclash_app}"
: "${NOCLASH_OWNER_PASSWORD:?set NOCLASH_OWNER_PASSWORD}"
: "${NOCLASH_APP_PASSWORD:?set NOCLASH_APP_PASSWORD}"
[ "$noclash_owner" != "$noclash_app" ] || { echo "the owner and app roles must differ" >&2; false; }

noclash_psql=(psql -X -q -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}"
  -v db="$noclash_db" -v owner="$noclash_owner" -v app="$noclash_app"
  -v owner_password="$NOCLASH_OWNER_PASSWORD" -v app_password="$NOCLASH_APP_PASSWORD")

# Roles and database (CREATE DATABASE cannot run in a transaction: \gexec runs each
# generated statement on its own). Passwords go through psql variables, quoted by %L.
"${noclash_psql[@]}" --dbname "${POSTGRES_DB:-postgres}" <<'SQL'
SELECT format('CREATE ROLE %I', r) FROM unnest(ARRAY[:'owner', :'app']) AS r
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r) \gexec
SELECT format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS'
              ' PASSWORD %L', :'owner', :'owner_password') \gexec
SELECT format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS'
              ' PASSWORD %L', :'app', :'app_password') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'owner')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SELECT format('ALTER DATABASE %I OWNER TO %I', :'db', :'owner') \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'db') \gexec
SELECT format('GRANT CONNECT ON DATABASE %I TO %I', :'db', :'app') \gexec
SQL

# Inside the database: the owner's schema; the app role may use it, not create in it.
"${noclash_psql[@]}" --dbname "$noclash_db" <<'SQL'
BEGIN;
ALTER SCHEMA public OWNER TO :"owner";
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
  GRANT USAGE, SELECT ON SEQUENCES TO :"app";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app";
COMMIT;
SQL
echo "noclash: database $noclash_db owned by $noclash_owner; $noclash_app may read and write rows"
