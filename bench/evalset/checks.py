"""Reference normalisers (checks), written from the product requirement and independent of the
product's matcher: phone (read as a number of the customer's country), e-mail, registered
domain, USCC, ID number, company name + city (never a person's name). `verify` runs them before
the file is written: each re-entry's "links" must be exactly the strong identifiers it shares
with its original, and no query may share one with any other entity."""

import re
import unicodedata

from .pools import CN_CITIES, EN_CITIES, FREE_MAIL, ISO, REGIONS, TRAD, USCC_ALPHABET

SUFFIX2 = {"com.cn", "net.cn", "org.cn", "co.uk", "org.uk", "com.sg", "com.hk", "com.au", "co.jp"}
EN_LEGAL_WORDS = set("ltd limited co company inc incorporated llc corp corporation gmbh ag pte pty plc bv".split())  # fmt: skip
T2S = {t: s for s, t in TRAD.items()}
REGION_IN_BRACKETS = re.compile(r"\(({})[市省]?\)".format("|".join(REGIONS)))


def uscc_check(s17):  # GB 32100-2015
    total = sum(USCC_ALPHABET.index(c) * pow(3, i, 31) for i, c in enumerate(s17))
    return USCC_ALPHABET[(31 - total % 31) % 31]


# country -> (calling code, trunk prefix dialled before an area code at home)
DIAL = {"CN": ("86", "0"), "US": ("1", ""), "CA": ("1", ""), "GB": ("44", "0"), "SG": ("65", ""),
        "HK": ("852", ""), "AU": ("61", "0"), "DE": ("49", "0"), "JP": ("81", "0"),
        "NL": ("31", "0"), "AE": ("971", "0")}  # fmt: skip
CITY_COUNTRY = {c[0]: "CN" for c in CN_CITIES} | {c[0]: ISO.get(c[2], c[2]) for c in EN_CITIES}


def ref_country(lead):
    """The customer's country: as given, else its city's (the generator's own cities), else CN."""
    city = unicodedata.normalize("NFKC", lead.get("city", "")).strip().removesuffix("市")
    return (lead.get("country") or "").strip().upper() or CITY_COUNTRY.get(city, "CN")


def ref_phone(s, country="CN"):
    s = unicodedata.normalize("NFKC", s)
    s = re.split(r"转|分机|ext\.?|\bx(?=\d)", s, flags=re.I)[0].replace("(0)", "")
    d = re.sub(r"\D", "", s)
    if s.strip().lstrip("(").startswith("+"):
        return "+" + d
    if d.startswith("00"):
        return "+" + d[2:]
    if country != "CN":  # a national number: the country's code instead of the trunk prefix
        code, trunk = DIAL[country]
        return "+" + code + (d[len(trunk) :] if trunk and d.startswith(trunk) else d)
    if d.startswith("86") and len(d) >= 12:
        return "+" + d
    if len(d) == 11 and d[0] == "1":
        return "+86" + d
    return "+86" + d[1:] if d.startswith("0") and len(d) >= 10 else None  # no area code: weak only


def ref_domain(s):
    host = re.sub(r"^[a-z]+://", "", unicodedata.normalize("NFKC", s).strip().lower()).split("/")[0]
    labels = host.split("?")[0].split(".")
    return ".".join(labels[-3:] if ".".join(labels[-2:]) in SUFFIX2 else labels[-2:])


def ref_email(s):
    s = unicodedata.normalize("NFKC", s).strip()
    s = m.group(1) if (m := re.search(r"<([^>]+)>", s)) else s
    return re.sub(r"^mailto:\s*", "", s, flags=re.I).strip().lower()


def ref_uscc(s):
    s = re.sub(r"\s", "", unicodedata.normalize("NFKC", s)).upper().replace("O", "0")
    ok = len(s) == 18 and all(ch in USCC_ALPHABET for ch in s) and uscc_check(s[:17]) == s[17]
    return s if ok else None


def ref_name(s):
    s = "".join(T2S.get(ch, ch) for ch in unicodedata.normalize("NFKC", s).lower())
    s = s.replace("&", " and ").replace("l.l.c.", "llc").replace("b.v.", "bv")
    s = REGION_IN_BRACKETS.sub("", s)
    s = re.sub(r"(股份有限公司|有限责任公司|有限公司)$", "", re.sub(r"[^\w]+", " ", s).strip())
    words = s.split()
    while len(words) > 1 and words[-1] in EN_LEGAL_WORDS:
        words.pop()
    s = "".join(words)
    region = next((r for r in REGIONS if s.startswith(r)), "")
    return s[len(region) :].lstrip("市省")


def ref_id_number(s):
    return re.sub(r"[^0-9A-Z]", "", unicodedata.normalize("NFKC", s).upper())


def ref_keys(lead):
    keys, country = set(), ref_country(lead)
    for c in lead["contacts"]:
        if c["phone"] and (p := ref_phone(c["phone"], country)):
            keys.add(("phone", p))
        if c["email"]:
            em = ref_email(c["email"])
            d = ref_domain(em.split("@")[1])
            keys |= {("email", em)} | ({("domain", d)} if d not in FREE_MAIL else set())
    if lead["website"]:
        keys.add(("domain", ref_domain(lead["website"])))
    if lead["uscc"]:
        assert (u := ref_uscc(lead["uscc"])), lead["uscc"]
        keys.add(("uscc", u))
    if lead.get("id_number"):
        keys.add(("id_number", ref_id_number(lead["id_number"])))
    if lead["city"] and lead.get("kind") != "individual":  # many people share a name
        city = unicodedata.normalize("NFKC", lead["city"]).strip().rstrip("市").lower()
        keys.add(("name_city", (ref_name(lead["company_name"]), city)))
    return keys


def verify(records):
    owner = {}
    limits = {"company_name": 200, "website": 200, "province": 50, "city": 50, "industry": 80}
    for r in records:
        lead = r["lead"]
        assert all(len(lead[f]) <= n for f, n in limits.items()) and len(lead["contacts"]) <= 3, r
        assert all(c["name"] and len(c["phone"]) <= 40 for c in lead["contacts"]), r
        for k in ref_keys(lead) if r["role"] == "existing" else ():
            assert owner.setdefault(k, r["entity"]) == r["entity"], (k, r["id"], owner[k])
    for r in (r for r in records if r["role"] == "query"):
        keys = ref_keys(r["lead"])
        hits = {owner[k] for k in keys if k in owner}
        if r["kind"] in ("lookalike", "namesake"):
            assert not hits, (r["id"], [k for k in keys if k in owner])
            continue
        assert hits <= {r["entity"]} and 1 <= len(r["variants"]) <= 3, r
        found = sorted({k[0] for k in keys if owner.get(k) == r["entity"]})
        assert found == r["links"], (r["id"], found, r["links"])
        assert (r["expect"] == "strong") == bool(found), r["id"]
