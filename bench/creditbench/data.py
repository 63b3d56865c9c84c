"""The credit benchmark's data: the users, and two years of sales history generated with a
fixed seed and loaded with COPY.

- Users: 4 teams with a manager and the reps (bench/common.py's create_reps, through the
  account services), an admin; an API token for each, a logged-in session for each rep.
- Customers: `deals / 1.25` of the leads (drawn at random) carry the deals, about a fifth of them
  two or more. Each has an owner, drawn with a skew (rep of rank r weighs 1 / r^0.35: the
  heaviest rep holds about 5 times the median rep's wins, the lightest 0.7 times), who
  claimed it before its first deal: an open ownership period and the `claim` history record
  it rests on. One customer in ten had an earlier owner whose claim expired (a closed
  period, its `claim` and `expire` records).
- Deals: 60% won, 15% lost, 25% open; CNY, one in ten in USD; lognormal amounts (median
  80,000 CNY); won and lost ones closed over the last 24 months, each won one at least a day
  inside its owner's protection, so the history credits that owner.
- The ledger: one `win` entry per won deal (its owner, the owner's team, share 100, the deal's
  amount and currency, the claim record as its basis, won_at = at = the win); 2% of the wins
  corrected by an admin up to 60 days later: a `reversal` of the win and `correction` entries
  (all to a teammate, or half each to the owner and a teammate). Rows are appended in time
  order, as the product writes them.
- Lead statuses follow: won, qualified (an open deal), contacted.
"""

import io
import math
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from common import FAST_HASHER, REP_PASSWORD, copy_text, create_reps

SEED = 20261204
MONTHS = 24
WON, LOST = 0.60, 0.15  # the rest stays open
CORRECTED = 0.02
USD = 0.10
DEALS_PER_CUSTOMER = 1.25
EARLIER_OWNER = 0.10
SKEW = 0.35
HUNDRED = Decimal(100)
PRODUCTS = ["年度订阅", "私有化部署", "实施服务", "增购席位", "续约", "培训服务", "硬件采购"]
CORRECTION_REASONS = ["协作方参与签约，按约定分配", "客户归属复核后更正", "跨团队协作业绩调整"]


@dataclass
class Users:
    rep_ids: list[int]
    rep_tokens: dict[int, str]
    team_of: dict[int, int]
    # team id -> (manager id, token)
    managers: dict[int, tuple[int, str]]
    admin_id: int
    admin_token: str
    # rep id -> the value of a logged-in session cookie
    sessions: dict[int, str] = field(default_factory=dict)


def create_users(reps: int) -> Users:
    from django.test import override_settings

    from accounts import services as account_services
    from accounts.models import Team, User

    rep_ids, tokens = create_reps(reps)
    with override_settings(PASSWORD_HASHERS=FAST_HASHER):
        admin = account_services.create_user(
            actor=None, username="bench_admin", password=REP_PASSWORD, role=User.Role.ADMIN
        )
        admin_token = account_services.issue_token(username=admin.username, password=REP_PASSWORD)
        managers = {
            team.pk: (
                team.manager_id,
                account_services.issue_token(
                    username=team.manager.username, password=REP_PASSWORD
                ).key,
            )
            for team in Team.objects.select_related("manager")
        }
    team_of = dict(User.objects.filter(pk__in=rep_ids).values_list("pk", "team_id"))
    return Users(
        rep_ids=rep_ids,
        rep_tokens=dict(zip(rep_ids, tokens, strict=True)),
        team_of=team_of,
        managers=managers,
        admin_id=admin.pk,
        admin_token=admin_token.key,
        sessions=session_cookies(rep_ids),
    )


def session_cookies(user_ids: list[int]) -> dict[int, str]:
    """A logged-in session per user, written as a login writes it (the session engine's
    store with the user's id, backend and password hash: django.test.Client.force_login)."""
    from django.conf import settings
    from django.test import Client

    from accounts.models import User

    cookies = {}
    for user in User.objects.filter(pk__in=user_ids):
        client = Client()
        client.force_login(user)
        cookies[user.pk] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return cookies


@dataclass
class History:
    deals: list[dict]
    periods: list[dict]
    events: list[dict]
    credits: list[dict]
    statuses: dict[str, list[int]]
    since: datetime

    def credits_per_rep(self) -> Counter:
        return Counter(c["rep_id"] for c in self.credits)


