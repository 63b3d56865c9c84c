"""The claim that scripts/check_production_install.sh watches being recycled, over HTTP only
(the standard library: the check's virtualenv holds the production dependencies and nothing
else).

    prodcheck_recycle.py claim BASE_URL ADMIN PASSWORD STATE_FILE
        As the admin: a team and a rep in it, the team's protection period set to the
        shortest the product allows (one step shorter is refused), a customer in the team's
        pool; the default deal stages and lost reasons written. The rep claims the customer
        with an API token. Writes what `wait` needs to STATE_FILE.
    prodcheck_recycle.py wait STATE_FILE SLACK_SECONDS
        Polls (as the admin) until the customer is back in the pool with an `expire`
        record in its history written by the system, or fails SLACK_SECONDS after the
        protection ran out. Nothing here calls the recycle job: only beat and a worker can.
"""

import json
import secrets
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta

SHORTEST = timedelta(minutes=1)
STEP = timedelta(seconds=1)


class CheckFailed(Exception):
    pass


def call(base: str, method: str, path: str, token: str | None = None, body=None):
    if not base.startswith(("http://", "https://")):
        raise CheckFailed(f"not an HTTP address: {base}")
    request = urllib.request.Request(  # noqa: S310 (the scheme is checked above)
        base + path,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    if token:
        request.add_header("Authorization", f"Token {token}")
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def expect(status: int, answer, wanted: int, what: str):
    if status != wanted:
        raise CheckFailed(f"{what}: HTTP {status} (wanted {wanted}): {answer}")
    return answer


def token_for(base: str, username: str, password: str) -> str:
    status, answer = call(
        base, "POST", "/api/v1/auth/token/", body={"username": username, "password": password}
    )
    return expect(status, answer, 200, f"token for {username}")["token"]


def as_duration(value: timedelta) -> str:
    """DRF's duration format, [DD] HH:MM:SS."""
    seconds = int(value.total_seconds())
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def claim(base: str, admin: str, admin_password: str, state_file: str) -> None:
    admin_token = token_for(base, admin, admin_password)
    team = expect(
        *call(base, "POST", "/api/v1/teams/", admin_token, {"name": "Prodcheck"}), 201, "team"
    )
    password = secrets.token_urlsafe(16)
    body = {"username": "prodcheck-rep", "password": password, "role": "rep", "team": team["id"]}
    rep = expect(*call(base, "POST", "/api/v1/users/", admin_token, body), 201, "rep")
    policy = f"/api/v1/teams/{team['id']}/policy/"
    status, answer = call(
        base, "PATCH", policy, admin_token, {"protection_period": as_duration(SHORTEST - STEP)}
    )
    expect(status, answer, 400, f"a protection period under {SHORTEST} (must be refused)")
    body = {"protection_period": as_duration(SHORTEST)}
    expect(*call(base, "PATCH", policy, admin_token, body), 200, "shortest protection period")
    lead = expect(
        *call(
            base,
            "POST",
            "/api/v1/leads/",
            admin_token,
            {"company_name": "Prodcheck Recycling Ltd", "pool_team": team["id"]},
        ),
        201,
        "customer in the team's pool",
    )
    # The first read of these lists writes their defaults under LOCK TABLE ... IN SHARE ROW
    # EXCLUSIVE MODE (leads/selectors.py), the one statement of the app beyond plain reads
    # and writes of rows: the app role must be allowed it.
    for path in ("/api/v1/deal-stages/", "/api/v1/lost-reasons/"):
        if not expect(*call(base, "GET", path, admin_token), 200, path)["results"]:
            raise CheckFailed(f"{path}: no defaults written")
    rep_token = token_for(base, "prodcheck-rep", password)
    claimed = expect(
        *call(base, "POST", f"/api/v1/leads/{lead['id']}/claim/", rep_token), 200, "claim"
    )
    started = datetime.fromisoformat(claimed["claimed_at"])
    until = datetime.fromisoformat(claimed["protected_until"])
    if until - started != SHORTEST:
        raise CheckFailed(f"claimed {started}, protected until {until}: not {SHORTEST}")
    state = {
        "base": base,
        "lead": lead["id"],
        "rep": rep["id"],
        "protected_until": claimed["protected_until"],
        "admin_token": admin_token,
    }
    with open(state_file, "w") as out:
        json.dump(state, out)
    print(f"customer {lead['id']} claimed by the rep, protected until {until.isoformat()}")


def wait(state_file: str, slack_seconds: int) -> None:
    with open(state_file) as state_in:
        state = json.load(state_in)
    base, lead, token = state["base"], state["lead"], state["admin_token"]
    until = datetime.fromisoformat(state["protected_until"])
    deadline = until + timedelta(seconds=slack_seconds)
    events: list = []
    while datetime.now(UTC) < deadline:
        status, answer = call(base, "GET", f"/api/v1/leads/{lead}/history/", token)
        events = expect(status, answer, 200, "history")["results"]
        expired = [e for e in events if e["kind"] == "expire"]
        if expired:
            break
        time.sleep(1)
    else:
        kinds = [e["kind"] for e in events]
        raise CheckFailed(
            f"customer {lead} not recycled {slack_seconds} s after its protection ended at "
            f"{until.isoformat()}; its history: {kinds}"
        )
    event, now = expired[0], datetime.now(UTC)
    at = datetime.fromisoformat(event["at"])
    if at < until:
        raise CheckFailed(f"recycled at {at}, before its protection ended at {until}")
    if event["actor"] is not None or (event["from_owner"] or {}).get("id") != state["rep"]:
        raise CheckFailed(f"the expire record is not the system's, from the rep: {event}")
    if [e["kind"] for e in events].count("expire") != 1:
        raise CheckFailed(f"more than one expire record: {events}")
    detail = expect(*call(base, "GET", f"/api/v1/leads/{lead}/", token), 200, "customer")
    if detail.get("owner") is not None:
        raise CheckFailed(f"recycled, but the customer still has an owner: {detail['owner']}")
    print(
        f"customer {lead} recycled by the worker at {at.isoformat()}, "
        f"{(at - until).total_seconds():.1f} s after its protection ended "
        f"(seen {(now - until).total_seconds():.1f} s after)"
    )


def main(argv: list[str]) -> int:
    try:
        if argv[:1] == ["claim"] and len(argv) == 5:
            claim(*argv[1:])
        elif argv[:1] == ["wait"] and len(argv) == 3:
            wait(argv[1], int(argv[2]))
        else:
            print(__doc__, file=sys.stderr)
            return 2
    except (CheckFailed, OSError, KeyError, ValueError) as error:
        print(f"FAILED: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
