"""`make serve`'s stack under a small team's rush hour: 40 reps racing and working at once.

Starts `python -m crm.team serve` (gunicorn + Celery worker + beat, DEBUG off, SQLite in WAL
mode) in a temporary data folder, seeds 4 teams of 10 reps with API tokens, 300 pool customers
and 3 customers of each rep's own (through the services), then runs an open-loop load as
bench/openloop.py does (requests scheduled at a fixed rate, dealt round-robin to the reps;
latency counted from the scheduled start, so a server that falls behind pays for it) but with
one keep-alive connection per rep, as a browser holds, and a rep's working mix:

    30% list the public pool            GET  /api/v1/leads/?scope=pool
    20% claim one of 10 hot leads       POST /api/v1/leads/{hot}/claim/      (races: 200 / 409)
    20% open a lead                     GET  /api/v1/leads/{id}/
    15% log a follow-up on own lead     POST /api/v1/leads/{own}/followups/
    15% my leads                        GET  /api/v1/leads/?scope=mine

Reports requests/s, p50/p99/max, answers by class, 5xx, and dropped connections (connect
errors, resets, closes without an answer, time-outs). `--server dev` runs the same load
against `make run`'s development server (runserver, DEBUG on) on the same data, for comparison.

`--connections fresh` sends every request on a new connection at its scheduled time however
many are still waiting (a true open loop: the offered load is the rate, whatever the server
does); it also counts requests the client gave up on after FRESH_TIMEOUT s (timed out).

    python bench/team.py [--rate 250] [--seconds 20] [--reps 40] [--server team|dev|both]
                         [--connections keepalive|fresh]
"""

import argparse
import asyncio
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import create_reps  # noqa: E402
from crm.team import team_env  # noqa: E402
from tests.workers import free_port  # noqa: E402

BASE_DIR = Path(__file__).resolve().parent.parent
HOT = 10
# --connections fresh: how long a client waits for an answer before it gives up.
FRESH_TIMEOUT = 60
POOL = 300
OWN = 3


def seed(reps: int) -> dict:
    import django

    django.setup()
    from accounts.models import User
    from assignments.services import create_lead

    def contact(n: int) -> list[dict]:
        return [{"name": "Li", "phone": f"139{n:08d}", "email": f"li@{tag(n)}.cn"}]

    def tag(n: int) -> str:
        # Names and e-mail domains that share nothing, so the duplicate check lets all in.
        return hashlib.sha256(f"bench-team-{n}".encode()).hexdigest()[:10]

    rep_ids, tokens = create_reps(reps)
    pool = [
        create_lead(
            actor=None,
            company_name=f"Firm {tag(n)}",
            contacts=contact(n),
            confirm_duplicate=True,
        ).pk
        for n in range(POOL)
    ]
    own = []
    for i, rep_id in enumerate(rep_ids):
        rep = User.objects.get(pk=rep_id)
        own.append(
            [
                create_lead(
                    actor=rep,
                    company_name=f"Firm {tag(50_000 + i * 10 + k)}",
                    contacts=contact(50_000 + i * 10 + k),
                    confirm_duplicate=True,
                ).pk
                for k in range(OWN)
            ]
        )
    return {"tokens": tokens, "pool": pool, "own": own}


def plan(data: dict, *, rate: float, seconds: float, seed_value: int = 15) -> list[tuple]:
    """(rep index, method, path, body) for each scheduled request."""
    rng = random.Random(seed_value)
    hot = data["pool"][:HOT]
    reps = len(data["tokens"])
    total = int(rate * seconds)
    out = []
    for n in range(total):
        rep = n % reps
        roll = rng.random()
        if roll < 0.30:
            out.append((rep, "GET", f"/api/v1/leads/?scope=pool&page_size=25&n={n}", None))
        elif roll < 0.50:
            out.append((rep, "POST", f"/api/v1/leads/{rng.choice(hot)}/claim/", b""))
        elif roll < 0.70:
            lead = rng.choice(data["pool"] + data["own"][rep])
            out.append((rep, "GET", f"/api/v1/leads/{lead}/", None))
        elif roll < 0.85:
            body = json.dumps({"kind": "call", "note": f"Called, wants a quote ({n})"}).encode()
            out.append(
                (rep, "POST", f"/api/v1/leads/{rng.choice(data['own'][rep])}/followups/", body)
            )
        else:
            out.append((rep, "GET", "/api/v1/leads/?scope=mine", None))
    return out


