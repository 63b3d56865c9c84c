"""The credit benchmark's summary table and its target: every read answers with p99 under
100 ms, and without errors."""

import os
from pathlib import Path

from .http_load import Result

TARGET_P99_MS = 100.0


def report_server_log(log: Path) -> None:
    lines = [line for line in log.read_text(errors="replace").splitlines() if line.strip()]
    print(f"\ngunicorn log: {len(lines)} lines")
    for line in lines[-40:]:
        print(f"  {line}")


def print_summary(results: list[Result], *, workers: int, data: str) -> bool:
    clients = results[0].clients if results else 0
    print()
    print(
        f"Summary: {data}; gunicorn {workers} sync workers (DEBUG=0, persistent connections), "
        f"{clients} clients in a closed loop (p50/p99/max), and one client alone (no queue). "
        f"SQL: statements per request, a median rep / the heaviest, middleware included. CPU "
        f"ms per request: gunicorn / PostgreSQL. Others: cores the machine spent on anything "
        f"else during the run (other processes, PostgreSQL parallel workers, hypervisor steal)."
    )
    header = (
        f"{'scenario':<14} {'what':<42} {'requests':>8} {'errors':>6} {'req/s':>6} "
        f"{'p50 ms':>7} {'p99 ms':>7} {'max ms':>7} {'alone p50/p99':>14} {'SQL':>6} "
        f"{'CPU ms':>10} {'others':>6}  p99 < {TARGET_P99_MS:.0f} ms"
    )
    print(header)
    print("-" * len(header))
    met_all = True
    for r in results:
        met = r.p99 < TARGET_P99_MS and r.errors == 0
        met_all &= met
        sql = f"{r.queries}/{r.queries_heavy}" if r.queries is not None else "-"
        alone = f"{r.alone[0]:.1f}/{r.alone[1]:.1f}" if r.alone else "-"
        cpu = f"{r.app_cpu_ms:.1f}/{r.db_cpu_ms:.1f}"
        print(
            f"{r.name:<14} {r.what:<42} {r.requests:>8} {r.errors:>6} {r.rps:>6.0f} "
            f"{r.p50:>7.1f} {r.p99:>7.1f} {r.max:>7.0f} {alone:>14} {sql:>6} {cpu:>10} "
            f"{r.other_cores:>6.2f}  {'met' if met else 'NOT MET'}"
        )
        if r.sample:
            print(f"  first error: {r.sample}")
    print(
        f"\nTarget: My results and the credits API p99 < {TARGET_P99_MS:.0f} ms with {clients} "
        f"clients, no errors: {'met' if met_all else 'NOT MET'}"
    )
    for r in results:
        if r.rps and r.p99 >= TARGET_P99_MS:
            print(
                f"  ({r.name}: with {clients} clients always waiting the mean latency is "
                f"{clients} / {r.rps:.0f} req/s = {1000 * clients / r.rps:.0f} ms by Little's "
                f"law; the machine's {os.cpu_count()} cores over {r.app_cpu_ms + r.db_cpu_ms:.1f}"
                f" ms of CPU per request serve at most "
                f"{1000 * (os.cpu_count() or 1) / max(r.app_cpu_ms + r.db_cpu_ms, 0.1):.0f} req/s)"
            )
    return met_all
