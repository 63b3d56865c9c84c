"""The claim benchmark's data: COPY the public-pool leads, open the pool (no claim limit, no
cooldown), empty the ownership tables between scenarios, check that every claim wrote one
period and one history row, and count the SQL statements of one claim and one refusal."""

import io
import logging
from datetime import timedelta

from common import copy_text


def load_leads(count: int) -> tuple[int, int]:
    """COPY `count` public-pool leads; returns the (first, last) id, a contiguous range.
    Columns not set here get the model field's default, so the rows stay valid when fields
    are added."""
    from django.db import connection
    from django.utils import timezone

    from leads.models import Lead

    provinces = [("浙江", "杭州"), ("江苏", "南京"), ("广东", "深圳"), ("上海", "上海")]
    industries = ["SaaS", "制造", "零售", "物流", "教育"]
    fields = [f for f in Lead._meta.concrete_fields if not f.primary_key]
    defaults = {f.column: f.get_default() for f in fields}
    defaults.update(source="bench", created_at=timezone.now(), pool_team_id=None)
    buffer = io.StringIO()
    for i in range(count):
        province, city = provinces[i % len(provinces)]
        row = {
            **defaults,
            "company_name": f"Bench Company {i:06d}",
            "province": province,
            "city": city,
            "industry": industries[i % len(industries)],
        }
        buffer.write("\t".join(copy_text(row[f.column]) for f in fields) + "\n")
    buffer.seek(0)
    table = connection.ops.quote_name(Lead._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)
        cursor.execute(f"ANALYZE {table}")
        cursor.execute(f"SELECT min(id), max(id), count(*) FROM {table}")
        first, last, total = cursor.fetchone()
    assert total == count and last - first + 1 == count, (first, last, total)
    return first, last


def open_the_pool() -> None:
    from assignments.services import update_policy

    update_policy(actor=None, team=None, changes={"claim_limit": 100_000, "cooldown": timedelta(0)})


def reset_ownership() -> None:
    """Every lead back in the pool. The history refuses TRUNCATE unless its owner (the bench
    runs as the database's owner) says so for the transaction; CASCADE empties what refers to
    the periods and the history too (credits, collaborators): this is a throw-away bench
    database."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL noclash.allow_truncate = on")
        cursor.execute(
            "TRUNCATE assignments_ownershipevent, assignments_ownership, assignments_collision "
            "RESTART IDENTITY CASCADE"
        )


def check_integrity(*, hot_ids: list[int] | None = None) -> str:
    """Each claim wrote one period and one history row; no lead has two open periods."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM assignments_ownership WHERE ended_at IS NULL),"
            " (SELECT count(*) FROM assignments_ownershipevent WHERE kind = 'claim'),"
            " (SELECT count(*) FROM (SELECT lead_id FROM assignments_ownership"
            "   WHERE ended_at IS NULL GROUP BY lead_id HAVING count(*) > 1) doubled)"
        )
        periods, claims, doubled = cursor.fetchone()
        problems = []
        if periods != claims:
            problems.append(f"{periods} open periods but {claims} claim records")
        if doubled:
            problems.append(f"{doubled} leads with two open periods")
        if hot_ids is not None:
            cursor.execute(
                "SELECT count(*) FROM assignments_ownershipevent"
                " WHERE kind = 'claim' AND lead_id = ANY(%s)",
                [hot_ids],
            )
            hot_claims = cursor.fetchone()[0]
            if hot_claims != len(hot_ids):
                problems.append(f"{hot_claims} claims recorded on {len(hot_ids)} hot leads")
    return "; ".join(problems) or f"ok ({claims} claims, each with one period)"


def count_queries(lead_id: int, tokens: list[str]) -> tuple[int, int]:
    """SQL statements per request, through the full middleware stack: a successful claim,
    then a refused one (already owned)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    # django.request logs every 4xx as a warning; the server's log keeps those, not stdout.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    # A first claim on another lead prepares the hot statements on this connection
    # (crm/sql.py: once per connection), so the counts below are a steady request's.
    warm = Client(headers={"Authorization": f"Token {tokens[2]}"}, HTTP_HOST="127.0.0.1")
    assert warm.post(f"/api/v1/leads/{lead_id + 1}/claim/").status_code == 200
    counts = []
    for token in tokens[:2]:
        client = Client(headers={"Authorization": f"Token {token}"}, HTTP_HOST="127.0.0.1")
        with CaptureQueriesContext(connection) as captured:
            response = client.post(f"/api/v1/leads/{lead_id}/claim/")
        assert response.status_code in (200, 409), response.content
        counts.append(len(captured))
    return counts[0], counts[1]
