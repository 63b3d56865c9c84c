"""docker-compose.yml is not run here (no Docker engine); check that it makes sense and that
every command it names exists in the project."""

import importlib
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
