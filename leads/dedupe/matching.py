"""Find the existing leads that are (or may be) the same customer as an identity.

Candidates come from two narrow indexes, never from the wide lead table:
1. exact normalised keys (one btree probe for all of them: phones, e-mails, company domain,
   统一社会信用代码, normalised name, its pinyin);
2. similar brands: the name with region, legal form and trade words stripped ("星辰" of
   "北京星辰信息科技有限公司"), through pg_trgm's GIN index on PostgreSQL or the trigram table
   on SQLite. Trade words and legal forms are what make raw-name trigram search slow: they
   are shared by hundreds of thousands of companies.
Then each candidate is judged in Python on the full normalised name, pinyin and city.
"""

from collections import defaultdict
from dataclasses import dataclass
from math import floor

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q

from leads.models import Lead, LeadKey, LeadName, LeadNameGram

from .identity import (
    DOMAIN,
    EMAIL,
    IDNO,
    LOCAL_PHONE,
    NAME,
    PHONE,
    PINYIN,
    STRONG_KINDS,
    USCC,
    Identity,
    kind_of,
)
from .index import uses_pg_trgm
from .normalize import trigram_similarity, trigrams

STRONG, WEAK = "strong", "weak"
# Candidate generation on the brand: lower than the weak threshold on purpose, the judge
# decides on the whole name.
BRAND_SIMILARITY = settings.DEDUPE_BRAND_SIMILARITY
# Similar-name evidence counts from this trigram similarity of the normalised names.
WEAK_NAME_SIMILARITY = 0.5
MAX_KEY_ROWS = 500
MAX_SIMILAR = 25
MAX_MATCHES = 20

# How sure one piece of evidence makes us, alone. Several combine as independent evidence.
EVIDENCE = {
    "same_uscc": 0.99,
    "same_id_number": 0.99,
    "same_phone": 0.95,
    "same_email": 0.95,
    "same_domain": 0.9,
    "same_name_city": 0.9,
    "same_name": 0.85,
    "same_name_sound_city": 0.8,
    "same_local_phone": 0.35,
    # Individuals: many people share a name, even in one city.
    "same_person_name": 0.5,
}
STRONG_REASONS = {
    USCC: "same_uscc",
    IDNO: "same_id_number",
    PHONE: "same_phone",
    EMAIL: "same_email",
    DOMAIN: "same_domain",
}


@dataclass(slots=True)
class MatchedLead:
    """A candidate as the check reads it: building model instances for fifty candidates cost
    more than the query. Who owns it is not the records' business: the ownership layer adds
    it (`assignments.selectors.duplicates`)."""

    pk: int
    company_name: str
    city: str
    status: str
    pool_team_id: int | None
    Status = Lead.Status


@dataclass(frozen=True, slots=True)
class NameRow:
    core: str
    brand: str
    pinyin: str
    city: str
    uscc: str
    individual: bool = False


@dataclass
class Match:
    lead: MatchedLead
    level: str
    score: float
    reasons: list[str]


def find_duplicates(identity: Identity, *, exclude: tuple[int, ...] = ()) -> list[Match]:
    """Strong matches first, then weak, each by score; at most MAX_MATCHES."""
    if not identity.keys and not identity.probes:
        return []
    if uses_pg_trgm():
        candidates = _candidates_in_one_statement(identity, exclude)
    else:
        candidates = _candidates_portable(identity, exclude)
    matches = []
    for lead, name, kinds in candidates:
        verdict = judge(identity, name, kinds)
        if verdict is not None:
            level, score, reasons = verdict
            matches.append(Match(lead=lead, level=level, score=score, reasons=reasons))
    matches.sort(key=lambda m: (m.level != STRONG, -m.score, -m.lead.pk))
    return matches[:MAX_MATCHES]


Candidate = tuple[MatchedLead, LeadName | NameRow | None, set[str]]


