"""What a request runs, in process through the full middleware stack (django.test.Client with
the same session cookie or token as the load): the SQL statements per request, and EXPLAIN
(ANALYZE, BUFFERS) of those that read the ledger or the deals, for the heaviest rep."""

import random
import time
from dataclasses import dataclass

from .http_load import Scenario

# The statements worth a plan: the ledger and the deals (not the session, user, token,
# notification count, team list).
MAIN_TABLES = ('"assignments_credit"', '"leads_deal"')


@dataclass
class Captured:
    status: int
    queries: list[dict]
    ms: float


def capture(path: str, headers: dict[str, str]) -> Captured:
    """One request as the load sends it, after a first one that warms this connection
    (statements prepared once per connection, caches), so the count is a steady request's."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.get(path, headers=headers)
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(path, headers=headers)
        ms = (time.perf_counter() - started) * 1000
    return Captured(response.status_code, list(captured.captured_queries), ms)


def count_queries(scenario: Scenario, rep: int) -> int:
    captured = capture(*scenario.request(rep, random.Random(rep)))  # noqa: S311
    assert captured.status == 200, f"{scenario.name}: {captured.status}"
    return len(captured.queries)


def explain(sql: str) -> list[str]:
    """The plan of a captured statement (its values inlined as it was sent), the second of two
    runs: the steady state, with the pages in shared buffers as on a busy server."""
    from django.db import connection

    with connection.cursor() as cursor:
        for _ in range(2):
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            lines = [row[0] for row in cursor.fetchall()]
    return lines


def shorten(sql: str, limit: int = 400) -> str:
    """A long IN (...) list shown by its first values and its length."""
    start = sql.find(" IN (")
    if start != -1:
        end = sql.find(")", start)
        values = sql[start + 5 : end].split(", ")
        if len(values) > 6:
            sql = f"{sql[: start + 5]}{', '.join(values[:3])}, ... {len(values)} values{sql[end:]}"
    return sql if len(sql) <= limit else sql[:limit] + " ..."


def print_plans(scenarios: list[Scenario], heavy_rep: int) -> dict[str, float]:
    """EXPLAIN ANALYZE of every ledger and deal statement of each scenario's request for the
    heaviest rep; returns the request's in-process time per scenario (ms)."""
    timings = {}
    for scenario in scenarios:
        if scenario.name == "results-heavy":
            continue  # the same request as `results` for this rep
        path, headers = scenario.request(heavy_rep, random.Random(heavy_rep))  # noqa: S311
        captured = capture(path, headers)
        timings[scenario.name] = captured.ms
        main = [q for q in captured.queries if any(t in q["sql"] for t in MAIN_TABLES)]
        sql_ms = 1000 * sum(float(q["time"]) for q in captured.queries)
        print(
            f"\n=== {scenario.name}: GET {path} for the heaviest rep: status {captured.status}, "
            f"{captured.ms:.1f} ms in process, of which {sql_ms:.1f} ms waiting on "
            f"{len(captured.queries)} statements; {len(main)} on the ledger or the deals:"
        )
        for query in main:
            print(f"\n-- {shorten(query['sql'])}")
            for line in explain(query["sql"]):
                print(f"   {line if len(line) <= 240 else line[:240] + ' ...'}")
    return timings
