"""Brands and entities: fresh brands (no region inside, no homophone or near-spelling of one
already taken), company names, contacts, and the lead payload of an entity."""

import re

from .draw import chance, fuzzy, pick, rng, wpick
from .identifiers import company_email, free_email, fresh, new_phone, new_uscc, person, phone_str
from .pools import (
    BRAND_CHARS,
    CITY,
    CN_CITIES,
    CN_TITLES,
    DE_DESC,
    DE_LAST,
    EN_CITIES,
    EN_DESC,
    EN_GENERIC,
    EN_INDUSTRY,
    EN_LAST,
    EN_PREFIX,
    EN_SUFFIX,
    EN_TITLES,
    ENCITY,
    FREE_CN,
    FREE_EN,
    INDUSTRIES,
    LATIN_BRANDS,
    LEGAL,
    MUNICIPALITIES,
    PINYIN,
    REGIONS,
)

ENT, CN_KEYS, EN_BRANDS = {}, set(), []  # entities; fuzzy pinyin keys and brands already taken


def edit_distance(a, b):
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def new_cn_brand(base=None):
    """A fresh brand: no region name inside, not a (fuzzy) homophone of any brand taken so far.
    With base: the same brand with one character replaced by one that sounds different."""
    for _ in range(5000):
        if base:
            i = rng.randrange(len(base))
            sound = fuzzy(PINYIN[base[i]])
            other = pick([c for c in BRAND_CHARS if fuzzy(BRAND_CHARS[c]) != sound])
            brand = base[:i] + other + base[i + 1 :]
        elif chance(0.04):
            brand = pick(LATIN_BRANDS)[0]
        else:
            brand = "".join(rng.sample(list(BRAND_CHARS), wpick([(2, 80), (3, 17), (4, 3)])))
        key = "".join(fuzzy(PINYIN.get(c, c.lower())) for c in brand)
        if key not in CN_KEYS and not any(r in brand for r in REGIONS):
            CN_KEYS.add(key)
            return brand, "".join(PINYIN.get(c, c.lower()) for c in brand)
    raise RuntimeError("brand pool exhausted")


def new_en_brand(country, base=None):
    """A fresh brand at least 3 edits from every brand taken so far. With base: one sharing a
    word with base (the other half of a compound, or another generic word)."""
    for _ in range(5000):
        kinds = [("compound", 55), ("generic", 20), ("pair", 15), ("surname", 10 * (country == "DE"))]  # fmt: skip
        kind = wpick(kinds)
        if base:
            kind = "compound" if base["parts"] else "generic"
        parts = (pick(EN_PREFIX), pick(EN_SUFFIX)) if kind == "compound" else None
        if base and parts:
            parts = (base["parts"][0], parts[1]) if chance(0.5) else (parts[0], base["parts"][1])
        brand = {"compound": "".join(parts or ""), "generic": pick(EN_GENERIC), "surname": pick(DE_LAST),
                 "pair": f"{pick(EN_LAST)} {'&' if chance(0.8) else 'and'} {pick(EN_LAST)}"}[kind]  # fmt: skip
        words = brand.lower().split()
        far = all(edit_distance(brand.lower(), b) >= 3 for b in EN_BRANDS)
        if far and len(set(words)) == len(words):
            EN_BRANDS.append(brand.lower())
            return brand, parts
    raise RuntimeError("brand pool exhausted")


def render_cn(e):
    core, city, legal = e["brand"] + e["ind"][0], e["city"], e["legal"]
    if e["region"] == "bracket":
        return f"{core}（{city}）{legal}"
    prov = city if city in MUNICIPALITIES else CITY[city][1]
    prefix = {"none": "", "city": city, "city_shi": city + "市", "prov": prov}[e["region"]]
    return prefix + core + legal


def render_en(e):
    return " ".join(x for x in (e["brand"], e["desc"], e["legal"]) if x)


def add_contacts(e, n, persons=(), free_domain=None, landline_local=None):
    lang, city = e["lang"], e["city"]
    country = ENCITY[city][8] if lang == "en" else None
    for i in range(n):
        p = persons[i] if i < len(persons) else person(lang, country)
        title = pick(CN_TITLES if lang == "cn" else EN_TITLES) if chance(0.6) else ""
        c = {"person": p, "name": p["name"], "title": title, "phone": None, "email": ""}
        c["company_email"] = False
        if landline_local and i == 0:
            c["phone"] = new_phone(e["id"], city, lang, False, local=landline_local)
        elif chance(0.92 if lang == "cn" else 0.8):
            mobile = chance(0.78) if lang == "cn" else chance(0.4)
            c["phone"] = new_phone(e["id"], city, lang, mobile)
        if free_domain and i == 0:
            c["email"] = free_email(e["id"], p, free_domain)
        elif chance(0.5 if lang == "cn" else 0.85):
            if e["domain"] and chance(0.75):
                c["email"], c["company_email"] = company_email(e["id"], p, e["domain"]), True
            else:
                fd = wpick(FREE_CN if lang == "cn" else FREE_EN.get(country, FREE_EN["UK"]))
                c["email"] = free_email(e["id"], p, fd)
        c["phone_str"] = phone_str(c["phone"]) if c["phone"] else ""
        e["contacts"].append(c)


