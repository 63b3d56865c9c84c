"""Territory routing: what 200 rules add to a creation, and the rules editor's preview.

Usage (from the top level; PostgreSQL must answer, the database below is DROPPED):

    make bench-routing
    .venv/bin/python bench/routing.py [--leads 20000 --creates 1000]

Environment: BENCH_ROUTING_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/noclash_bench_routing).

What one run does:
1. Recreates the database, migrates, creates 40 teams of 7 reps and --leads customers
   through the create service (so every index and history row is real), with VACUUM
   ANALYZE every 5,000 and at the end, as autovacuum would: the new names wait in the
   trigram index's pending list until a vacuum, and every duplicate check scans that list
   (with 20,000 there, a check took 18 ms instead of 0.1).
2. 200 territory rules: 199 that a new customer from 浙江 does not meet (other provinces and
   cities in Chinese and English, industries, sources, tag and size conditions, two to four
   conditions each), then "浙江 → one team, round robin". The rules are saved through the
   services, so the change log and the compiled-rules cache work as in production.
3. --creates creations in process, alternating: a customer the rules route (no pool chosen:
   199 rules tried, the last matches, a rep chosen round robin under the team's lock) and
   the same kind of customer created into an explicit pool (no routing). Prints p50/p99 of
   both and their difference, the routing step alone (`route_new_customer` in a rolled
   back transaction), and for scale a creation given an owner by hand (the assignment
   without the rules). Checks that every routed customer went round robin to Team 00.
   Customers have brands of their own (distinct names), as new customers do.
4. The preview: the 200 latest customers against the 200 rules with one rule edited
   (`preview_routing`), 20 times; p50/p99.
Targets (issue 14): routing adds < 5 ms p99 to a creation (the routing step alone, and a
routed creation against the same creation with its owner given: both p99 < 5 ms); the
preview answers in < 1 s.
Exits 1 if missed.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import migrate, recreate_database, server_env, setup_django
from dedupebench.customers import CN_FORMS, CN_TRADES

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/noclash_bench_routing"
TARGET_ADDED_P99_MS = 5
TARGET_PREVIEW_MS = 1000
ZHEJIANG_RULE = "浙江 → Team 00"
PROVINCES = ["广东", "江苏", "山东", "Sichuan", "Hubei", "福建", "Henan", "湖南", "安徽", "河北"]
CITIES = ["深圳", "Guangzhou", "南京", "苏州", "济南", "Chengdu", "武汉", "厦门", "长沙", "合肥"]
INDUSTRIES = ["制造", "Software", "零售", "Logistics", "教育", "医疗", "Finance", "能源"]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def line(label: str, ms: list[float]) -> str:
    return (
        f"{label:<48} n={len(ms):5d}  p50 {statistics.median(ms):7.2f} ms"
        f"  p99 {percentile(ms, 99):7.2f} ms  max {max(ms):7.2f} ms"
    )


def rule_conditions(rng: random.Random, i: int) -> list[dict]:
    """Conditions a customer from 浙江 (industry 制造, source web, no tags) never meets."""
    pick = i % 5
    first = {"field": "province", "op": "in", "value": rng.sample(PROVINCES, 3)}
    if pick == 0:
        return [first, {"field": "industry", "op": "equals", "value": rng.choice(INDUSTRIES)}]
    if pick == 1:
        return [
            {"field": "city", "op": "in", "value": rng.sample(CITIES, 4)},
            {"field": "size", "op": "range", "value": {"min": "10-49", "max": "250-999"}},
        ]
    if pick == 2:
        return [
            {"field": "tags", "op": "contains", "value": f"vip{i}"},
            {"field": "source", "op": "equals", "value": "trade fair"},
            first,
        ]
    if pick == 3:
        return [
            {"field": "province", "op": "not_in", "value": ["浙江", "Zhejiang"]},
            {"field": "kind", "op": "equals", "value": "individual"},
            {"field": "country", "op": "in", "value": ["CN", "HK"]},
        ]
    return [first, {"field": "source", "op": "contains", "value": "partner"}]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--leads", type=int, default=20_000)
    parser.add_argument("--creates", type=int, default=1000)
    args = parser.parse_args()
    url = os.environ.get("BENCH_ROUTING_DATABASE_URL", DEFAULT_DATABASE_URL)
    recreate_database(url)
    setup_django(server_env(url, debug=False))
    migrate()

    from django.db import connection, transaction
    from django.db.models import Count

    from accounts.models import Team, User
    from assignments import services
    from assignments.models import OwnershipEvent
    from assignments.selectors.routing_preview import preview_routing
    from assignments.services.routing import route_new_customer
    from assignments.services.territory_rules import create_rule

    admin = User.objects.create(username="bench_admin", role=User.Role.ADMIN)
    services.update_policy(actor=None, team=None, changes={"claim_limit": 100_000})
    teams = [Team.objects.create(name=f"Team {t:02d}") for t in range(40)]
    User.objects.bulk_create(
        [
            User(username=f"rep{t:02d}_{r}", display_name=f"Rep {t}-{r}", team=team)
            for t, team in enumerate(teams)
            for r in range(7)
        ]
    )
    rng = random.Random(14)  # noqa: S311 - a fixed seed, not security
    names = random.Random(15)  # noqa: S311
    counter = {"n": 0}

    def customer(**extra) -> dict:
        counter["n"] += 1
        n = counter["n"]
        # A brand of its own: names that differ only in a number are all similar names, so
        # every creation would find (and have to confirm) 20 duplicates.
        brand = "".join(chr(0x4E00 + names.randrange(0x4000)) for _ in range(3))
        return {
            "company_name": brand + names.choice(CN_TRADES) + names.choice(CN_FORMS),
            "province": "浙江",
            "city": "杭州",
            "industry": "制造",
            "source": "web",
            "contacts": [{"name": "Zhao", "phone": f"13{n:09d}"}],
            "confirm_duplicate": True,
            **extra,
        }

    started = time.monotonic()
    for i in range(args.leads):
        services.create_lead(actor=admin, pool_team_id=teams[i % 40].pk, **customer())
        if (i + 1) % 5000 == 0 or i + 1 == args.leads:
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
    print(f"{args.leads:,} customers created in {time.monotonic() - started:.0f} s")

    for i in range(199):
        create_rule(
            actor=admin,
            name=f"rule {i}",
            conditions=rule_conditions(rng, i),
            target={"kind": "round_robin", "team": teams[1 + i % 39].pk},
        )
    create_rule(
        actor=admin,
        name=ZHEJIANG_RULE,
        conditions=[{"field": "province", "op": "in", "value": ["浙江", "Zhejiang"]}],
        target={"kind": "round_robin", "team": teams[0].pk},
    )

    # A third kind, for scale: given an owner by hand (the assignment without the rules).
    others = list(User.objects.filter(team=teams[1]).order_by("pk").values_list("pk", flat=True))
    routed_ms, plain_ms, owned_ms, step_ms = [], [], [], []
    for i in range(args.creates + 50):
        t0 = time.perf_counter()
        services.create_lead(actor=admin, **customer())
        t1 = time.perf_counter()
        services.create_lead(actor=admin, pool_team_id=teams[0].pk, **customer())
        t2 = time.perf_counter()
        with transaction.atomic():
            t3 = time.perf_counter()
            route_new_customer(fields=customer(), now=_now())
            t4 = time.perf_counter()
            transaction.set_rollback(True)
        t5 = time.perf_counter()
        services.create_lead(actor=admin, owner_id=others[i % len(others)], **customer())
        t6 = time.perf_counter()
        if i >= 50:  # warm-up: caches, plans, the compiled rules
            routed_ms.append((t1 - t0) * 1000)
            plain_ms.append((t2 - t1) * 1000)
            step_ms.append((t4 - t3) * 1000)
            owned_ms.append((t6 - t5) * 1000)
    # Every routed creation went round robin to a rep of Team 00 by the last rule.
    per_rep = dict(
        OwnershipEvent.objects.filter(
            kind=OwnershipEvent.Kind.ASSIGN, details__rule__name=ZHEJIANG_RULE
        )
        .values_list("to_owner_id")
        .annotate(n=Count("id"))
    )
    team_reps = set(User.objects.filter(team=teams[0]).values_list("pk", flat=True))
    routed_ok = (
        sum(per_rep.values()) == args.creates + 50
        and set(per_rep) == team_reps
        and max(per_rep.values()) - min(per_rep.values()) <= 1
    )
    print(
        f"routed {sum(per_rep.values())} of {args.creates + 50} customers round robin over "
        f"{len(per_rep)} reps of {teams[0].name} ({len(team_reps)} in the team), per rep "
        f"{sorted(per_rep.values())}: {'OK' if routed_ok else 'WRONG'}"
    )

    edited = [
        {
            "name": "浙江 → Team 05",
            "conditions": [{"field": "city", "op": "equals", "value": "Hangzhou"}],
            "target": {"kind": "least_loaded", "team": teams[5].pk},
        }
    ]
    preview_ms = []
    for _ in range(21):
        t0 = time.perf_counter()
        result = preview_routing(rules=_with_edit(edited), limit=200)
        preview_ms.append((time.perf_counter() - t0) * 1000)
    preview_ms = preview_ms[1:]

    # What routing adds: the same creation with the owner given (same writes: the period,
    # the history record, the notice) against the routed one; and the routing step alone.
    # Routed against a pool creation also counts giving the customer an owner.
    added = percentile(routed_ms, 99) - percentile(owned_ms, 99)
    print()
    print(line("create, routed by 200 rules (199 tried)", routed_ms))
    print(line("create into an explicit pool (no routing)", plain_ms))
    print(line("create with an explicit owner (no routing)", owned_ms))
    print(line("routing step alone (route_new_customer)", step_ms))
    print(f"{'routing adds at p99 (routed - explicit owner)':<48} {added:7.2f} ms")
    print(
        f"{'  (routed - explicit pool, at p99: with the owner)':<48} "
        f"{percentile(routed_ms, 99) - percentile(plain_ms, 99):7.2f} ms"
    )
    print(line("preview: 200 customers x 200 rules", preview_ms))
    print(
        f"preview: {result['count']} customers against {result['rules']} rules, "
        f"{len(result['differences'])} differences (all of them: the edited last rule sends "
        f"every customer to {teams[5].name})"
    )
    step_p99 = percentile(step_ms, 99)
    met = (
        routed_ok
        and max(added, step_p99) < TARGET_ADDED_P99_MS
        and percentile(preview_ms, 99) < (TARGET_PREVIEW_MS)
    )
    print(
        f"\ntargets: routing adds p99 {max(added, step_p99):.2f} ms (< {TARGET_ADDED_P99_MS}),"
        f" preview p99 {percentile(preview_ms, 99):.0f} ms (< {TARGET_PREVIEW_MS}):"
        f" {'MET' if met else 'NOT MET'}"
    )
    return 0 if met else 1


def _now():
    from django.utils import timezone

    return timezone.now()


def _with_edit(edited: list[dict]) -> list[dict]:
    """The saved rule set as the API gives it, with the last rule replaced by `edited`."""
    from assignments.models import TerritoryRule

    rules = []
    for rule in TerritoryRule.objects.order_by("position", "id"):
        target = {"kind": rule.target_kind}
        if rule.target_team_id:
            target["team"] = rule.target_team_id
        if rule.target_rep_id:
            target["rep"] = rule.target_rep_id
        rules.append(
            {
                "id": rule.pk,
                "name": rule.name,
                "active": rule.active,
                "conditions": rule.conditions,
                "target": target,
            }
        )
    return rules[:-1] + edited


if __name__ == "__main__":
    sys.exit(main())