def generate(
    *, leads: tuple[int, int], deals: int, users: Users, stages: list[int], now: datetime
) -> History:
    rng = random.Random(SEED)  # noqa: S311
    since = now - timedelta(days=round(MONTHS * 365.25 / 12))
    span = (now - since).total_seconds() - 3600
    reps = list(users.rep_ids)
    rng.shuffle(reps)
    weights = [1 / (rank + 1) ** SKEW for rank in range(len(reps))]
    teammates: dict[int, list[int]] = {}
    for rep in reps:
        teammates.setdefault(users.team_of[rep], []).append(rep)

    count = min(leads[1] - leads[0] + 1, max(1, round(deals / DEALS_PER_CUSTOMER)))
    customers = rng.sample(range(leads[0], leads[1] + 1), count)
    owner = dict(zip(customers, rng.choices(reps, weights, k=count), strict=True))
    on = customers + rng.choices(customers, k=max(0, deals - count))

    rows = []
    for n, lead_id in enumerate(on):
        draw = rng.random()
        status = "won" if draw < WON else "lost" if draw < WON + LOST else "open"
        if status == "open":
            created = now - timedelta(days=rng.uniform(1, 180))
            closed = None
            expected = (now + timedelta(days=rng.uniform(-30, 90))).date()
        else:
            closed = since + timedelta(seconds=rng.uniform(0, span))
            created = closed - timedelta(days=rng.uniform(5, 120))
            expected = (created + timedelta(days=rng.uniform(20, 120))).date()
        amount = max(1000.0, rng.lognormvariate(math.log(80_000), 1.0))
        currency = "USD" if rng.random() < USD else "CNY"
        if currency == "USD":
            amount /= 7
        rows.append(
            {
                "lead_id": lead_id,
                "title": f"{rng.choice(PRODUCTS)} {n + 1:06d}",
                "amount": Decimal(f"{round(amount, -1):.2f}"),
                "currency": currency,
                "stage_id": stages[-1] if status == "won" else rng.choice(stages),
                "expected_close": expected,
                "status": status,
                "closed_at": closed,
                "close_reason": "签约" if status == "won" else "预算不足" if closed else "",
                "created_by_id": owner[lead_id],
                "created_at": created,
                "updated_at": closed or created,
            }
        )
    rows.sort(key=lambda d: d["created_at"])
    for n, row in enumerate(rows, 1):
        row["id"] = n

    first_deal: dict[int, datetime] = {}
    first_win: dict[int, datetime] = {}
    for row in rows:
        lead_id = row["lead_id"]
        first_deal[lead_id] = min(first_deal.get(lead_id, row["created_at"]), row["created_at"])
        if row["status"] == "won":
            first_win[lead_id] = min(first_win.get(lead_id, row["closed_at"]), row["closed_at"])

    periods, events, claim_of = [], [], {}
    for lead_id in customers:
        rep = owner[lead_id]
        claimed = first_deal[lead_id] - timedelta(days=rng.uniform(1, 60))
        if len(reps) > 1 and rng.random() < EARLIER_OWNER:
            before = rep
            while before == rep:
                before = rng.choice(reps)
            began = claimed - timedelta(days=45)
            expired = began + timedelta(days=30)
            periods.append(_period(lead_id, before, began, expired, ended=True))
            events.append(_event(lead_id, "claim", None, before, before, began))
            events.append(
                _event(
                    lead_id,
                    "expire",
                    before,
                    None,
                    None,
                    expired + timedelta(seconds=rng.uniform(1, 60)),
                    details={"protected_until": expired.isoformat()},
                )
            )
        if lead_id in first_win:
            # Protection still running at the first win; a won customer stays its owner's.
            until = first_win[lead_id] + timedelta(days=rng.uniform(1, 30))
        else:
            until = now + timedelta(days=rng.uniform(1, 30))
        periods.append(_period(lead_id, rep, claimed, until, ended=False))
        claim_of[lead_id] = _event(lead_id, "claim", None, rep, rep, claimed)
        events.append(claim_of[lead_id])
    events.sort(key=lambda e: e["at"])
    for n, event in enumerate(events, 1):
        event["id"] = n

    credits = []
    for deal in sorted((d for d in rows if d["status"] == "won"), key=lambda d: d["closed_at"]):
        rep, won_at = owner[deal["lead_id"]], deal["closed_at"]
        common = {
            "deal_id": deal["id"],
            "lead_id": deal["lead_id"],
            "currency": deal["currency"],
            "won_at": won_at,
        }
        win = {
            **common,
            "rep_id": rep,
            "team_id": users.team_of[rep],
            "share": HUNDRED,
            "amount": deal["amount"],
            "kind": "win",
            "ownership_event_id": claim_of[deal["lead_id"]]["id"],
            "at": won_at,
        }
        credits.append(win)
        mates = [r for r in teammates[users.team_of[rep]] if r != rep]
        if not mates or rng.random() >= CORRECTED:
            continue
        at = won_at + min(timedelta(days=60), now - won_at) * rng.uniform(0.1, 1.0)
        mate = rng.choice(mates)
        shares = (
            [(mate, HUNDRED)] if rng.random() < 0.5 else [(rep, HUNDRED / 2), (mate, HUNDRED / 2)]
        )
        signed = {"actor_id": users.admin_id, "reason": rng.choice(CORRECTION_REASONS), "at": at}
        credits.append(
            {
                **common,
                **signed,
                "rep_id": rep,
                "team_id": users.team_of[rep],
                "share": -HUNDRED,
                "amount": -deal["amount"],
                "kind": "reversal",
                "reverses": win,
            }
        )
        for (to, share), amount in zip(shares, _split(deal["amount"], shares), strict=True):
            credits.append(
                {
                    **common,
                    **signed,
                    "rep_id": to,
                    "team_id": users.team_of[to],
                    "share": share,
                    "amount": amount,
                    "kind": "correction",
                }
            )
    credits.sort(key=lambda c: c["at"])  # stable: a reversal before its corrections
    for n, credit in enumerate(credits, 1):
        credit["id"] = n
    for credit in credits:
        if "reverses" in credit:
            credit["reverses_id"] = credit.pop("reverses")["id"]

    won = set(first_win)
    open_ = {d["lead_id"] for d in rows if d["status"] == "open"} - won
    statuses = {
        "won": sorted(won),
        "qualified": sorted(open_),
        "contacted": sorted(set(customers) - won - open_),
    }
    return History(rows, periods, events, credits, statuses, since)


