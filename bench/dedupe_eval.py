"""Precision and recall of duplicate detection on a labelled set (bench/data/README.md).

Usage (from the top level):

    make eval-dedupe
    .venv/bin/python bench/dedupe_eval.py [--file bench/data/dedupe_eval.jsonl] [--show 20]

Runs on a throw-away database: the embedded SQLite file by default, or PostgreSQL when
DATABASE_URL is set (a test database named after it is created and dropped), so both matchers
(pg_trgm and the SQLite trigram table) can be measured. The test suite runs the same
evaluation on the committed set and fails below the targets.

What it does: every record with role "existing" is created through the product's
`create_lead` (into the pool; look-alikes among them confirmed), then every "query" record's
lead payload goes through the same duplicate check as the API (`identity_of` +
`find_duplicates`). With the labels:
- strong precision: strong (query, lead) pairs where the lead is the query's entity, over all
  strong pairs;
- strong recall: re-entries whose original is found as strong;
- strong+weak recall: re-entries whose original is found at all;
- look-alikes flagged: look-alikes with any match (strong or weak), over all look-alikes;
- namesakes flagged strong: namesakes (another person of an original individual's name in the
  same city: a different customer) with a strong match. A person's name is weak evidence, so a
  weak flag on a namesake is the expected answer and is reported apart ("namesakes flagged
  weak"), not counted among the look-alikes flagged; a strong one is also a wrong strong pair.
Targets (issue 5): strong precision >= 0.995, strong recall >= 0.95, strong+weak recall >=
0.98, look-alikes flagged <= 10%; and no namesake flagged strong.
"""

import argparse
import json
import os
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_FILE = BASE_DIR / "bench" / "data" / "dedupe_eval.jsonl"
TARGETS = {
    "strong_precision": (">=", 0.995),
    "strong_recall": (">=", 0.95),
    "any_recall": (">=", 0.98),
    "lookalikes_flagged": ("<=", 0.10),
    "namesakes_strong": ("<=", 0.0),
}
# Re-entries reported apart as well (all are in the totals): the individuals, and the companies
# abroad whose phone is national on one side and international on the other.
GROUPS = {
    "individual re-entries": lambda r: r["lead"].get("kind") == "individual",
    "national/international phone re-entries": lambda r: bool(
        {"phone_national", "phone_international"} & set(r.get("variants", []))
    ),
}


@dataclass
class Report:
    reentries: int = 0
    lookalikes: int = 0
    strong_pairs: int = 0
    strong_correct: int = 0
    strong_found: int = 0
    any_found: int = 0
    lookalikes_hit: int = 0
    namesakes: int = 0
    namesakes_strong: int = 0
    namesakes_weak: int = 0
    # group -> [re-entries, found strong, found at all]
    groups: dict[str, list[int]] = field(default_factory=dict)
    misses: list[dict] = field(default_factory=list)
    false_strong: list[dict] = field(default_factory=list)
    flagged_lookalikes: list[dict] = field(default_factory=list)
    false_namesakes: list[dict] = field(default_factory=list)
    by_variant: Counter = field(default_factory=Counter)

    @property
    def metrics(self) -> dict[str, float]:
        return {
            "strong_precision": self.strong_correct / self.strong_pairs if self.strong_pairs else 1,
            "strong_recall": self.strong_found / self.reentries if self.reentries else 1,
            "any_recall": self.any_found / self.reentries if self.reentries else 1,
            "lookalikes_flagged": self.lookalikes_hit / self.lookalikes if self.lookalikes else 0,
            "namesakes_strong": self.namesakes_strong / self.namesakes if self.namesakes else 0,
        }

    def failed_targets(self) -> list[str]:
        failed = []
        for name, (op, target) in TARGETS.items():
            value = self.metrics[name]
            if (op == ">=" and value < target) or (op == "<=" and value > target):
                failed.append(f"{name} {value:.4f} (target {op} {target})")
        return failed

    def text(self, show: int = 10) -> str:
        m = self.metrics
        lines = [
            f"re-entries {self.reentries}, look-alikes {self.lookalikes}",
            f"strong precision   {m['strong_precision']:.4f}  "
            f"({self.strong_correct}/{self.strong_pairs} strong pairs right)",
            f"strong recall      {m['strong_recall']:.4f}  ({self.strong_found}/{self.reentries})",
            f"strong+weak recall {m['any_recall']:.4f}  ({self.any_found}/{self.reentries})",
            f"look-alikes flagged {m['lookalikes_flagged']:.4f}  "
            f"({self.lookalikes_hit}/{self.lookalikes})",
        ]
        if self.namesakes:
            lines.append(
                f"namesakes flagged strong {self.namesakes_strong}/{self.namesakes}, "
                f"weak {self.namesakes_weak}/{self.namesakes} (a weak flag is expected)"
            )
        for name, (total, strong, found) in self.groups.items():
            lines.append(f"{name}: strong {strong}/{total}, strong+weak {found}/{total}")
        for title, items in (
            ("re-entries not found as strong", self.misses),
            ("wrong strong matches", self.false_strong),
            ("look-alikes flagged", self.flagged_lookalikes),
            ("namesakes flagged strong", self.false_namesakes),
        ):
            if items:
                lines.append(f"-- {title} ({len(items)}), first {min(show, len(items))}:")
                lines += [f"   {json.dumps(i, ensure_ascii=False)}" for i in items[:show]]
        return "\n".join(lines)