class Connection:
    """One rep's keep-alive HTTP/1.1 connection (reopened when the server closes it)."""

    def __init__(self, port: int, token: str, *, close: bool = False):
        self.port, self.token, self.close_after = port, token, close
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: bytes | None) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: Token {self.token}\r\nAccept: application/json\r\n"
        )
        if self.close_after:
            head += "Connection: close\r\n"
        if body is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        self.writer.write(head.encode() + b"\r\n" + (body or b""))
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionResetError("closed without an answer")
        status = int(status_line.split(b" ", 2)[1])
        headers = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding", "").lower() == "chunked":
            payload = b""
            while size := int((await self.reader.readline()).split(b";")[0], 16):
                payload += await self.reader.readexactly(size + 2)
            await self.reader.readline()
        else:
            payload = await self.reader.readexactly(int(headers.get("content-length", 0)))
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, payload

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def load_fresh(port: int, data: dict, requests: list[tuple], rate: float) -> dict:
    """A true open loop: every request is sent at its scheduled time on a connection of its
    own (`Connection: close`), however many are still waiting, as a load tester or many
    browsers opening pages at once do. What a server cannot accept is refused or reset
    (dropped); what it accepts but does not answer within FRESH_TIMEOUT seconds is counted
    as timed out (the client gave up)."""
    latencies: list[float] = []
    counts = {"2xx": 0, "409": 0, "other_4xx": 0, "5xx": 0, "dropped": 0, "timed_out": 0}
    counts["not_sent"] = 0
    samples: list[str] = []
    start = time.monotonic() + 0.5

    async def one(n: int) -> None:
        scheduled = start + n / rate
        if (delay := scheduled - time.monotonic()) > 0:
            await asyncio.sleep(delay)
        rep, method, path, body = requests[n]
        conn = Connection(port, data["tokens"][rep], close=True)
        try:
            async with asyncio.timeout(FRESH_TIMEOUT):
                status, payload = await conn.request(method, path, body)
        except TimeoutError:
            counts["timed_out"] += 1
            return
        except (OSError, asyncio.IncompleteReadError, ValueError) as error:
            counts["dropped"] += 1
            if len(samples) < 5:
                samples.append(f"dropped: {type(error).__name__} {error}")
            return
        finally:
            conn.close()
        latencies.append(time.monotonic() - scheduled)
        tally(counts, samples, status, method, path, payload)

    await asyncio.gather(*(one(n) for n in range(len(requests))))
    return summarise(counts, samples, latencies, len(requests), time.monotonic() - start)


def tally(counts: dict, samples: list, status: int, method: str, path: str, payload: bytes):
    if status < 300:
        counts["2xx"] += 1
    elif status == 409:
        counts["409"] += 1
    else:
        counts["5xx" if status >= 500 else "other_4xx"] += 1
        if len(samples) < 5:
            samples.append(f"{status} {method} {path}: {payload[:200]!r}")


def summarise(counts: dict, samples: list, latencies: list, scheduled: int, elapsed: float):
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000

    return {
        **counts,
        "scheduled": scheduled,
        "answered_per_s": round(len(latencies) / elapsed, 1),
        "seconds": round(elapsed, 1),
        "p50_ms": round(pct(50), 1) if latencies else None,
        "p99_ms": round(pct(99), 1) if latencies else None,
        "max_ms": round(latencies[-1] * 1000, 1) if latencies else None,
        "samples": samples,
    }


