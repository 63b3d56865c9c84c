"""The dashboard benchmark's data: two years of a sales organisation's records, generated
with a fixed seed and loaded with COPY (text built in this process, sent in chunks).

- 1,000,000 customers, created evenly over the two years (60% by a rep, the rest imported);
  statuses new 50%, contacted 25%, qualified 12%, won 5%, lost 8%; 70% in a team's pool.
- 2,000,000 ownership history records over the two years: claims 42%, expiries 22%,
  releases 12%, assignments of new customers 10%, reassignments 6% (a fifth from the pool, a
  tenth to it), routings 3%, confirmations 3%, transfers 2%.
- 100,000 collision records (refused claims half of them; a tenth possible duplicates, half
  of those confirmed); 1,000,000 follow-ups; 600,000 status changes; 20,000 transfer
  requests (3% waiting) and 5,000 disputes (5% open); 50,000 won deals with their credit
  entries (2% corrected: a reversal and a correction); 150,000 open claims whose protection
  ends between 5 days ago and 30 days from now.

Reps are drawn uniformly; times uniformly over the two years. The dashboard's statements
read ranges of these records by time, so their cost follows the records in the range.
"""

import io
import random
import time
from datetime import UTC, datetime, timedelta

SEED = 20261205
# COPY's NULL.
NULL = "\\N"
YEARS = 2
CHUNK = 200_000
STATUSES = [("new", 50), ("contacted", 25), ("qualified", 12), ("won", 5), ("lost", 8)]
EVENT_KINDS = [
    ("claim", 42),
    ("expire", 22),
    ("release", 12),
    ("assign", 10),
    ("reassign", 6),
    ("route", 3),
    ("confirm", 3),
    ("transfer", 2),
]
CODES = [
    ("already_owned", 50),
    ("duplicate_owned", 25),
    ("duplicate_in_pool", 10),
    ("duplicate_own", 5),
    ("possible_duplicate", 10),
]
TO_STATUSES = [("contacted", 45), ("qualified", 25), ("lost", 12), ("new", 10), ("won", 8)]


def _ts(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat()


def _copy(table: str, columns: list[str], lines) -> int:
    """COPY tab-separated `lines` (each ending in a newline) into `table`, in chunks."""
    from django.db import connection

    count, buffer = 0, io.StringIO()

    def flush():
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)

    for line in lines:
        buffer.write(line)
        count += 1
        if count % CHUNK == 0:
            flush()
            buffer = io.StringIO()
    if buffer.tell():
        flush()
    return count


def _weighted(rng: random.Random, pairs, k: int) -> list:
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights, k=k)


class Span:
    """The two years up to now, as epoch seconds."""

    def __init__(self, now: datetime):
        self.end = now.timestamp()
        self.start = (now - timedelta(days=round(365.25 * YEARS))).timestamp()

    def draw(self, rng: random.Random) -> float:
        return rng.uniform(self.start, self.end)


