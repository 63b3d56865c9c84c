"""Generate bench/data/dedupe_eval.jsonl, the labelled evaluation set for duplicate detection (查重).

    .venv/bin/python bench/make_dedupe_eval.py

Deterministic (fixed seed, standard library only): ~400 original companies (~55% Chinese) from
hand-written pools, ~400 noisy re-entries of ~70% of them and ~250 look-alike non-duplicates;
then (drawn after all of those, so that they stay as they were) 70 individual customers and 36
companies abroad, 45 re-entries of the individuals with their names written otherwise, 30
namesakes (another person of the same name in the same city) and 36 re-entries of the companies
abroad with the phone in national format on one side and international on the other.
bench/data/README.md describes the format. Before writing, the labels are checked with small
reference normalisers (bench/evalset/checks.py) written from the product requirement (phone read
in the customer's country, e-mail, registered domain, USCC, ID number, company name + city),
independent of the product's matcher: each re-entry's "links" must be exactly the strong
identifiers it shares with its original, and no query may share one with any other entity. The
generator's parts live in bench/evalset/.
"""

import json
import re
from collections import Counter
from pathlib import Path

from evalset import abroad
from evalset.checks import verify
from evalset.draw import rng
from evalset.entities import ENT, lead_of, new_entity
from evalset.lookalikes import eligible, make_lookalike
from evalset.people import make_namesake, make_person_reentry, new_people, person_lead
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
# second edition: individuals (Chinese / international), their re-entries and namesakes
N_PEOPLE = {"cn": 60, "en": 10}
N_PERSON_REENTRIES = {"cn": 38, "en": 7}
N_NAMESAKES = {"cn": 25, "en": 5}


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
    records = with_second_edition(records)
    verify(records)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as f:
        f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    summary(records)


def with_second_edition(records):
    """Individuals and companies abroad, appended: their originals after the first 400, their
    queries (shuffled among themselves) after the first 650."""
    next_id = lambda: f"e{len(ENT) + 1:04d}"  # noqa: E731
    people = new_people(N_PEOPLE["cn"], N_PEOPLE["en"], next_id)
    originals = [(e["id"], person_lead(e)) for e in people]
    queries = []
    for lang in ("cn", "en"):
        mine = [e for e in people if e["lang"] == lang]
        for e in rng.sample(mine, N_PERSON_REENTRIES[lang]):
            vs, lead, links = make_person_reentry(e)
            queries.append({"entity": e["id"], "role": "query", "kind": "reentry", "variants": vs,
                            "expect": "strong", "links": links, "lead": lead})  # fmt: skip
        for e in rng.sample(mine, N_NAMESAKES[lang]):
            vs, other, lead = make_namesake(e, next_id())
            queries.append({"entity": other["id"], "role": "query", "kind": "namesake", "variants": vs,
                            "like": e["id"], "expect": "none", "links": [], "lead": lead})  # fmt: skip
    for city, count in abroad.CITIES:
        for _ in range(count):
            e = abroad.new_customer_abroad(next_id(), city)
            original, vs, lead = abroad.make_pair(e)
            originals.append((e["id"], original))
            queries.append({"entity": e["id"], "role": "query", "kind": "reentry", "variants": vs,
                            "expect": "strong", "links": ["phone"], "lead": lead})  # fmt: skip
    rng.shuffle(queries)
    first = [r for r in records if r["role"] == "existing"]
    asked = [r for r in records if r["role"] == "query"]
    first += [{"id": f"o{len(first) + i:04d}", "entity": eid, "role": "existing", "kind": "original",
               "variants": [], "lead": lead} for i, (eid, lead) in enumerate(originals, 1)]  # fmt: skip
    asked += [{"id": f"q{len(asked) + i:04d}", **q} for i, q in enumerate(queries, 1)]
    return first + asked


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
    print(
        "namesake variants:",
        count(v for r in records if r["kind"] == "namesake" for v in r["variants"]),
    )
    print(
        "customer kinds:",
        count(f"{r['role']}/{x.get('kind', 'company')}" for r in records for x in [r["lead"]]),
    )
    for f in ("uscc", "website", "city", "industry", "contacts", "country", "id_number"):
        print(f"records with {f}: {sum(bool(x.get(f)) for x in leads)}")
    long_uscc = sum(len(x["uscc"]) > 18 for x in leads)
    odd_mail = sum(bool(re.search(r"[<:\s]", c["email"])) for x in leads for c in x["contacts"])
    print(f"beyond LeadInput's checks: {long_uscc} uscc > 18 chars, {odd_mail} e-mails not bare")
    print("re-entry variants:")
    for v, k in Counter(v for r in reentries for v in r["variants"]).most_common():
        print(f"  {v:24s} {k}")


if __name__ == "__main__":
    main()