def _split(amount: Decimal, shares: list[tuple[int, Decimal]]) -> list[Decimal]:
    from assignments.services.credits import split

    return split(amount, shares)


def _period(lead_id, owner_id, started, until, *, ended: bool) -> dict:
    return {
        "lead_id": lead_id,
        "owner_id": owner_id,
        "started_at": started,
        "protected_until": until,
        "ended_at": until if ended else None,
        "end_kind": "expire" if ended else "",
    }


def _event(lead_id, kind, from_owner, to_owner, actor, at, details=None) -> dict:
    return {
        "lead_id": lead_id,
        "kind": kind,
        "from_owner_id": from_owner,
        "to_owner_id": to_owner,
        "actor_id": actor,
        "details": details or {},
        "at": at,
    }


def copy_rows(model, rows: list[dict]) -> None:
    """COPY `rows` (attname -> value; with an `id` or without) into the model's table;
    columns a row leaves out get the field's default."""
    from django.db import connection

    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key or "id" in rows[0]]
    names = {f.attname for f in fields}
    defaults = {f.attname: f.get_default() for f in fields}
    buffer = io.StringIO()
    for row in rows:
        assert row.keys() <= names, f"{model.__name__}: unknown columns {row.keys() - names}"
        values = {**defaults, **row}
        buffer.write("\t".join(copy_text(values[f.attname]) for f in fields) + "\n")
    buffer.seek(0)
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)


def load_history(history: History) -> None:
    from django.core.management.color import no_style
    from django.db import connection

    from assignments.models import Credit, Ownership, OwnershipEvent
    from leads.models import Deal, Lead

    copy_rows(Deal, history.deals)
    copy_rows(Ownership, history.periods)
    copy_rows(OwnershipEvent, history.events)
    copy_rows(Credit, history.credits)
    table = connection.ops.quote_name(Lead._meta.db_table)
    with connection.cursor() as cursor:
        for status, ids in history.statuses.items():
            cursor.execute(f"UPDATE {table} SET status = %s WHERE id = ANY(%s)", [status, ids])
        # The ids were given: the sequences continue after them.
        for statement in connection.ops.sequence_reset_sql(
            no_style(), [Deal, OwnershipEvent, Credit]
        ):
            cursor.execute(statement)


def vacuum_analyze() -> None:
    """What production's autovacuum would have done by now (statistics, the visibility map),
    and a checkpoint so that the load's writes are not flushed during the measurements."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("CHECKPOINT")