def load_all(
    *,
    users,
    now: datetime,
    leads: int,
    events: int,
    collisions: int,
    followups: int,
    status_changes: int,
    requests: int,
    disputes: int,
    deals: int,
    open_claims: int,
    log=print,
) -> dict[str, int]:
    """Generate and COPY everything; returns the row count per table."""
    from django.db import connection

    rng = random.Random(SEED)  # noqa: S311 - synthetic data
    span = Span(now)
    reps = list(users.rep_ids)
    team_of = users.team_of
    teams = sorted(set(team_of.values()))
    counts = {}

    def step(name, table, columns, lines):
        started = time.monotonic()
        counts[name] = _copy(table, columns, lines)
        log(f"  {name}: {counts[name]:,} rows in {time.monotonic() - started:.0f} s", flush=True)

    # --- customers ---------------------------------------------------------------------------
    def lead_lines():
        statuses = _weighted(rng, STATUSES, leads)
        for i in range(leads):
            by = rng.choice(reps) if rng.random() < 0.6 else None
            pool = rng.choice(teams) if rng.random() < 0.7 else None
            yield (
                f"company\tBench Dashboard Co {i:07d}\t\t\tCN\t\t浙江\t杭州\tSaaS\t\tbench\t"
                f"{statuses[i]}\t[]\t{pool or NULL}\t{by or NULL}\t{_ts(span.draw(rng))}\t\\N\n"
            )

    step(
        "leads",
        "leads_lead",
        [
            "kind",
            "company_name",
            "uscc",
            "id_number",
            "country",
            "website",
            "province",
            "city",
            "industry",
            "size",
            "source",
            "status",
            "tags",
            "pool_team_id",
            "created_by_id",
            "created_at",
            "merged_into_id",
        ],
        lead_lines(),
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id) FROM leads_lead")
        first, last = cursor.fetchone()
    assert last - first + 1 == leads, (first, last)

    def lead_id() -> int:
        return rng.randint(first, last)

    # --- the ownership history -----------------------------------------------------------------
    def event_lines():
        kinds = _weighted(rng, EVENT_KINDS, events)
        for kind in kinds:
            rep = rng.choice(reps)
            source, target, actor = None, None, rep
            if kind in ("claim", "assign"):
                target = rep
            elif kind == "release":
                source = rep
            elif kind == "expire":
                source, actor = rep, None
            elif kind in ("reassign", "transfer"):
                source = rep if kind == "transfer" or rng.random() >= 0.2 else None
                target = rng.choice(reps) if kind == "transfer" or rng.random() >= 0.1 else None
                if source is None and target is None:
                    target = rep
                actor = teams_manager(team_of[rep])
            yield (
                f"{lead_id()}\t{kind}\t{source or NULL}\t{target or NULL}\t{actor or NULL}"
                f"\t\t{{}}\t{_ts(span.draw(rng))}\n"
            )

    def teams_manager(team_id):
        return users.managers[team_id][0]

    step(
        "ownership history",
        "assignments_ownershipevent",
        ["lead_id", "kind", "from_owner_id", "to_owner_id", "actor_id", "reason", "details", "at"],
        event_lines(),
    )

    # --- the collision log -----------------------------------------------------------------------
    def collision_lines():
        for code in _weighted(rng, CODES, collisions):
            user, owner = rng.choice(reps), rng.choice(reps)
            if code in ("duplicate_in_pool", "possible_duplicate") and rng.random() < 0.7:
                owner = None
            confirmed = code == "possible_duplicate" and rng.random() < 0.5
            yield (
                f"{user}\t{lead_id()}\t{owner or NULL}\t{code}\t{{}}\t[]\t"
                f"{'t' if confirmed else 'f'}\t{_ts(span.draw(rng))}\n"
            )

    step(
        "collisions",
        "assignments_collision",
        ["user_id", "lead_id", "owner_id", "code", "attempted", "reasons", "confirmed", "at"],
        collision_lines(),
    )

    # --- follow-ups and status changes -----------------------------------------------------------
    def followup_lines():
        kinds = ["call", "visit", "meeting", "email", "chat"]
        for _ in range(followups):
            when = _ts(span.draw(rng))
            yield (
                f"{lead_id()}\t{rng.choice(reps)}\t{rng.choice(kinds)}\t电话沟通，客户有意向"
                f"\t{when}\t\t\\N\t{when}\n"
            )

    step(
        "follow-ups",
        "leads_followup",
        [
            "lead_id",
            "author_id",
            "kind",
            "note",
            "occurred_at",
            "next_step",
            "next_step_at",
            "created_at",
        ],
        followup_lines(),
    )

    def status_lines():
        before_of = {"contacted": "new", "qualified": "contacted", "won": "qualified"}
        for to in _weighted(rng, TO_STATUSES, status_changes):
            before = before_of.get(to, "contacted")
            actor = rng.choice(reps) if rng.random() < 0.9 else None
            yield (
                f"{lead_id()}\t{before}\t{to}\t{actor or NULL}\t\\N\t\t\\N\t{_ts(span.draw(rng))}\n"
            )

    step(
        "status changes",
        "leads_statuschange",
        [
            "lead_id",
            "from_status",
            "to_status",
            "actor_id",
            "lost_reason_id",
            "note",
            "deal_id",
            "at",
        ],
        status_lines(),
    )

    # --- transfer requests and disputes ----------------------------------------------------------
    def request_lines():
        # Waiting ones on distinct customers (one waiting request per customer and rep).
        waiting = set(rng.sample(range(requests), k=requests * 3 // 100))
        for n in range(requests):
            asker, owner = rng.sample(reps, 2)
            filed = span.draw(rng)
            lead = first + n
            if n in waiting:
                yield f"{lead}\t{asker}\t{owner}\t\t{{}}\tpending\t{_ts(filed)}\t\\N\t\\N\t\tf\n"
                continue
            status = rng.choice(["approved", "rejected", "approved", "withdrawn", "stale"])
            decided = min(filed + rng.expovariate(1 / 86400), span.end)
            decider = teams_manager(team_of[owner]) if status in ("approved", "rejected") else None
            yield (
                f"{lead}\t{asker}\t{owner}\t\t{{}}\t{status}\t{_ts(filed)}\t{decider or NULL}"
                f"\t{_ts(decided)}\t\tf\n"
            )

    step(
        "transfer requests",
        "assignments_transferrequest",
        [
            "lead_id",
            "requester_id",
            "owner_id",
            "reason",
            "attempted",
            "status",
            "created_at",
            "decided_by_id",
            "decided_at",
            "decision_reason",
            "override_limit",
        ],
        request_lines(),
    )

    def dispute_lines():
        for n in range(disputes):
            claimant, owner = rng.sample(reps, 2)
            filed = span.draw(rng)
            lead = first + requests + n
            status = _weighted(
                rng, [("ruled", 70), ("withdrawn", 15), ("stale", 10), ("open", 5)], 1
            )[0]
            ruling, ruler, ruled = "", None, None
            if status == "ruled":
                ruling = rng.choice(["keep", "transfer", "pool"])
                ruler = teams_manager(team_of[owner])
                ruled = _ts(min(filed + rng.expovariate(1 / (3 * 86400)), span.end))
            yield (
                f"{lead}\t{claimant}\t{owner}\t\\N\t先跟进的客户\t{status}\t{_ts(filed)}\t{ruling}"
                f"\t{ruler or NULL}\t{ruled or NULL}\t\t[]\n"
            )

    step(
        "disputes",
        "assignments_dispute",
        [
            "lead_id",
            "claimant_id",
            "owner_id",
            "record_id",
            "statement",
            "status",
            "filed_at",
            "ruling",
            "ruled_by_id",
            "ruled_at",
            "ruling_reason",
            "credit_split",
        ],
        dispute_lines(),
    )

    # --- open claims -----------------------------------------------------------------------------
    def claim_lines():
        for n in range(open_claims):
            until = span.end + rng.uniform(-5 * 86400, 30 * 86400)
            yield (
                f"{first + leads - 1 - n}\t{rng.choice(reps)}\t{_ts(until - 7 * 86400)}"
                f"\t{_ts(until)}\t\\N\t\n"
            )

    step(
        "open claims",
        "assignments_ownership",
        ["lead_id", "owner_id", "started_at", "protected_until", "ended_at", "end_kind"],
        claim_lines(),
    )

    # --- won deals and their credit --------------------------------------------------------------
    from leads.selectors import list_deal_stages

    stage = list_deal_stages().order_by("-position", "-id").values_list("pk", flat=True)[0]
    won = []

    def deal_lines():
        for n in range(deals):
            closed = span.draw(rng)
            amount = round(max(1000.0, rng.lognormvariate(11.3, 1.0)), -1)
            currency = "USD" if rng.random() < 0.1 else "CNY"
            rep = rng.choice(reps)
            lead = rng.randint(first, last)
            won.append((lead, rep, amount, currency, closed))
            yield (
                f"{lead}\t年度订阅 {n:06d}\t{amount:.2f}\t{currency}\t{stage}\t\\N\t\twon"
                f"\t{_ts(closed)}\t签约\t{rep}\t{_ts(closed - 30 * 86400)}\t{_ts(closed)}\n"
            )

    step(
        "won deals",
        "leads_deal",
        [
            "lead_id",
            "title",
            "amount",
            "currency",
            "stage_id",
            "expected_close",
            "next_step",
            "status",
            "closed_at",
            "close_reason",
            "created_by_id",
            "created_at",
            "updated_at",
        ],
        deal_lines(),
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id) FROM leads_deal")
        first_deal = cursor.fetchone()[0]

    def credit_lines():
        for n, (lead, rep, amount, currency, closed) in enumerate(won):
            deal, at = first_deal + n, _ts(closed)
            yield (
                f"{deal}\t{lead}\t{rep}\t{team_of[rep]}\t100.00\t{amount:.2f}\t{currency}\twin"
                f"\t{at}\t{at}\t\n"
            )
            if rng.random() < 0.02:
                mate = rng.choice([r for r in reps if team_of[r] == team_of[rep]])
                yield (
                    f"{deal}\t{lead}\t{rep}\t{team_of[rep]}\t-100.00\t{-amount:.2f}\t{currency}"
                    f"\treversal\t{at}\t{at}\t\n"
                )
                yield (
                    f"{deal}\t{lead}\t{mate}\t{team_of[mate]}\t100.00\t{amount:.2f}\t{currency}"
                    f"\tcorrection\t{at}\t{at}\t\n"
                )

    step(
        "credit entries",
        "assignments_credit",
        [
            "deal_id",
            "lead_id",
            "rep_id",
            "team_id",
            "share",
            "amount",
            "currency",
            "kind",
            "won_at",
            "at",
            "reason",
        ],
        credit_lines(),
    )
    return counts


def vacuum_analyze() -> None:
    """What autovacuum would have done by now (statistics, and the visibility map that lets
    the index-only scans skip the table), and a checkpoint so that the load's writes are not
    flushed during the measurements."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("CHECKPOINT")