def new_entity(lang, eid, brand=None, city=None, ind=None, desc=None, n_contacts=None, **kw):
    e = {"id": eid, "lang": lang, "contacts": [], "uscc": ""}
    if lang == "cn":
        e["city"] = city or wpick([(c[0], c[6]) for c in CN_CITIES])
        (e["brand"], e["key"]), e["ind"] = brand or new_cn_brand(), ind or pick(INDUSTRIES)
        e["legal"] = wpick([("有限公司", 70), ("股份有限公司", 10), ("有限责任公司", 10), ("", 10)])
        shi = e["city"] in ("深圳", "广州")  # these are nearly always written 深圳市…
        e["region"] = wpick([("none", 30), ("city_shi" if shi else "city", 35), ("city_shi", 10),
                             ("prov", 0 if e["city"] in MUNICIPALITIES else 10), ("bracket", 15)])  # fmt: skip
        e["legal"] = e["legal"] or ("有限公司" if e["region"] == "bracket" else "")
        e["name"] = render_cn(e)
        e["city_field"] = "" if chance(0.05) else e["city"] + ("市" if chance(0.15) else "")
        prov = CITY[e["city"]][1]
        suffix = "" if chance(0.6) else "市" if prov in MUNICIPALITIES else "省"
        e["province"] = "" if chance(0.1) else prov + suffix
        e["industry"] = e["ind"][2] if chance(0.8) else ""
        e["uscc"] = new_uscc(eid, e["city"]) if chance(0.4) else ""
        has_domain, base, slug = chance(0.4), e["key"], e["ind"][3]
        tld = wpick([("com", 35), ("cn", 20), ("com.cn", 30), ("net", 8), ("net.cn", 7)])
        names = [(base, 5), (base + slug, 2), (CITY[e["city"]][3] + base, 2), (f"{base}-{slug}", 1)]
        tlds = [tld]
    else:
        e["city"] = city or wpick([(c[0], c[3]) for c in EN_CITIES])
        country = ENCITY[e["city"]][2]
        e["brand"], e["parts"] = brand or new_en_brand(country)
        e["desc"] = desc or (pick(DE_DESC) if country == "DE" and chance(0.6) else pick(EN_DESC))
        e["family"] = pick(ENCITY[e["city"]][5])
        e["legal"] = "" if chance(0.07) else pick([x for x in LEGAL[e["family"]] if x])
        e["name"] = render_en(e)
        e["city_field"] = "" if chance(0.05) else e["city"]
        e["province"] = ENCITY[e["city"]][1] if chance(0.6) else ""
        word = e["desc"].split()[0]
        e["industry"] = EN_INDUSTRY.get(word, word) if chance(0.7) else ""
        has_domain, slug = chance(0.75), word.lower()
        amp = "and" if chance(0.3) else ""
        base = re.sub("[^a-z0-9]", "", e["brand"].lower().replace("&", amp))
        names = [(base, 5), (base + slug, 3), (f"{base}-{slug}", 1), (base + "group", 1)]
        tlds = ENCITY[e["city"]][4]
    d = e["domain"] = fresh("domain", eid, lambda: wpick(names) + "." + pick(tlds)) if has_domain else ""  # fmt: skip
    forms = [(f"www.{d}", 45), (f"http://www.{d}", 25), (f"https://www.{d}", 15), (d, 10), (f"https://{d}", 5)]  # fmt: skip
    e["website"] = wpick(forms) if d and chance(0.72) else ""
    if n_contacts is None:
        n_contacts = wpick([(0, 8), (1, 62), (2, 23), (3, 7)])
    add_contacts(e, n_contacts, **kw)
    ENT[eid] = e
    return e


def lead_of(e):
    contacts = [
        {"name": c["name"], "title": c["title"], "phone": c["phone_str"], "email": c["email"]}
        for c in e["contacts"]
    ]
    fields = {f: e[f] for f in ("uscc", "website", "province")}
    city = {"city": e["city_field"], "industry": e["industry"]}
    return {"company_name": e["name"], **fields, **city, "contacts": contacts}
