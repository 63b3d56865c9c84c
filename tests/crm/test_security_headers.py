"""Every page carries a strict Content-Security-Policy (no inline script, no eval, no
inline style) and a Permissions-Policy; no template has an inline script, an inline event
handler or a style attribute that the policy would refuse."""

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def directives(header: str) -> dict[str, list[str]]:
    parts = [p.strip().split() for p in header.split(";") if p.strip()]
    return {p[0]: p[1:] for p in parts}


@pytest.mark.parametrize("path", ["/login/", "/", "/settings/audit/", "/api/v1/me/"])
def test_pages_carry_csp_and_permissions_policy(client, admin_user, path):
    if path != "/login/":
        client.force_login(admin_user)
    response = client.get(path)
    assert response.status_code == 200
    csp = directives(response["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    policy = response["Permissions-Policy"]
    assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy


def test_admin_pages_carry_csp(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/admin/")
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_no_inline_script_handler_or_style_in_templates():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        for match in re.finditer(r"<script\b[^>]*>", text):
            tag = match.group(0)
            if "src=" not in tag and 'type="application/json"' not in tag:
                offenders.append(f"{path.name}: {tag}")
        for match in re.finditer(r"\son[a-z]+\s*=", text):
            offenders.append(f"{path.name}: {match.group(0)}")
        for match in re.finditer(r"\sstyle\s*=", text):
            offenders.append(f"{path.name}: {match.group(0)}")
        if "hx-on" in text or "js:" in text:
            offenders.append(f"{path.name}: hx-on / js:")
        if re.search(r'hx-trigger="[^"]*\[', text):
            offenders.append(f"{path.name}: htmx trigger filter (needs eval)")
    assert offenders == []
