"""The reads under load: each scenario is timed by a few clients in a closed loop (each sends
its next request when the last one is answered), against gunicorn.

The clients are coroutines on bare non-blocking sockets in one thread (as bench/openloop.py):
a request is a new HTTP/1.1 connection (gunicorn's sync workers close each one after the
answer), latency is from connecting to the last byte of the answer. An answer counts as
correct when it is a 200 carrying the page's or the API's marker; anything else (a redirect
to the login page, a 4xx, a 5xx, a timeout) is an error.
"""

import asyncio
import math
import os
import random
import resource
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from claimbench.machine import backend_pids, busy_since, child_pids, cpu_times, process_cpu

from .data import Users

PAGE_MARKER = b'data-testid="results-by-month"'
API_MARKER = b'"results":'
# A Chinese sales team's browser; the API clients ask for JSON.
PAGE_HEADERS = {"Accept": "text/html", "Accept-Language": "zh-CN,zh;q=0.9"}
API_HEADERS = {"Accept": "application/json"}


@dataclass
class Scenario:
    name: str
    what: str
    # The reps requests are drawn for (uniformly), and the request for one of them:
    # (path, headers).
    reps: list[int]
    request: Callable[[int, random.Random], tuple[str, dict[str, str]]]
    marker: bytes


@dataclass
class Result:
    name: str
    what: str
    clients: int
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    sample: str = ""
    app_cpu_ms: float = 0.0
    db_cpu_ms: float = 0.0
    generator_cores: float = 0.0
    other_cores: float = 0.0
    # The same read, one client alone (no queue): p50 and p99.
    alone: tuple[float, float] | None = None
    queries: int | None = None
    queries_heavy: int | None = None

    @property
    def requests(self) -> int:
        return len(self.latencies) + self.errors

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        """Nearest rank: the smallest latency with at least p% of the answers at or below."""
        if not self.latencies:
            return float("inf")
        ordered = sorted(self.latencies)
        return ordered[max(0, min(len(ordered) - 1, math.ceil(len(ordered) * p / 100) - 1))]

    @property
    def p50(self) -> float:
        return self.percentile(50)

    @property
    def p99(self) -> float:
        return self.percentile(99)

    @property
    def max(self) -> float:
        return max(self.latencies, default=float("inf"))


def build_scenarios(users: Users, *, heavy_rep: int, years: list[tuple[date, date]]):
    """The reads: My results (session), and the credits API as a rep (own entries, all, then
    one year of wins), as a manager (?team=) and as an admin (?rep=)."""
    reps = users.rep_ids

    def page(rep: int, rng: random.Random):
        return "/results/", {**PAGE_HEADERS, "Cookie": f"sessionid={users.sessions[rep]}"}

    def own(rep: int, rng: random.Random):
        return "/api/v1/credits/", {
            **API_HEADERS,
            "Authorization": f"Token {users.rep_tokens[rep]}",
        }

    def own_year(rep: int, rng: random.Random):
        start, end = rng.choice(years)
        path = f"/api/v1/credits/?from={start.isoformat()}&to={end.isoformat()}"
        return path, own(rep, rng)[1]

    def team(rep: int, rng: random.Random):
        team_id = users.team_of[rep]
        token = users.managers[team_id][1]
        return f"/api/v1/credits/?team={team_id}", {
            **API_HEADERS,
            "Authorization": f"Token {token}",
        }

    def admin(rep: int, rng: random.Random):
        token = users.admin_token
        return f"/api/v1/credits/?rep={rep}", {**API_HEADERS, "Authorization": f"Token {token}"}

    return [
        Scenario("results", "GET /results/ as a random rep", reps, page, PAGE_MARKER),
        Scenario(
            "results-heavy", "GET /results/ as the heaviest rep", [heavy_rep], page, PAGE_MARKER
        ),
        Scenario("api-rep", "GET /api/v1/credits/ as a random rep", reps, own, API_MARKER),
        Scenario(
            "api-rep-year", "... ?from=&to= (12 months), random rep", reps, own_year, API_MARKER
        ),
        Scenario("api-manager", "... ?team= as that team's manager", reps, team, API_MARKER),
        Scenario("api-admin", "... ?rep= (random rep) as an admin", reps, admin, API_MARKER),
    ]


