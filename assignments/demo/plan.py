"""The demo plan: ~500 Chinese and international companies with contacts, which demo rep
claims which, and their follow-ups. Deterministic: one `random.Random` with a fixed seed
decides every name, number and claim (the word lists are in demo_data.json)."""

import json
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from importlib.resources import files

from django.utils import timezone

from leads.models import FollowUp, Lead

SEED = 20240618
LEAD_COUNT = 500
ENGLISH_SHARE = 0.25
TEAM_POOL_SHARE = 0.08  # per team; the rest goes to the public pool
CLAIMS_PER_REP = (11, 24)
OWN_TEAM_POOL_SHARE = 0.3  # of a rep's claims, taken from their team's pool when it has leads
DEMO_TAG = "demo"

# --- Word lists and tables: demo_data.json next to this module, read once at import ----------
# Every inner list becomes a tuple, as the code below indexes and unpacks them; the list order
# is part of the fixed seed's outcome.
_DATA = json.loads(files(__package__).joinpath("demo_data.json").read_text(encoding="utf-8"))


def _tuple(row: list) -> tuple:
    return tuple(_tuple(item) if isinstance(item, list) else item for item in row)


def _rows(rows: list[list]) -> list[tuple]:
    return [_tuple(row) for row in rows]


# Chinese companies.
# (province, city, district codes for the credit code, weight)
CN_CITIES: list[tuple] = _rows(_DATA["CN_CITIES"])
CN_BRANDS: list[tuple[str, str]] = _rows(_DATA["CN_BRANDS"])  # (brand, pinyin)
# industry -> (word in the company name, word in the domain)
CN_INDUSTRY_WORDS: dict[str, list[tuple[str, str]]] = {
    industry: _rows(words) for industry, words in _DATA["CN_INDUSTRY_WORDS"].items()
}
INDUSTRY_WEIGHTS: dict[str, int] = _DATA["INDUSTRY_WEIGHTS"]
CN_SOURCES: list[tuple[str, int]] = _rows(_DATA["CN_SOURCES"])
CN_TAGS: list[str] = _DATA["CN_TAGS"]
CN_SURNAMES: list[tuple[str, str]] = _rows(_DATA["CN_SURNAMES"])  # (surname, pinyin)
CN_GIVEN: list[tuple[str, str]] = _rows(_DATA["CN_GIVEN"])  # (given name, pinyin)
CN_TITLES: list[str] = _DATA["CN_TITLES"]
CN_MOBILE_PREFIXES: list[str] = _DATA["CN_MOBILE_PREFIXES"]

# International companies.
# (province / state, city, legal suffixes, domain suffix, phone format, weight).
# In a phone format each "#" becomes a random digit.
INTL_CITIES: list[tuple] = _rows(_DATA["INTL_CITIES"])
INTL_BRANDS: list[str] = _DATA["INTL_BRANDS"]
INTL_INDUSTRY_WORDS: dict[str, list[str]] = _DATA["INTL_INDUSTRY_WORDS"]
INTL_SOURCES: list[tuple[str, int]] = _rows(_DATA["INTL_SOURCES"])
INTL_TAGS: list[str] = _DATA["INTL_TAGS"]
EN_FIRST: list[str] = _DATA["EN_FIRST"]
EN_LAST: list[str] = _DATA["EN_LAST"]
ASIAN_LAST: list[str] = _DATA["ASIAN_LAST"]  # common in Singapore, Hong Kong and Malaysia
EN_TITLES: list[str] = _DATA["EN_TITLES"]

SIZES: list[tuple[str, int]] = [(Lead.Size(size), weight) for size, weight in _DATA["SIZES"]]

# Follow-ups: (kind, note, next step). {contact}, {title}, {city}, {budget} and {team_size} are
# filled in. In funnel order: a lead's follow-ups keep this order and their next-step dates
# increase.
CN_FOLLOWUPS: list[tuple[str, str, str]] = [
    (FollowUp.Kind(kind), note, next_step) for kind, note, next_step in _DATA["CN_FOLLOWUPS"]
]
EN_FOLLOWUPS: list[tuple[str, str, str]] = [
    (FollowUp.Kind(kind), note, next_step) for kind, note, next_step in _DATA["EN_FOLLOWUPS"]
]

# --- Unified social credit code (GB 32100-2015) ---------------------------------------------
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]  # GB 11714 organisation code


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARS[(31 - total % 31) % 31]


