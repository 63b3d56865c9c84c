"""How far one API claim travels through the code: the project functions it enters, in order,
and the hops between modules and packages.

Usage (from the top level; uses a throw-away SQLite database unless DATABASE_URL is set, in
which case a `test_…` database is created and dropped):

    .venv/bin/python bench/claim_path.py            # summary
    .venv/bin/python bench/claim_path.py --calls    # and every project call, indented

A *hop* is a call from a function of one project module into a function of another (a call
within a module is not a hop). Counted for one `POST /api/v1/leads/{id}/claim/` by a rep with
a token, from the moment the request enters Django to its answer: the token check, the view,
the service, the locks, the reads and the history insert. Only the project's own packages
(crm, accounts, leads, assignments) are traced; Django, DRF and the driver are not.
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
PACKAGES = ("crm", "accounts", "leads", "assignments")


def _module_of(filename: str) -> str | None:
    try:
        relative = Path(filename).resolve().relative_to(BASE_DIR)
    except ValueError:
        return None
    parts = relative.with_suffix("").parts
    if not parts or parts[0] not in PACKAGES or "migrations" in parts:
        return None
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def trace(run) -> list[tuple[int, str, str]]:
    """(depth, module, function) of every project function `run` enters, in call order."""
    calls: list[tuple[int, str, str]] = []
    depth = 0
    stack: list[bool] = []

    def profiler(frame, event, arg):
        nonlocal depth
        if event == "call":
            module = _module_of(frame.f_code.co_filename)
            stack.append(module is not None)
            if module is not None:
                calls.append((depth, module, frame.f_code.co_name))
                depth += 1
        elif event == "return" and stack:
            if stack.pop():
                depth -= 1

    sys.setprofile(profiler)
    try:
        run()
    finally:
        sys.setprofile(None)
    return calls


def hops(calls: list[tuple[int, str, str]]) -> list[tuple[str, str]]:
    """Caller module → callee module for every call that crosses a module boundary."""
    result = []
    parents: list[str] = []
    for depth, module, _name in calls:
        del parents[depth:]
        if parents and parents[-1] != module:
            result.append((parents[-1], module))
        parents.append(module)
    return result


def _view_subtree(calls: list[tuple[int, str, str]]) -> list[tuple[int, str, str]]:
    """The calls made from the API view's `post` (the view, service, locks, history insert),
    without the middleware and the token check around it."""
    start = next(
        i for i, (_d, module, name) in enumerate(calls) if ".api." in module and name == "post"
    )
    depth = calls[start][0]
    end = next((i for i in range(start + 1, len(calls)) if calls[i][0] <= depth), len(calls))
    return [(d - depth, m, n) for d, m, n in calls[start:end]]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", action="store_true", help="print every project call")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings.test")
    tmp = tempfile.mkdtemp(prefix="claim-path-")
    os.environ.setdefault("NOCLASH_VAR_DIR", tmp)
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment
    from rest_framework.test import APIClient

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    try:
        from accounts import services as account_services
        from accounts.models import User

        password = "claim-path-9-horse"
        admin = account_services.create_user(
            actor=None, username="path_admin", password=password, role=User.Role.ADMIN
        )
        rep = account_services.create_user(actor=None, username="path_rep", password=password)
        clients = {}
        for user in (admin, rep):
            token = account_services.issue_token(username=user.username, password=password)
            clients[user.username] = APIClient()
            clients[user.username].credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        created = clients["path_admin"].post(
            "/api/v1/leads/", {"company_name": "Path Probe Ltd"}, format="json"
        )
        assert created.status_code == 201, created.content
        lead_id = created.json()["id"]
        # A first claim elsewhere warms every import and cache, as in a running server.
        warm = clients["path_admin"].post(
            "/api/v1/leads/", {"company_name": "Warm Up Works"}, format="json"
        )
        clients["path_rep"].post(f"/api/v1/leads/{warm.json()['id']}/claim/")

        answers = []
        calls = trace(
            lambda: answers.append(clients["path_rep"].post(f"/api/v1/leads/{lead_id}/claim/"))
        )
        assert answers[0].status_code == 200, answers[0].content
    finally:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)

    view = _view_subtree(calls)
    crossings = hops(calls)
    modules = list(dict.fromkeys(module for _depth, module, _name in calls))
    packages = list(dict.fromkeys(module.split(".")[0] for module in modules))
    package_entries = [
        callee.split(".")[0]
        for caller, callee in crossings
        if caller.split(".")[0] != callee.split(".")[0]
    ]
    if args.calls:
        for depth, module, name in calls:
            print(f"{'  ' * depth}{module}.{name}")
        print()
    print(f"project calls: {len(calls)}")
    print(f"hops between modules: {len(crossings)}")
    print(f"modules entered ({len(modules)}): {', '.join(modules)}")
    print(f"packages entered ({len(packages)}): {', '.join(packages)}")
    view_modules = list(dict.fromkeys(module for _depth, module, _name in view))
    print(
        f"from the view ({view[0][1]}.{view[0][2]}) to the answer: {len(hops(view))} hops, "
        f"modules: {', '.join(view_modules)}"
    )
    print(
        "package crossings: "
        + str(len(package_entries))
        + " ("
        + ", ".join(f"{p}×{package_entries.count(p)}" for p in dict.fromkeys(package_entries))
        + ")"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
