import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

PROD_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "k3y-" + "x7Gq2LpZ9vR4mN8tW1sB6yH0cJ5dF3aE" * 2,
    "ALLOWED_HOSTS": "crm.example.com",
}


def run_manage(*args: str, env_overrides: dict[str, str], drop: tuple[str, ...] = ()):
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not leak into a production check.
    skip = {*drop, "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in skip}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_check_deploy_is_clean():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without(missing):
    env = {k: v for k, v in PROD_ENV.items() if k != missing}
    result = run_manage("check", env_overrides=env, drop=(missing,))
    assert result.returncode != 0
    assert f"{missing} must be set when DEBUG is off" in result.stderr


def test_wrong_boolean_fails_loudly():
    result = run_manage("check", env_overrides={**PROD_ENV, "SECURE_HSTS_SECONDS": "a year"})
    assert result.returncode != 0


def test_unknown_phone_region_fails_loudly():
    result = run_manage("check", env_overrides={**PROD_ENV, "PHONE_DEFAULT_REGION": "XX"})
    assert result.returncode != 0
    assert "PHONE_DEFAULT_REGION 'XX' is not a region" in result.stderr


@pytest.mark.django_db
def test_trigram_threshold_is_set_on_postgresql_connections():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: this run is on " + connection.vendor)
    from leads.dedupe.matching import BRAND_SIMILARITY

    with connection.cursor() as cursor:
        cursor.execute("SHOW pg_trgm.similarity_threshold")
        assert float(cursor.fetchone()[0]) == BRAND_SIMILARITY


@pytest.mark.django_db
def test_embedded_sqlite_uses_wal_and_immediate_transactions():
    if connection.vendor != "sqlite":
        pytest.skip("the embedded default only: this run is on " + connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 10000
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    # A test on a file, not in memory: in-memory SQLite hides lock behaviour.
    assert connection.settings_dict["NAME"].endswith(".sqlite3")


@pytest.mark.django_db
def test_postgres_keeps_connections_open():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: this run is on " + connection.vendor)
    assert connection.settings_dict["CONN_MAX_AGE"] > 0
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True


def test_celery_broker_follows_redis_url():
    if os.environ.get("REDIS_URL"):
        assert settings.CELERY_BROKER_URL == os.environ["REDIS_URL"]
    else:
        assert settings.CELERY_BROKER_URL == "filesystem://"
        assert os.path.isdir(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])
