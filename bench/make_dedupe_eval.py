"""Generate bench/data/dedupe_eval.jsonl, the labelled evaluation set for duplicate detection (查重).

    .venv/bin/python bench/make_dedupe_eval.py

Deterministic (fixed seed, standard library only): ~400 original customers (~55% Chinese) from
hand-written pools, ~400 noisy re-entries of ~70% of them and ~250 look-alike non-duplicates.
bench/data/README.md describes the format. Before writing, the labels are checked with small
reference normalisers (bench/evalset/checks.py) written from the product requirement (phone,
e-mail, registered domain, USCC, company name + city), independent of the product's matcher: each
re-entry's "links" must be exactly the strong identifiers it shares with its original, and no
query may share one with any other entity. The generator's parts live in bench/evalset/.
"""

import json
import re
from collections import Counter
from pathlib import Path

from evalset.checks import verify
from evalset.draw import rng
from evalset.entities import ENT, lead_of, new_entity
from evalset.lookalikes import eligible, make_lookalike
from evalset.reentries import applicable, make_reentry

OUT = Path(__file__).resolve().parent / "data" / "dedupe_eval.jsonl"
N_CN, N_EN = 220, 180  # original customers
N_REENTRY_ENTITIES, N_DOUBLE, N_HARD = 280, 120, 26  # re-entered once / twice / name-only
LOOKALIKES = [
    ("cn", "same_brand_other_city", 35), ("cn", "similar_brand_same_city", 40),
    ("cn", "same_person_name", 25), ("cn", "shared_freemail_domain", 25),
    ("cn", "landline_same_local_number", 12), ("en", "same_brand_other_city", 28),
    ("en", "shared_words", 33), ("en", "brand_extended_other_city", 12),
    ("en", "same_person_name", 20), ("en", "shared_freemail_domain", 20),
]  # fmt: skip


def main():
    langs = ["cn"] * N_CN + ["en"] * N_EN
    rng.shuffle(langs)
    originals = [new_entity(lang, f"e{i:04d}") for i, lang in enumerate(langs, 1)]
    # a re-entry of a lead with nothing but a name can never be a strong match
    ids = lambda e: e["uscc"] or e["website"] or any(c["phone"] or c["email"] for c in e["contacts"])  # noqa: E731  # fmt: skip
    chosen = rng.sample([e for e in originals if e["city_field"] or ids(e)], N_REENTRY_ENTITIES)
    slots = chosen + rng.sample(chosen, N_DOUBLE)
    typo = {"cn": "name_homophone_typo", "en": "name_en_typo"}
    hard_ok = [i for i, e in enumerate(slots) if e["city_field"] and applicable(typo[e["lang"]], e, 0)]  # fmt: skip
    hard = set(rng.sample(hard_ok, N_HARD))
    queries = []
    for i, e in enumerate(slots):
        vs, (lead, links) = make_reentry(e, i in hard)
        expect = "weak" if i in hard else "strong"
        queries.append({"entity": e["id"], "role": "query", "kind": "reentry", "variants": vs,
                        "expect": expect, "links": links, "lead": lead})  # fmt: skip
    for lang, kind, count in LOOKALIKES:
        pool = [e for e in originals if e["lang"] == lang and eligible(kind, e)]
        targets = rng.sample(pool, min(count, len(pool)))
        for e in targets + rng.choices(pool, k=count - len(targets)):
            la = make_lookalike(kind, e, f"e{len(ENT) + 1:04d}")
            queries.append({"entity": la["id"], "role": "query", "kind": "lookalike", "variants": [kind], "like": e["id"],
                            "expect": "none", "links": [], "lead": lead_of(la)})  # fmt: skip
    rng.shuffle(queries)
    records = [{"id": f"o{i:04d}", "entity": e["id"], "role": "existing", "kind": "original", "variants": [], "lead": lead_of(e)}
               for i, e in enumerate(originals, 1)]  # fmt: skip
    records += [{"id": f"q{i:04d}", **q} for i, q in enumerate(queries, 1)]
    verify(records)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as f:
        f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    summary(records)


def summary(records):
    lang = {e["id"]: e["lang"] for e in ENT.values()}
    reentries = [r for r in records if r["kind"] == "reentry"]
    leads = [r["lead"] for r in records]
    count = lambda xs: dict(Counter(xs).most_common())  # noqa: E731
    print(f"wrote {len(records)} records to {OUT.relative_to(OUT.parents[2])}")
    print("role/kind:", count(f"{r['role']}/{r['kind']}" for r in records))
    print("kind/language:", count(f"{r['kind']}/{lang[r['entity']]}" for r in records))
    print("re-entries expected:", count(r["expect"] for r in reentries))
    print("variants per re-entry:", count(len(r["variants"]) for r in reentries))
    print("strong links kept by re-entries:", count(x for r in reentries for x in r["links"]))
    print("linked by name + city only:", sum(r["links"] == ["name_city"] for r in reentries))
    print("look-alike types:", count(r["variants"][0] for r in records if r["kind"] == "lookalike"))
    for f in ("uscc", "website", "city", "industry", "contacts"):
        print(f"records with {f}: {sum(bool(x[f]) for x in leads)}")
    long_uscc = sum(len(x["uscc"]) > 18 for x in leads)
    odd_mail = sum(bool(re.search(r"[<:\s]", c["email"])) for x in leads for c in x["contacts"])
    print(f"beyond LeadInput's checks: {long_uscc} uscc > 18 chars, {odd_mail} e-mails not bare")
    print("re-entry variants:")
    for v, k in Counter(v for r in reentries for v in r["variants"]).most_common():
        print(f"  {v:24s} {k}")


if __name__ == "__main__":
    main()