def org_code_check_char(body8: str) -> str:
    total = sum(int(c, 36) * w for c, w in zip(body8, ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def make_uscc(rng: random.Random, district: str) -> str:
    """An enterprise (91) code with valid organisation-code and overall check characters."""
    body = "".join(rng.choice("0123456789") for _ in range(6)) + "".join(
        rng.choice(USCC_CHARS) for _ in range(2)
    )
    first17 = "91" + district + body + org_code_check_char(body)
    return first17 + uscc_check_char(first17)


# --- Generation ------------------------------------------------------------------------------
@dataclass
class LeadSpec:
    fields: dict
    contacts: list[dict]
    english: bool
    pool: int | None = None  # index into the teams list; None for the public pool
    claim_by: int | None = None  # index into the reps list
    followups: list[dict] = field(default_factory=list)


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _digits(rng: random.Random, pattern: str) -> str:
    return "".join(rng.choice("0123456789") if c == "#" else c for c in pattern)


def _cn_contacts(rng: random.Random, domain: str | None, count: int) -> list[dict]:
    pattern = rng.choice(["{g}.{s}", "{s}{g}", "{s}.{g}", "{s}_{g}"])
    contacts, names = [], set()
    while len(contacts) < count:
        surname, surname_py = rng.choice(CN_SURNAMES)
        given, given_py = rng.choice(CN_GIVEN)
        name = surname + given
        if name in names:
            continue
        names.add(name)
        if domain:
            email = pattern.format(g=given_py, s=surname_py) + "@" + domain
        elif rng.random() < 0.5:
            email = _digits(rng, rng.choice(["#########", "##########"])).lstrip("0") + "@qq.com"
        else:
            email = f"{surname_py}{given_py}{rng.randint(1, 99)}@163.com"
        contacts.append(
            {
                "name": name,
                "title": rng.choice(CN_TITLES),
                "phone": rng.choice(CN_MOBILE_PREFIXES) + _digits(rng, "########"),
                "email": email,
            }
        )
    return contacts


def _intl_contacts(rng: random.Random, city: tuple, domain: str, count: int) -> list[dict]:
    asian = city[1] in ("Singapore", "Hong Kong", "Kuala Lumpur")
    contacts, names = [], set()
    while len(contacts) < count:
        first = rng.choice(EN_FIRST)
        last = rng.choice(ASIAN_LAST if asian and rng.random() < 0.6 else EN_LAST)
        name = f"{first} {last}"
        if name in names:
            continue
        names.add(name)
        local = f"{first}.{last}".lower().replace("ü", "ue")
        contacts.append(
            {
                "name": name,
                "title": rng.choice(EN_TITLES),
                "phone": _digits(rng, city[4]),
                "email": f"{local}@{domain}",
            }
        )
    return contacts


def _tags(rng: random.Random, choices: list[str]) -> list[str]:
    return [DEMO_TAG, *rng.sample(choices, rng.choice([0, 0, 1, 1, 2]))]


def _cn_lead(rng: random.Random, taken: set[str]) -> LeadSpec:
    industry = _weighted(rng, INDUSTRY_WEIGHTS.items())
    size = _weighted(rng, SIZES)
    while True:
        province, city, districts, _w = _weighted(rng, [(c, c[3]) for c in CN_CITIES])
        brand, brand_py = rng.choice(CN_BRANDS)
        word, word_py = rng.choice(CN_INDUSTRY_WORDS[industry])
        big = size in (Lead.Size.LARGE, Lead.Size.ENTERPRISE)
        legal = "股份有限公司" if big and rng.random() < 0.4 else "有限公司"
        prefix = city + ("市" if rng.random() < 0.35 else "")
        name = f"{prefix}{brand}{word}{legal}"
        if name not in taken:
            taken.add(name)
            break
    has_site = rng.random() < (0.6 if size in (Lead.Size.MICRO, Lead.Size.SMALL) else 0.95)
    domain = f"{brand_py}{word_py}.{rng.choice(['com', 'cn', 'com.cn'])}" if has_site else None
    fields = {
        "company_name": name,
        "uscc": make_uscc(rng, rng.choice(districts)) if rng.random() < 0.7 else "",
        "website": f"https://www.{domain}" if domain else "",
        "province": province,
        "city": city,
        "industry": industry,
        "size": size,
        "source": _weighted(rng, CN_SOURCES),
        "tags": _tags(rng, CN_TAGS),
    }
    contacts = _cn_contacts(rng, domain, rng.choices([1, 2, 3], weights=[5, 3, 2])[0])
    return LeadSpec(fields=fields, contacts=contacts, english=False)


def _intl_lead(rng: random.Random, taken: set[str]) -> LeadSpec:
    industry = _weighted(rng, INDUSTRY_WEIGHTS.items())
    size = _weighted(rng, SIZES)
    while True:
        city = _weighted(rng, [(c, c[5]) for c in INTL_CITIES])
        brand = rng.choice(INTL_BRANDS)
        word = rng.choice(INTL_INDUSTRY_WORDS[industry])
        legal = rng.choice(city[2])
        name = f"{brand} {word} {legal}"
        if name not in taken:
            taken.add(name)
            break
    domain = f"{brand}{word}".lower().replace(" ", "") + "." + city[3]
    fields = {
        "company_name": name,
        "website": f"https://www.{domain}",
        "province": city[0],
        "city": city[1],
        "industry": industry,
        "size": size,
        "source": _weighted(rng, INTL_SOURCES),
        "tags": _tags(rng, INTL_TAGS),
    }
    contacts = _intl_contacts(rng, city, domain, rng.choices([1, 2, 3], weights=[5, 3, 2])[0])
    return LeadSpec(fields=fields, contacts=contacts, english=True)


def _followups(rng: random.Random, spec: LeadSpec, count: int) -> list[dict]:
    today = timezone.localdate()
    templates = EN_FOLLOWUPS if spec.english else CN_FOLLOWUPS
    picked = sorted(rng.sample(range(len(templates)), count))
    days = sorted(rng.sample(range(1, 15), count))
    result = []
    for index, day in zip(picked, days, strict=True):
        kind, note, next_step = templates[index]
        contact = rng.choice(spec.contacts)
        result.append(
            {
                "kind": kind,
                "note": note.format(
                    contact=contact["name"],
                    title=contact["title"],
                    city=spec.fields["city"],
                    budget=rng.choice([5, 8, 10, 15, 20, 30, 50]),
                    team_size=rng.choice([12, 20, 35, 60, 80, 150]),
                ),
                "next_step": next_step,
                "next_step_at": today + timedelta(days=day),
            }
        )
    return result


def build_plan(*, team_count: int, rep_teams: Sequence[int | None]) -> list[LeadSpec]:
    """Every lead, its pool, who claims it and its follow-ups. Depends only on the seed, the
    number of teams and which team (index) each rep is in, never on the database."""
    rng = random.Random(SEED)  # noqa: S311 - demo data, not security
    taken: set[str] = set()
    specs = [
        _intl_lead(rng, taken) if rng.random() < ENGLISH_SHARE else _cn_lead(rng, taken)
        for _ in range(LEAD_COUNT)
    ]
    for spec in specs:
        roll = rng.random()
        team = int(roll / TEAM_POOL_SHARE)
        spec.pool = team if team < team_count else None

    # Each rep claims from the public pool and their own team's pool; popping from shuffled
    # lists keeps this linear.
    public = [s for s in specs if s.pool is None]
    team_pools = [[s for s in specs if s.pool == t] for t in range(team_count)]
    rng.shuffle(public)
    for pool in team_pools:
        rng.shuffle(pool)
    for rep_index, team in enumerate(rep_teams):
        own = team_pools[team] if team is not None else []
        for _ in range(rng.randint(*CLAIMS_PER_REP)):
            source = own if own and rng.random() < OWN_TEAM_POOL_SHARE else public
            if not source:
                break
            spec = source.pop()
            spec.claim_by = rep_index
            count = rng.choices([0, 1, 2, 3], weights=[25, 40, 25, 10])[0]
            spec.followups = _followups(rng, spec, count)

    for spec in specs:
        if spec.claim_by is None:
            status = _weighted(
                rng, [(Lead.Status.NEW, 85), (Lead.Status.CONTACTED, 10), (Lead.Status.LOST, 5)]
            )
        elif not spec.followups:
            status = Lead.Status.NEW
        else:
            status = _weighted(
                rng,
                [(Lead.Status.CONTACTED, 55), (Lead.Status.QUALIFIED, 35), (Lead.Status.WON, 10)],
            )
        spec.fields["status"] = status
    return specs
