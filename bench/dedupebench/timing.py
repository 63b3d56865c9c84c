"""Timing the duplicate check, lead creation with the check, and the same over HTTP (one client
at a time); percentiles and the summary lines."""

import http.client
import json
import statistics
import time


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def summary(label: str, ms: list[float]) -> str:
    return (
        f"{label:<34} n={len(ms):>5}  p50 {statistics.median(ms):6.2f} ms  "
        f"p99 {percentile(ms, 99):6.2f} ms  max {max(ms):7.2f} ms"
    )


def time_checks(payloads: list[tuple[str, dict]]) -> dict[str, list[float]]:
    from leads.dedupe.identity import identity_of_payload
    from leads.dedupe.matching import find_duplicates

    out: dict[str, list[float]] = {}
    found: dict[str, int] = {}
    for kind, p in payloads:
        started = time.perf_counter()
        matches = find_duplicates(identity_of_payload(p))
        out.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
        found[kind] = found.get(kind, 0) + any(m.level == "strong" for m in matches)
    for kind, n in found.items():
        print(f"  {kind}: {n}/{len(out[kind])} with a strong match")
    return out


def time_creates(payloads: list[dict], reps) -> list[float]:
    """Random names sometimes hit an existing brand in the same city: those creations are
    refused by the check (still a full create attempt, so they are timed too)."""
    from assignments.exceptions import DuplicateFound
    from assignments.services import create_lead

    ms, refused = [], 0
    for n, p in enumerate(payloads):
        started = time.perf_counter()
        try:
            create_lead(actor=reps[n % len(reps)], confirm_duplicate=True, **p)
        except DuplicateFound:
            refused += 1
        ms.append((time.perf_counter() - started) * 1000)
    print(f"  create_lead: {len(payloads) - refused} created, {refused} refused as duplicates")
    return ms


def http_times(port: int, token: str, path: str, payloads: list[dict], ok: set[int]):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
    ms, errors = [], 0
    for p in payloads:
        body = json.dumps(p)
        started = time.perf_counter()
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        ms.append((time.perf_counter() - started) * 1000)
        errors += response.status not in ok
    conn.close()
    return ms, errors