def raw_request(path: str, headers: dict[str, str]) -> bytes:
    lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def fetch(port: int, request: bytes) -> tuple[int, bytes]:
    loop = asyncio.get_running_loop()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setblocking(False)
    try:
        await loop.sock_connect(sock, ("127.0.0.1", port))
        await loop.sock_sendall(sock, request)
        chunks = []
        while chunk := await loop.sock_recv(sock, 262144):
            chunks.append(chunk)
    finally:
        sock.close()
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


async def closed_loop(port: int, plans: list[list[bytes]], marker: bytes, result: Result):
    async def client(plan: list[bytes]) -> None:
        for request in plan:
            started = time.perf_counter()
            try:
                async with asyncio.timeout(30):
                    status, body = await fetch(port, request)
            except (TimeoutError, OSError, ValueError, IndexError) as exc:
                result.errors += 1
                result.sample = result.sample or f"socket: {exc!r}"
                continue
            if status == 200 and marker in body:
                result.latencies.append((time.perf_counter() - started) * 1000)
            else:
                result.errors += 1
                result.sample = result.sample or f"{status} {body[:300]!r}"

    started = time.perf_counter()
    await asyncio.gather(*(client(plan) for plan in plans))
    result.seconds = time.perf_counter() - started


def run(
    port: int, scenario: Scenario, *, clients: int, requests: int, rng: random.Random
) -> Result:
    """`clients` clients, `requests` requests each, reps drawn at random."""
    plans = [
        [raw_request(*scenario.request(rng.choice(scenario.reps), rng)) for _ in range(requests)]
        for _ in range(clients)
    ]
    result = Result(scenario.name, scenario.what, clients)
    asyncio.run(closed_loop(port, plans, scenario.marker, result))
    return result


def measure(
    port: int,
    server_pid: int,
    scenario: Scenario,
    *,
    clients: int,
    requests: int,
    rng: random.Random,
) -> Result:
    """`run`, with the CPU it cost: per request, of the gunicorn workers and of their
    PostgreSQL backends; the load generator's share of a core; and the CPU the machine spent
    on anything else meanwhile (other processes, short-lived ones such as PostgreSQL's
    parallel query workers, and time the hypervisor stole)."""
    app, db = child_pids(server_pid), backend_pids()
    app_before, db_before, own_before = cpu_of(app), cpu_of(db), own_cpu()
    machine = cpu_times()
    result = run(port, scenario, clients=clients, requests=requests, rng=rng)
    busy = busy_since(machine)
    app_cpu, db_cpu = spent(app_before, cpu_of(app)), spent(db_before, cpu_of(db))
    own = own_cpu() - own_before
    if result.requests:
        result.app_cpu_ms = 1000 * app_cpu / result.requests
        result.db_cpu_ms = 1000 * db_cpu / result.requests
    if result.seconds:
        result.generator_cores = own / result.seconds
        cores = busy * (os.cpu_count() or 1)
        result.other_cores = max(0.0, cores - (app_cpu + db_cpu + own) / result.seconds)
    return result


def cpu_of(pids: list[int]) -> dict[int, float]:
    return {pid: process_cpu([pid]) for pid in pids}


def spent(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds used between two readings by the processes alive at both."""
    return sum(after[pid] - before[pid] for pid in before if after.get(pid))


def wait_for_quiet(*, limit: float = 0.2, patience: float = 30.0) -> float:
    """Wait (up to `patience` seconds) for a second in which the machine is at most `limit`
    busy; returns the last second's utilisation."""
    deadline = time.monotonic() + patience
    while True:
        start = cpu_times()
        time.sleep(1)
        busy = busy_since(start)
        if busy <= limit or time.monotonic() > deadline:
            return busy


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def twelve_month_windows(today: date) -> list[tuple[date, date]]:
    """The last 12 months and the 12 before (from/to inclusive, as the API reads them)."""
    last = (today - timedelta(days=364), today)
    return [last, (last[0] - timedelta(days=365), last[0] - timedelta(days=1))]
