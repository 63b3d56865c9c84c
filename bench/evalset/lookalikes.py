"""Look-alikes: different customers that a careful human would not merge (the same brand in
another city, a similar brand in the same city, the same person's name, a shared free-mail
domain, shared words, the same local landline digits under another area code)."""

from .draw import chance, pick, wpick
from .entities import new_cn_brand, new_en_brand, new_entity, render_cn
from .pools import CITY, CN_CITIES, DE_DESC, EN_CITIES, EN_DESC, EN_GENERIC, ENCITY, MUNICIPALITIES


def eligible(kind, e):
    phones = [c["phone"] for c in e["contacts"] if c["phone"]]
    landlines = [p for p in phones if p["kind"] == "landline" and len(p["local"]) == 8]
    return {"same_brand_other_city": bool(e["city_field"]), "brand_extended_other_city": bool(e["city_field"]),
            "similar_brand_same_city": bool(e["city_field"]) and not any(ch.isascii() for ch in e["brand"]),
            "same_person_name": bool(e["contacts"]), "shared_words": True, "landline_same_local_number": bool(landlines),
            "shared_freemail_domain": any(c["email"] and not c["company_email"] for c in e["contacts"])}[kind]  # fmt: skip


def other_city(e, far=0.7):
    cn = e["lang"] == "cn"
    cities = [c[0] for c in (CN_CITIES if cn else EN_CITIES) if c[0] != e["city"]]
    country = (lambda x: CITY[x][1]) if cn else (lambda x: ENCITY[x][2])
    farther = [x for x in cities if country(x) != country(e["city"])]
    return pick(farther if chance(far) else cities)


def make_lookalike(kind, e, eid):
    lang, near = e["lang"], e["city"] if chance(0.6) else None
    kw = {"n_contacts": wpick([(1, 75), (2, 25)])}
    if kind == "same_brand_other_city" and lang == "cn":  # 北京华联… / 上海华联…
        ind = e["ind"] if chance(0.7) else None
        n = new_entity(lang, eid, brand=(e["brand"], e["key"]), city=other_city(e), ind=ind, **kw)
        n["region"] = e["region"]
        if e["region"] == "prov" and n["city"] in MUNICIPALITIES:
            n["region"] = "city"
        n["legal"] = n["legal"] or ("有限公司" if n["region"] == "bracket" else "")
        n["name"] = render_cn(n)
    elif kind in ("same_brand_other_city", "brand_extended_other_city"):  # Summit Foods Ltd/Inc.
        exts = ("Group", "Partners", "International", "Asia", "Europe", "Services")
        ext = pick([x for x in exts if x not in e["desc"]])
        desc = e["desc"] + (f" {ext}" if kind == "brand_extended_other_city" else "")
        brand = (e["brand"], e["parts"])
        n = new_entity(lang, eid, brand=brand, city=other_city(e), desc=desc, **kw)
    elif kind == "similar_brand_same_city":  # 星辰科技 / 星海科技
        brand = new_cn_brand(base=e["brand"])
        n = new_entity(lang, eid, brand=brand, city=e["city"], ind=e["ind"], **kw)
    elif kind == "shared_words" and (e["parts"] or e["brand"] in EN_GENERIC and chance(0.5)):
        # Northgate Consulting / Northfield Consulting, Pacific Trading / Atlantic Trading
        n = new_entity(lang, eid, brand=new_en_brand(None, base=e), city=near, desc=e["desc"], **kw)
    elif kind == "shared_words":  # Global Trading Ltd / Global Logistics Ltd
        city = near or wpick([(c[0], c[3]) for c in EN_CITIES])
        descs = DE_DESC if ENCITY[city][2] == "DE" else EN_DESC
        desc = pick([d for d in descs if d != e["desc"]])
        n = new_entity(lang, eid, brand=(e["brand"], None), city=city, desc=desc, **kw)
    elif kind == "same_person_name":
        n = new_entity(lang, eid, city=near, persons=[pick(e["contacts"])["person"]], **kw)
    elif kind == "shared_freemail_domain":
        mail = pick([c["email"] for c in e["contacts"] if c["email"] and not c["company_email"]])
        city = e["city"] if chance(0.7) else None
        n = new_entity(lang, eid, city=city, free_domain=mail.split("@")[1], **kw)
    else:  # landline_same_local_number: the same local digits behind another area code
        phones = [c["phone"] for c in e["contacts"] if c["phone"]]
        local = pick([p["local"] for p in phones if p["kind"] == "landline" and len(p["local"]) == 8])  # fmt: skip
        city = pick([c[0] for c in CN_CITIES if c[5] == 8 and c[4] != CITY[e["city"]][4]])
        n = new_entity(lang, eid, city=city, landline_local=local, **kw)
    if kind.endswith("city") or kind == "landline_same_local_number":
        n["city_field"] = n["city_field"] or n["city"]
    return n