def _candidates_in_one_statement(identity: Identity, exclude: tuple[int, ...]) -> list[Candidate]:
    """PostgreSQL: key hits, similar brands and the candidates' names in one round trip.
    `brand % probe` is what the GIN index answers (at the connection's
    pg_trgm.similarity_threshold, set in settings); the explicit similarity() keeps the
    threshold exact whatever the connection says."""
    probes = list(identity.probes)
    strong, weak = _split_keys(identity)
    params: dict = {
        "strong": strong,
        "weak": weak,
        "city": identity.city,
        "exclude": list(exclude),
        "max_keys": MAX_KEY_ROWS,
        "max_similar": MAX_SIMILAR,
        "threshold": BRAND_SIMILARITY,
    }
    if probes:
        for i, probe in enumerate(probes):
            params[f"p{i}"] = probe
        any_probe = " OR ".join(f"brand %% %(p{i})s" for i in range(len(probes)))
        best = "GREATEST(" + ", ".join(f"similarity(brand, %(p{i})s)" for i in range(len(probes)))
        # Only placeholders are formatted in; every value goes as a parameter.
        similar = f"""
            SELECT lead_id FROM leads_leadname
            WHERE ({any_probe}) AND {best}) >= %(threshold)s
              AND NOT lead_id = ANY(%(exclude)s::bigint[])
            ORDER BY {best}) DESC, lead_id DESC LIMIT %(max_similar)s"""  # noqa: S608
    else:
        similar = "SELECT NULL::bigint AS lead_id WHERE false"
    sql = f"""
        WITH strong_hits AS (
            SELECT lead_id, array_agg(key) AS keys FROM leads_leadkey
            WHERE key = ANY(%(strong)s::text[]) AND NOT lead_id = ANY(%(exclude)s::bigint[])
            GROUP BY lead_id LIMIT %(max_keys)s
        ), weak_hits AS (
            -- Weak keys (a name, a local number) mean nothing in another city: candidates
            -- from elsewhere are left out before the cap, so hundreds of namesakes in other
            -- cities never hide the one in this city.
            SELECT k.lead_id, array_agg(k.key) AS keys FROM leads_leadkey k
            LEFT JOIN leads_leadname n ON n.lead_id = k.lead_id
            WHERE k.key = ANY(%(weak)s::text[]) AND NOT k.lead_id = ANY(%(exclude)s::bigint[])
              AND (%(city)s = '' OR coalesce(n.city, '') IN ('', %(city)s))
            GROUP BY k.lead_id LIMIT %(max_keys)s
        ), hits AS (
            -- Strong keys are probed on their own: a common name's hundreds of namesakes
            -- never crowd out the customer with the same phone.
            SELECT lead_id, array_agg(key) AS keys FROM (
                SELECT lead_id, unnest(keys) AS key FROM strong_hits
                UNION ALL SELECT lead_id, unnest(keys) FROM weak_hits
            ) k GROUP BY lead_id
        ), alike AS ({similar}
        ), ids AS (SELECT lead_id FROM hits UNION SELECT lead_id FROM alike)
        SELECT l.id, l.company_name, l.city, l.status, l.pool_team_id,
               n.lead_id, n.core, n.brand, n.pinyin, n.city, n.uscc, n.individual, h.keys
        FROM ids
        JOIN leads_lead l ON l.id = ids.lead_id AND l.merged_into_id IS NULL
        LEFT JOIN leads_leadname n ON n.lead_id = l.id
        LEFT JOIN hits h ON h.lead_id = l.id"""  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    candidates = []
    for row in rows:
        (lead_id, company, city, status, pool_team_id, name_id, core, brand, pinyin, name_city,
         uscc, individual, keys) = row  # fmt: skip
        lead = MatchedLead(
            pk=lead_id, company_name=company, city=city, status=status, pool_team_id=pool_team_id
        )
        name = (
            NameRow(core, brand, pinyin, name_city, uscc, individual)
            if name_id is not None
            else None
        )
        candidates.append((lead, name, {kind_of(k) for k in keys or ()}))
    return candidates


def _split_keys(identity: Identity) -> tuple[list[str], list[str]]:
    """The keys that decide a match alone, and the others. Probed apart so that a common
    name (hundreds of namesakes) never crowds a shared phone out of the capped candidates."""
    strong = sorted(k for k in identity.keys if kind_of(k) in STRONG_KINDS)
    weak = sorted(k for k in identity.keys if kind_of(k) not in STRONG_KINDS)
    return strong, weak


def _candidates_portable(identity: Identity, exclude: tuple[int, ...]) -> list[Candidate]:
    """SQLite (the embedded default): the same candidates, a few statements."""
    hits: dict[int, set[str]] = defaultdict(set)
    strong, weak = _split_keys(identity)
    for keys in (strong, weak):
        if not keys:
            continue
        rows = LeadKey.objects.filter(key__in=keys).exclude(lead_id__in=exclude)
        if keys is weak and identity.city:
            # As on PostgreSQL: weak evidence from another city is left out before the cap.
            rows = rows.filter(
                Q(lead__dedupe_name__isnull=True)
                | Q(lead__dedupe_name__city__in=["", identity.city])
            )
        rows = rows.values_list("lead_id", "key")[:MAX_KEY_ROWS]
        for lead_id, key in rows:
            hits[lead_id].add(kind_of(key))
    ids = set(hits)
    for probe in identity.probes:
        ids.update(lead_id for _, lead_id in _similar_on_sqlite(probe, exclude)[:MAX_SIMILAR])
    if not ids:
        return []
    rows = Lead.objects.filter(pk__in=ids, merged_into__isnull=True).values_list(
        "id", "company_name", "city", "status", "pool_team_id"
    )
    leads = [MatchedLead(*row) for row in rows]
    names = {name.lead_id: name for name in LeadName.objects.filter(lead_id__in=ids)}
    return [(lead, names.get(lead.pk), hits.get(lead.pk, set())) for lead in leads]