def load_records(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def evaluate(records: list[dict]) -> Report:
    """Needs a configured, empty database (a test database)."""
    from accounts.models import User
    from assignments.services import create_lead
    from leads.dedupe.identity import identity_of_payload
    from leads.dedupe.matching import STRONG, find_duplicates

    admin = User.objects.filter(role=User.Role.ADMIN).first() or User.objects.create_user(
        username="eval_admin", role=User.Role.ADMIN, display_name="Eval"
    )
    entity_of_lead: dict[int, str] = {}
    for record in records:
        if record["role"] != "existing":
            continue
        lead = create_lead(actor=admin, confirm_duplicate=True, **_payload(record["lead"]))
        entity_of_lead[lead.pk] = record["entity"]

    report = Report()
    for record in records:
        if record["role"] != "query":
            continue
        payload = record["lead"]
        matches = find_duplicates(identity_of_payload(payload))
        strong = {m.lead.pk for m in matches if m.level == STRONG}
        found = {m.lead.pk for m in matches}
        entity = record["entity"]
        brief = {
            "id": record["id"],
            "variants": record.get("variants", []),
            "name": payload.get("company_name", ""),
            "city": payload.get("city", ""),
            "matches": [[m.lead.company_name, m.level, m.score, m.reasons] for m in matches[:3]],
        }
        for lead_id in strong:
            report.strong_pairs += 1
            if entity_of_lead.get(lead_id) == entity:
                report.strong_correct += 1
            else:
                report.false_strong.append(brief)
        if record["kind"] == "reentry":
            report.reentries += 1
            originals = {i for i, e in entity_of_lead.items() if e == entity}
            if originals & strong:
                report.strong_found += 1
            else:
                report.misses.append({**brief, "expect": record.get("expect")})
            if originals & found:
                report.any_found += 1
            for name, member in GROUPS.items():
                if member(record):
                    counts = report.groups.setdefault(name, [0, 0, 0])
                    counts[0] += 1
                    counts[1] += bool(originals & strong)
                    counts[2] += bool(originals & found)
        elif record["kind"] == "lookalike":
            report.lookalikes += 1
            if found:
                report.lookalikes_hit += 1
                report.flagged_lookalikes.append(brief)
        elif record["kind"] == "namesake":
            report.namesakes += 1
            if strong:
                report.namesakes_strong += 1
                report.false_namesakes.append(brief)
            elif found:
                report.namesakes_weak += 1
    return report


def _payload(lead: dict) -> dict:
    """The create payload of a record: `kind`, `country` and `id_number` only when the record
    has them (absent: a company, the country its city or province makes obvious, no ID)."""
    fields = ("company_name", "uscc", "website", "province", "city", "industry")
    optional = ("kind", "country", "id_number")
    return {
        **{k: lead.get(k, "") or "" for k in fields},
        **{k: lead[k] for k in optional if lead.get(k)},
        "contacts": [
            {k: c.get(k, "") or "" for k in ("name", "title", "phone", "email")}
            for c in lead.get("contacts", [])
        ],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--show", type=int, default=10, help="examples of each kind of error")
    args = parser.parse_args()
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings.test")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        report = evaluate(load_records(args.file))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(f"{args.file} on {connection.vendor}")
    print(report.text(show=args.show))
    failed = report.failed_targets()
    print("targets: " + ("MET" if not failed else "NOT MET: " + "; ".join(failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
