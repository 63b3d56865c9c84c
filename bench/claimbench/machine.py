"""CPU accounting from /proc: the machine's utilisation during a run, the CPU used by child
processes (the load generator), by gunicorn's workers and by the PostgreSQL backends serving
the bench database."""

import os
import resource
from pathlib import Path


def cpu_times() -> tuple[float, float]:
    """(busy, total) jiffies from /proc/stat, for the machine's utilisation during a run."""
    with open("/proc/stat") as stat:
        values = [float(v) for v in stat.readline().split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0.0)
    return sum(values) - idle, sum(values)


def busy_since(start: tuple[float, float]) -> float:
    busy, total = cpu_times()
    return (busy - start[0]) / max(total - start[1], 1.0)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def process_cpu(pids: list[int]) -> float:
    """CPU seconds (user + system) used so far by these processes."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def child_pids(parent: int) -> list[int]:
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            pids.append(int(stat.parent.name))
    return pids


def backend_pids() -> list[int]:
    """The PostgreSQL backends serving the bench database (gunicorn's persistent ones)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid()"
        )
        return [row[0] for row in cursor.fetchall()]