async def load(port: int, data: dict, requests: list[tuple], rate: float) -> dict:
    reps = len(data["tokens"])
    connections = [Connection(port, token) for token in data["tokens"]]
    latencies: list[float] = []
    counts = {"2xx": 0, "409": 0, "other_4xx": 0, "5xx": 0, "dropped": 0, "not_sent": 0}
    samples: list[str] = []
    start = time.monotonic() + 0.5
    # Bounded: what a rep has not sent 30 s after the last scheduled start is counted, not sent.
    deadline = start + len(requests) / rate + 30

    async def rep(index: int) -> None:
        conn = connections[index]
        for n in range(index, len(requests), reps):
            scheduled = start + n / rate
            if (delay := scheduled - time.monotonic()) > 0:
                await asyncio.sleep(delay)
            if time.monotonic() > deadline:
                counts["not_sent"] += 1
                continue
            _rep, method, path, body = requests[n]
            try:
                async with asyncio.timeout(30):
                    status, payload = await conn.request(method, path, body)
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as error:
                counts["dropped"] += 1
                conn.close()
                if len(samples) < 5:
                    samples.append(f"dropped: {type(error).__name__} {error}")
                continue
            latencies.append(time.monotonic() - scheduled)
            tally(counts, samples, status, method, path, payload)
        conn.close()

    await asyncio.gather(*(rep(i) for i in range(reps)))
    return summarise(counts, samples, latencies, len(requests), time.monotonic() - start)


def wait_up(port: int, proc: subprocess.Popen, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit("the server exited before it answered")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    sys.exit("the server did not answer in time")


def start_server(kind: str, folder: Path, port: int, env: dict, log: Path) -> subprocess.Popen:
    if kind == "team":
        args = [sys.executable, "-m", "crm.team", "serve", "--bind", "127.0.0.1"]
        args += ["--port", str(port), "--data-dir", str(folder)]
    else:  # `make run`'s web process (scripts/Procfile), DEBUG on
        env = {**env, "DEBUG": "1"}
        args = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
    with log.open("ab") as out:
        return subprocess.Popen(
            args,
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=float, default=250)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--reps", type=int, default=40)
    parser.add_argument("--server", choices=("team", "dev", "both"), default="team")
    parser.add_argument(
        "--connections",
        choices=("keepalive", "fresh"),
        default="keepalive",
        help="one keep-alive connection per rep (a browser), or a new connection per request",
    )
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="noclash-bench-team-") as tmp:
        folder = Path(tmp) / "data"
        folder.mkdir()
        for name in ("DATABASE_URL", "REDIS_URL", "SQLITE_PATH", "STATIC_ROOT", "BACKUP_DIR"):
            os.environ.pop(name, None)
        env = team_env(folder)
        env["LOG_LEVEL"] = "WARNING"
        os.environ.update(env)
        kinds = ["team", "dev"] if options.server == "both" else [options.server]
        results = {}
        data = None
        for kind in kinds:
            port = free_port()
            log = Path(tmp) / f"{kind}.log"
            if kind == "dev" and data is None:
                # runserver does not migrate: let the team command's set-up do it.
                subprocess.run(
                    [sys.executable, "-m", "django", "setup_team"],
                    env=env,
                    cwd=BASE_DIR,
                    check=True,
                )
            proc = start_server(kind, folder, port, env, log)
            try:
                wait_up(port, proc)
                if data is None:
                    t = time.monotonic()
                    data = seed(options.reps)
                    print(
                        f"seeded {options.reps} reps, {POOL} pool + {OWN * options.reps} own customers in {time.monotonic() - t:.0f} s",
                        flush=True,
                    )
                requests = plan(data, rate=options.rate, seconds=options.seconds)
                runner = load_fresh if options.connections == "fresh" else load
                result = asyncio.run(runner(port, data, requests, options.rate))
                results[kind] = result
                print(f"{kind}: " + json.dumps(result, ensure_ascii=False), flush=True)
            finally:
                stop(proc)
            if kind == "team" and (result["dropped"] or result["5xx"]):
                print(log.read_text(errors="replace")[-3000:])
        for kind, r in results.items():
            print(
                f"{kind:5} {options.reps} reps at {options.rate:.0f}/s for {options.seconds:.0f} s: "
                f"{r['answered_per_s']} answered/s, p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms, "
                f"max {r['max_ms']} ms, dropped {r['dropped']}, timed out {r.get('timed_out', 0)}, "
                f"5xx {r['5xx']}, not sent {r['not_sent']}, "
                f"2xx {r['2xx']}, 409 {r['409']}, other 4xx {r['other_4xx']}"
            )
        if "team" in results and (results["team"]["dropped"] or results["team"]["5xx"]):
            sys.exit("team server: dropped connections or 5xx")


if __name__ == "__main__":
    main()
