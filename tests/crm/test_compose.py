"""docker-compose.yml is not run here (no Docker engine); check that it makes sense and that
every command it names exists in the project."""

import importlib
import os
import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import get_commands

ROOT = Path(settings.BASE_DIR)
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
APP_SERVICES = [name for name, svc in SERVICES.items() if "build" in svc]


def test_has_the_production_services_with_health_checks():
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(SERVICES)
    for name in ("postgres", "redis", "web", "worker"):
        assert "healthcheck" in SERVICES[name], name
    assert set(COMPOSE["volumes"]) >= {"pgdata", "redisdata"}


def test_exactly_one_beat():
    beats = [n for n, s in SERVICES.items() if "beat" in " ".join(s.get("command", []))]
    assert beats == ["beat"]
    assert SERVICES["beat"].get("deploy", {}).get("replicas", 1) == 1


def test_build_context_and_dockerfile_exist():
    for name in APP_SERVICES:
        build = SERVICES[name]["build"]
        assert (ROOT / build["context"] / build["dockerfile"]).is_file()


@pytest.mark.parametrize("name", APP_SERVICES)
def test_every_command_exists_in_the_project(name):
    command = SERVICES[name]["command"]
    program = command[0]
    if program == "python":
        assert command[1] == "manage.py"
        assert command[2] in get_commands(), command
    elif program == "gunicorn":
        module, _, attr = command[1].partition(":")
        assert callable(getattr(importlib.import_module(module), attr))
    elif program == "celery":
        assert command[1:3] == ["-A", "crm"]
        assert importlib.import_module("crm.celery").app.main == "crm"
        assert command[3] in {"worker", "beat"}
    else:
        pytest.fail(f"unknown program {program!r} in service {name}")


def test_app_services_use_the_settings_variables():
    source = (ROOT / "crm" / "settings" / "base.py").read_text()
    for name in APP_SERVICES:
        for var in SERVICES[name]["environment"]:
            assert f'"{var}"' in source, f"{name} sets {var}, which settings never read"
    env = SERVICES["web"]["environment"]
    assert env["DEBUG"] == "0"
    assert env["DATABASE_URL"].startswith("postgres://")
    assert env["REDIS_URL"].startswith("redis://")


def test_web_health_check_path_answers(client, db):
    assert "/healthz" in " ".join(SERVICES["web"]["healthcheck"]["test"])
    response = client.get("/healthz", HTTP_HOST="not-an-allowed-host.example")
    assert response.status_code == 200


def test_the_image_collects_static_files_as_production_serves_them():
    """The image runs with DEBUG off, which serves static files through the manifest that only
    a collectstatic with DEBUG off writes (scripts/check_production_install.sh runs it so)."""
    dockerfile = (ROOT / "scripts" / "Dockerfile").read_text()
    commands = [line for line in dockerfile.splitlines() if "collectstatic" in line]
    assert commands, "the image must collect its static files"
    assert all("DEBUG=1" not in line and "DEBUG=true" not in line for line in commands)


# --- secrets and database roles --------------------------------------------------------------
RAW = (ROOT / "docker-compose.yml").read_text()
INIT_DIR = ROOT / "scripts" / "postgres-init"


def test_no_secret_has_a_default():
    """Every password and key is `${NAME:?message}`: compose refuses to start without it."""
    references = re.findall(r"\$\{([A-Z_]+)([^}]*)\}", RAW)
    secrets = {name: rest for name, rest in references if "PASSWORD" in name or "SECRET" in name}
    assert {"POSTGRES_PASSWORD", "NOCLASH_OWNER_PASSWORD", "NOCLASH_APP_PASSWORD"} <= set(secrets)
    for name, rest in references:
        if "PASSWORD" in name or "SECRET" in name:
            assert rest.startswith(":?"), f"${{{name}{rest}}} has a default or may be empty"
    # And no password written out anywhere: in every URL it is a required reference.
    for user, password in re.findall(r"postgres://([^:@/]+):([^@]*)@", RAW):
        assert re.fullmatch(r"\$\{[A-Z_]+:\?[^}]*\}", password), (user, password)
    postgres_env = SERVICES["postgres"]["environment"]
    assert postgres_env["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")


def database_user(service: str) -> str:
    url = SERVICES[service]["environment"]["DATABASE_URL"]
    return re.match(r"postgres://([^:@/]+)[:@]", url).group(1)


def test_migrate_runs_as_the_owner_and_the_app_as_the_app_role():
    assert database_user("migrate") == "noclash_owner"
    for name in APP_SERVICES:
        if name != "migrate":
            assert database_user(name) == "noclash_app", name
    # The owner's password reaches only the database and the migrate service.
    for name, service in SERVICES.items():
        if name not in {"postgres", "migrate"}:
            assert "NOCLASH_OWNER_PASSWORD" not in str(service), name
    # Everything else the app services set is the same for migrate.
    migrate_env = dict(SERVICES["migrate"]["environment"])
    web_env = dict(SERVICES["web"]["environment"])
    migrate_env.pop("DATABASE_URL"), web_env.pop("DATABASE_URL")
    assert migrate_env == web_env


def test_the_app_services_start_after_migrate():
    for name in APP_SERVICES:
        if name != "migrate":
            depends = SERVICES[name]["depends_on"]
            assert depends["migrate"]["condition"] == "service_completed_successfully", name


def test_the_role_script_is_mounted_into_the_postgres_init_folder():
    assert (
        "./scripts/postgres-init:/docker-entrypoint-initdb.d:ro" in SERVICES["postgres"]["volumes"]
    )
    scripts = sorted(INIT_DIR.glob("*.sh"))
    assert scripts, "nothing for the postgres container to run"
    for script in scripts:
        assert os.access(script, os.X_OK), f"{script.name} must be executable"
    source = "\n".join(s.read_text() for s in scripts)
    # The names the URLs use are the script's defaults; the passwords come from the variables
    # the postgres service is given.
    for default in (
        'NOCLASH_DB:-noclash}"',
        'NOCLASH_OWNER:-noclash_owner}"',
        'NOCLASH_APP:-noclash_app}"',
    ):
        assert default in source
    for var in ("NOCLASH_OWNER_PASSWORD", "NOCLASH_APP_PASSWORD"):
        assert var in source and var in SERVICES["postgres"]["environment"]
    for url_service in ("migrate", "web"):
        assert SERVICES[url_service]["environment"]["DATABASE_URL"].endswith(
            "@postgres:5432/noclash"
        )


def test_the_image_leaves_out_history_environments_and_data():
    ignored = {
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".git", ".venv", "var", ".env", "tests", "bench", "**/__pycache__"} <= ignored
    assert "**/*.sqlite3" in ignored
    # What the image needs is not ignored.
    dockerfile = (ROOT / "scripts" / "Dockerfile").read_text()
    for needed in ("pyproject.toml", "crm", "accounts", "leads", "assignments", "manage.py"):
        assert needed not in ignored
    assert "COPY . ." in dockerfile
