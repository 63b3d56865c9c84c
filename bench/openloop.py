"""Open-loop load at a fixed rate from N concurrent clients, latency without coordinated omission.

`wrk` keeps every connection busy (a closed loop): its latency at saturation is only the queue
length divided by the throughput (Little's law). This generator asks "how long does a request
take when the server is sent R requests per second by N clients", the way wrk2 does:

- requests are scheduled in advance at exactly R per second (evenly spaced), dealt round-robin
  to N clients; a client sends one request at a time, over a new HTTP/1.1 connection (the
  gunicorn sync worker closes each connection after its answer, as it would for wrk);
- latency is measured from the *scheduled* start, not from when the client got round to
  sending it: when the server falls behind, the wait a real client would have seen counts;
- the generator is single-threaded asyncio on bare non-blocking sockets and reports the CPU
  it used (it shares the machine with the server).

Run by bench/claims.py as a child process:

    python bench/openloop.py CONFIG.json    # prints one line: RESULT {json}

CONFIG: {"port", "rate", "clients", "seconds", "tokens": [...], "leads": [lo, hi],
"hot": [ids] (empty: uniform over leads), "seed"}.
"""

import asyncio
import json
import random
import resource
import socket
import sys
import time


async def claim(port: int, request: bytes) -> tuple[int, bytes]:
    """One request on a new connection; the answer is read to the server's close (sent
    `Connection: close`). Bare non-blocking sockets: a fraction of asyncio streams' CPU."""
    loop = asyncio.get_running_loop()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setblocking(False)
    try:
        await loop.sock_connect(sock, ("127.0.0.1", port))
        await loop.sock_sendall(sock, request)
        chunks = []
        while chunk := await loop.sock_recv(sock, 65536):
            chunks.append(chunk)
    finally:
        sock.close()
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


def claim_request(lead_id: int, token: str) -> bytes:
    return (
        f"POST /api/v1/leads/{lead_id}/claim/ HTTP/1.1\r\n"
        f"Host: 127.0.0.1\r\nAuthorization: Token {token}\r\n"
        "Accept: application/json\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    ).encode()


async def run(config: dict) -> dict:
    rng = random.Random(config["seed"])
    port, rate, clients = config["port"], float(config["rate"]), int(config["clients"])
    total = int(rate * config["seconds"])
    lo, hi = config["leads"]
    hot, tokens = config["hot"], config["tokens"]
    plan = [
        claim_request(rng.choice(hot) if hot else rng.randint(lo, hi), rng.choice(tokens))
        for _ in range(total)
    ]
    latencies: list[float] = []
    counts = {"ok": 0, "owned": 0, "other": 0, "socket": 0}
    sample = []
    start = time.monotonic() + 0.2

    async def client(index: int) -> None:
        for n in range(index, total, clients):
            scheduled = start + n / rate
            delay = scheduled - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            try:
                async with asyncio.timeout(10):
                    status, body = await claim(port, plan[n])
            except (TimeoutError, OSError, ValueError, IndexError):
                counts["socket"] += 1
                continue
            latencies.append(time.monotonic() - scheduled)
            if status == 200:
                counts["ok"] += 1
            elif status == 409 and b'"already_owned"' in body:
                counts["owned"] += 1
            else:
                counts["other"] += 1
                if not sample:
                    sample.append(f"{status} {body[:300].decode(errors='replace')}")

    await asyncio.gather(*(client(i) for i in range(clients)))
    elapsed = time.monotonic() - start
    latencies.sort()

    def percentile(p: float) -> float:
        if not latencies:
            return 0.0
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        **counts,
        "seconds": elapsed,
        "scheduled": total,
        "p50_ms": percentile(50),
        "p99_ms": percentile(99),
        "max_ms": latencies[-1] * 1000 if latencies else 0.0,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "sample": sample[0] if sample else "",
    }


def main() -> None:
    with open(sys.argv[1]) as f:
        config = json.load(f)
    print("RESULT " + json.dumps(asyncio.run(run(config))), flush=True)


if __name__ == "__main__":
    main()