def judge(
    identity: Identity, other: LeadName | NameRow | None, kinds: set[str]
) -> tuple[str, float, list[str]] | None:
    """The level, score and reasons for one candidate, or None when it is not a match."""
    strong: list[str] = [
        STRONG_REASONS[k] for k in (USCC, IDNO, PHONE, EMAIL, DOMAIN) if k in kinds
    ]
    weak: list[str] = []
    weak_scores: list[float] = []
    if LOCAL_PHONE in kinds:
        weak.append("same_local_phone")
        weak_scores.append(EVIDENCE["same_local_phone"])

    name = identity.name
    person = identity.individual or (other is not None and other.individual)
    if person:
        # A person's name is at most weak evidence: a phone, an e-mail or an ID decides.
        same = NAME in kinds or (
            name is not None and other is not None and name.core and name.core == other.core
        )
        if same and (other is None or _names_may_match(identity, other)):
            weak.append("same_person_name")
            weak_scores.append(EVIDENCE["same_person_name"])
    elif name is not None and other is not None and _names_may_match(identity, other):
        same_city = bool(identity.city) and identity.city == other.city
        if NAME in kinds or name.core == other.core:
            strong.append("same_name_city" if same_city else "same_name")
        elif same_city and name.pinyin != name.core and name.pinyin == other.pinyin:
            # The same Chinese name by sound in the same city (杭州俊枫软件 / 杭州俊丰软件): the
            # pinyin input method's typical slip, and the registry rarely admits both.
            strong.append("same_name_sound_city")
        else:
            similarity = trigram_similarity(name.core, other.core)
            if name.pinyin and name.pinyin == other.pinyin:
                # Same sound, different characters: the typical pinyin-IME slip (星辰/星晨).
                similarity = max(similarity, 0.9)
            elif name.pinyin != name.core:
                similarity = max(similarity, trigram_similarity(name.pinyin, other.pinyin))
            if PINYIN in kinds:
                similarity = max(similarity, 0.9)
            if similarity >= WEAK_NAME_SIMILARITY:
                weak.append("similar_name")
                # Scaled into 0.4..0.8 so that a weak match never outranks a strong one.
                weak_scores.append(0.4 + 0.4 * similarity)

    if strong:
        return STRONG, _combine([EVIDENCE[r] for r in strong] + weak_scores), strong + weak
    if weak:
        return WEAK, min(_combine(weak_scores), 0.8), weak
    return None


def _names_may_match(identity: Identity, other: LeadName | NameRow) -> bool:
    """Two different registration codes are two legal entities, and the same brand in two
    cities is two customers (北京华联 / 上海华联): the name then proves nothing."""
    if identity.uscc and other.uscc and identity.uscc != other.uscc:
        return False
    return not (identity.city and other.city and identity.city != other.city)


def _combine(scores: list[float]) -> float:
    remaining = 1.0
    for score in scores:
        remaining *= 1.0 - score
    return round(1.0 - remaining, 3)


def _similar_on_sqlite(brand: str, exclude: tuple[int, ...]) -> list[tuple[float, int]]:
    grams = trigrams(brand)
    if not grams:
        return []
    # |A∩B| / |A∪B| >= t needs at least t·|A| shared trigrams: narrow on that, then compute.
    need = max(1, floor(BRAND_SIMILARITY * len(grams)))
    candidates = (
        LeadNameGram.objects.filter(gram__in=grams)
        .exclude(lead_id__in=exclude)
        .values("lead_id")
        .annotate(shared=Count("id"))
        .filter(shared__gte=need)
        .order_by("-shared")
        .values_list("lead_id", flat=True)[: MAX_SIMILAR * 4]
    )
    scored = [
        (trigram_similarity(brand, other), lead_id)
        for lead_id, other in LeadName.objects.filter(lead_id__in=list(candidates)).values_list(
            "lead_id", "brand"
        )
    ]
    return sorted((item for item in scored if item[0] >= BRAND_SIMILARITY), reverse=True)
