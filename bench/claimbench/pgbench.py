"""pgbench running the bare claim transaction on the same schema (lock the lead row FOR NO KEY
UPDATE, look for an open ownership period, insert the period and its history row, commit).
Every client walks its own sequence of lead ids, so every transaction is a successful claim
(the heaviest path): this is the database's ceiling for the endpoint."""

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .machine import busy_since, cpu_times


@dataclass
class PgbenchResult:
    clients: int
    tps: float
    latency_ms: float
    transactions: int
    failed: int
    machine_busy: float
    raw: str = field(repr=False, default="")


PGBENCH_SCRIPT = r"""
\set rep random(:rep_lo, :rep_hi)
\set id :lead_lo + ((:client_id + :n * :nclients) % :nleads)
\set n :n + 1
BEGIN;
SELECT id, pool_team_id FROM leads_lead WHERE id = :id FOR NO KEY UPDATE;
SELECT count(*) AS owned FROM assignments_ownership WHERE lead_id = :id AND ended_at IS NULL \gset
\if :owned = 0
INSERT INTO assignments_ownership (lead_id, owner_id, started_at, protected_until, end_kind)
  VALUES (:id, :rep, now(), now() + interval '7 days', '');
INSERT INTO assignments_ownershipevent
  (lead_id, kind, to_owner_id, actor_id, reason, details, at)
  VALUES (:id, 'claim', :rep, :rep, '', '{}', now());
\endif
COMMIT;
"""


def run_pgbench(
    *,
    pgbench: str,
    url: str,
    script: Path,
    clients: int,
    seconds: int,
    leads: tuple[int, int],
    rep_ids: list[int],
    mode: str,
) -> PgbenchResult:
    first, last = leads
    variables = {
        "lead_lo": first,
        "nleads": last - first + 1,
        "rep_lo": min(rep_ids),
        "rep_hi": max(rep_ids),
        "nclients": clients,
        "n": 0,
    }
    command = [pgbench, "-n", "-M", mode, "-f", str(script), "-c", str(clients)]
    command += ["-j", str(min(clients, os.cpu_count() or 1)), "-T", str(seconds)]
    for key, value in variables.items():
        command += ["-D", f"{key}={value}"]
    command.append(url)
    start = cpu_times()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    busy = busy_since(start)
    output = done.stdout + done.stderr
    if done.returncode != 0:
        sys.exit(f"pgbench failed ({done.returncode}):\n{output}")

    def number(pattern: str, default: float = 0.0) -> float:
        match = re.search(pattern, output)
        return float(match.group(1)) if match else default

    return PgbenchResult(
        clients=clients,
        tps=number(r"tps = ([\d.]+)"),
        latency_ms=number(r"latency average = ([\d.]+) ms"),
        transactions=int(number(r"number of transactions actually processed: (\d+)")),
        failed=int(number(r"number of failed transactions: (\d+)")),
        machine_busy=busy,
        raw=output,
    )
