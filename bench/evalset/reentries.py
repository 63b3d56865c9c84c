"""Re-entries: the same customer typed again, with 1-3 noise variants, and the strong links the
re-entry still shares with its original."""

from .draw import chance, fullwidth, pick, rng, wpick
from .entities import render_cn, render_en
from .identifiers import company_email, free_email, new_phone, person, phone_str
from .pools import (
    CITY,
    CN_LEGAL,
    CN_TITLES,
    EN_TITLES,
    ENCITY,
    FREE_CN,
    HOMOPHONES,
    LEGAL,
    MUNICIPALITIES,
    PINYIN,
    REGIONS,
    TRAD,
)

# variant: (group, weight). A re-entry takes 1-3 variants, at most one per group.
CATALOGUE = {
    "phone_country_code": ("phone", 10), "phone_separators": ("phone", 8), "phone_note": ("phone", 5),
    "phone_extension": ("phone", 8), "phone_fullwidth": ("phone", 3), "landline_no_area_code": ("phone", 12),
    "email_case": ("email", 4), "email_mailto": ("email", 2), "email_display_name": ("email", 3),
    "website_https_www": ("web", 2), "website_path": ("web", 2), "website_upper": ("web", 2),
    "website_no_scheme": ("web", 2), "uscc_lower": ("uscc", 8), "uscc_spaces": ("uscc", 8),
    "uscc_O_for_0": ("uscc", 8), "name_fullwidth": ("fw", 4), "name_traditional": ("trad", 4),
    "name_region_added": ("region", 8), "name_region_removed": ("region", 6), "name_region_bracket": ("region", 5),
    "name_legal_form": ("legal", 10), "name_punct_case": ("punct", 8), "name_and_amp": ("amp", 15),
    "name_homophone_typo": ("typo", 5), "name_en_typo": ("typo", 5), "name_pinyin_english": ("typo", 1.5),
    "city_blank": ("city", 6), "city_suffix": ("city", 2), "other_contact": ("contact", 10),
    "contact_name_honorific": ("contact", 2),
    "contact_new_phone": ("contact", 0),  # hard re-entries only: the same person's name with a new number
}  # fmt: skip
INCOMPATIBLE = {
    "other_contact": {"phone", "email"},
    "name_pinyin_english": {"fw", "trad", "region", "legal", "punct"},
}
NAME_BREAKING = ("name_homophone_typo", "name_en_typo", "name_pinyin_english")


def typo_options(brand):
    opts = [(i, alt) for i, c in enumerate(brand) if c in PINYIN for alt in HOMOPHONES[PINYIN[c]]]
    opts = [brand[:i] + alt + brand[i + 1 :] for i, alt in opts]
    return [b for b in opts if b != brand and not any(r in b for r in REGIONS)]


def en_typo(brand):
    words = brand.split()
    i = pick([i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()])
    w, j = words[i], rng.randrange(1, len(words[i]) - 1)
    swap = chance(0.5) and w[j] != w[j + 1]
    words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :] if swap else w[:j] + w[j + 1 :]
    return " ".join(words)


def applicable(v, e, c):
    cn, ph, mail = e["lang"] == "cn", c and c["phone"], bool(c and c["email"])
    kind = ph and ph["kind"]
    if v.startswith("website_"):
        return bool(e["domain"])
    return {
        "phone_country_code": bool(ph), "phone_separators": bool(ph), "phone_note": kind == "mobile",
        "phone_extension": kind in ("landline", "intl"), "phone_fullwidth": kind in ("mobile", "landline"),
        "landline_no_area_code": kind == "landline", "email_case": mail, "email_mailto": mail, "email_display_name": mail,
        "uscc_lower": any(ch.isalpha() for ch in e["uscc"]), "uscc_spaces": bool(e["uscc"]), "uscc_O_for_0": "0" in e["uscc"],
        "name_fullwidth": not cn or e["region"] == "bracket" or any(ch.isascii() for ch in e["brand"]),
        "name_traditional": cn and any(ch in TRAD for ch in e["name"]), "name_region_added": cn and e["region"] == "none",
        "name_region_removed": cn and e["region"] in ("city", "city_shi", "prov"), "name_region_bracket": cn and bool(e["legal"]),
        "name_legal_form": True, "name_punct_case": True, "name_and_amp": not cn and (" & " in e["brand"] or " and " in e["brand"]),
        "name_homophone_typo": cn and bool(typo_options(e["brand"])),
        "name_en_typo": not cn and any(len(w) >= 5 and w.isalpha() for w in e["brand"].split()),
        "name_pinyin_english": cn, "city_blank": bool(e["city_field"]), "city_suffix": cn and bool(e["city_field"]),
        "other_contact": True, "contact_name_honorific": cn and bool(c), "contact_new_phone": bool(c),
    }[v]  # fmt: skip


def choose_variants(e, c, hard):
    if hard:  # a typo in the name, and nothing strong shared
        contact = ("other_contact", "contact_new_phone", "landline_no_area_code")
        extra = ("name_legal_form", "name_punct_case", "name_region_removed", "name_region_added")
        typo = "name_homophone_typo" if e["lang"] == "cn" else "name_en_typo"
        vs = [typo, pick([v for v in contact if applicable(v, e, c)])]
        extra = [v for v in extra if applicable(v, e, c)]
        return vs + ([pick(extra)] if extra and chance(0.3) else [])
    cands, vs = [v for v, (_, w) in CATALOGUE.items() if w and applicable(v, e, c)], []
    for _ in range(wpick([(1, 50), (2, 35), (3, 15)])):
        if not cands:
            break
        v = wpick([(x, CATALOGUE[x][1]) for x in cands])
        vs.append(v)
        banned = {CATALOGUE[v][0]} | INCOMPATIBLE.get(v, set())
        cands = [x for x in cands if CATALOGUE[x][0] not in banned]
        cands = [x for x in cands if CATALOGUE[v][0] not in INCOMPATIBLE.get(x, ())]
    return vs


def string_variant(v, name, e, b, legal):
    if v == "name_traditional":
        return "".join(TRAD.get(ch, ch) for ch in name)
    if v == "name_fullwidth":
        if e["lang"] == "cn" and not any(ch.isascii() and ch.isalnum() for ch in name):
            return name.replace("（", "(").replace("）", ")")
        return fullwidth(name, pick([" ", "\u3000"]))
    if e["lang"] == "cn":  # spacing, case of Latin letters
        i, j = name.find(b), name.rfind(legal) if legal else -1
        opts = [name[:k] + " " + name[k:] for k in (i, j) if k > 0]
        opts += [name.replace(b, b.lower()), name.replace(b, b.upper())] if b.isascii() else []
    else:  # case, commas, full stops, spacing
        opts = [name.upper(), name.lower(), name.replace(" ", "  ", 1)]
        opts += [name[: -len(legal)].rstrip() + ", " + legal] if legal else []
        opts += [name.replace(".", "")] if "." in name else []
        opts += [name.replace(" & ", "&")] if " & " in name else []
    return pick([o for o in opts if o != name] or [name])


def name_variant(e, vs):
    """The company name with the chosen name variants, or None when one of them changes nothing."""
    b, legal, region = e["brand"], e["legal"], e.get("region")
    if e["lang"] == "cn":
        b = pick(typo_options(b)) if "name_homophone_typo" in vs else b
        if "name_region_added" in vs:
            region = pick(["city", "city_shi"] + ([] if e["city"] in MUNICIPALITIES else ["prov"]))
        region = "none" if "name_region_removed" in vs else region
        if "name_region_bracket" in vs:
            region = "city" if region == "bracket" else "bracket"
        if "name_legal_form" in vs:
            legal = pick([x for x in CN_LEGAL if x != e["legal"] and (x or region != "bracket")])
        name = render_cn({**e, "brand": b, "region": region, "legal": legal})
        if "name_pinyin_english" in vs:
            brand_en = b if b.isascii() else e["key"].capitalize()
            name = f"{CITY[e['city']][2].capitalize()} {brand_en} {e['ind'][1]} Co., Ltd."
    else:
        b = en_typo(b) if "name_en_typo" in vs else b
        if "name_and_amp" in vs:
            b = b.replace(" & ", " and ") if " & " in b else b.replace(" and ", " & ")
        if "name_legal_form" in vs:
            legal = pick([x for x in LEGAL[e["family"]] if x != e["legal"]])
        name = render_en({**e, "brand": b, "legal": legal})
    for v in ("name_traditional", "name_fullwidth", "name_punct_case"):
        if v in vs:
            new = string_variant(v, name, e, b, legal)
            if new == name:
                return None
            name = new
    return name if name != e["name"] else None


def field_variant(e, c, v):
    if v.startswith("website_"):
        d, orig = e["domain"], e["website"] or "www." + e["domain"]
        paths = ("/about.html", "/contact", "/en/index.html", "/index.php?lang=cn", "/products/")
        opts = {"website_https_www": [f"https://www.{d}/", f"https://www.{d}"],
                "website_path": [orig.rstrip("/") + p for p in paths],
                "website_upper": [orig.upper(), f"WWW.{d.upper()}", f"HTTP://WWW.{d.upper()}"],
                "website_no_scheme": [d, f"www.{d}", f"www.{d}/"]}[v]  # fmt: skip
        return pick([o for o in opts if o != e["website"]])
    if v.startswith("uscc_"):
        u = e["uscc"]
        zero = pick([i for i, ch in enumerate(u) if ch == "0"] or [0])
        return {"uscc_lower": u.lower(), "uscc_O_for_0": u.replace("0", "O") if chance(0.5) else u[:zero] + "O" + u[zero + 1 :],
                "uscc_spaces": pick([f"{u[:2]} {u[2:8]} {u[8:17]} {u[17]}", " ".join(u[i : i + 4] for i in range(0, 18, 4)), f"{u[:8]} {u[8:]}"])}[v]  # fmt: skip
    em, name = c["email"], c["name"]
    local, dom = em.split("@")
    opts = {"email_case": [em.upper(), local.title() + "@" + dom, local.title() + "@" + dom.title()],
            "email_mailto": [f"mailto:{em}", f"MAILTO:{em}", f"mailto:{local.title()}@{dom}"],
            "email_display_name": [f"{name} <{em}>", f'"{name}" <{em}>', f"{name}<{em}>"]}[v]  # fmt: skip
    return pick([o for o in opts if o != em])


def build_reentry(e, c, vs, hard):
    """(lead, strong links it shares with the original) or None when a variant does not apply."""
    name = name_variant(e, vs) if any(v.startswith("name_") for v in vs) else e["name"]
    if name is None:
        return None
    eid, cn, var = e["id"], e["lang"] == "cn", {CATALOGUE[v][0]: v for v in vs}
    # the domain is a link only when the original shows it (website or a company e-mail)
    shown = bool(e["website"]) or any(x["company_email"] for x in e["contacts"])
    city = "" if "city_blank" in vs else e["city_field"]
    if "city_suffix" in vs:
        city = city[:-1] if city.endswith("市") else city + "市"
    links = {"name_city"} if city and not any(v in vs for v in NAME_BREAKING) else set()
    contacts, titles = [], CN_TITLES if cn else EN_TITLES
    if var.get("contact") in ("other_contact", "contact_new_phone"):
        country = None if cn else ENCITY[e["city"]][8]
        p = c["person"] if var["contact"] == "contact_new_phone" else person(e["lang"], country)
        phone = phone_str(new_phone(eid, e["city"], e["lang"], mobile=cn or chance(0.5)))
        title = pick(titles) if chance(0.5) else ""
        nc = {"name": p["name"], "title": title, "phone": phone, "email": ""}
        if e["domain"] and not hard and chance(0.5):
            nc["email"] = company_email(eid, p, e["domain"])
            links |= {"domain"} if shown else set()
        elif chance(0.25):
            nc["email"] = free_email(eid, p, wpick(FREE_CN) if cn else "gmail.com")
        contacts.append(nc)
    elif c:
        title = c["title"] if chance(0.5) else ""
        nc = {"name": c["name"], "title": title, "phone": "", "email": ""}
        if var.get("contact") == "contact_name_honorific":
            nc["name"] = c["name"][0] + pick(["总", "经理", "工"])
        if c["phone"] and ("phone" in var or chance(0.85)):
            nc["phone"] = phone_str(c["phone"], var.get("phone"))
            links |= set() if var.get("phone") == "landline_no_area_code" else {"phone"}
        if c["email"] and not hard and ("email" in var or chance(0.6)):
            nc["email"] = field_variant(e, c, var["email"]) if "email" in var else c["email"]
            links |= {"email", "domain"} if c["company_email"] else {"email"}
        contacts.append(nc)
    uscc = e["uscc"] if not hard and chance(0.3) else ""
    uscc = field_variant(e, c, var["uscc"]) if "uscc" in var else uscc
    website = field_variant(e, c, var["web"]) if "web" in var else ""
    if not website and e["domain"] and not hard and chance(0.3):
        website = e["website"] or "www." + e["domain"]
    links |= ({"uscc"} if uscc else set()) | ({"domain"} if website and shown else set())
    province = e["province"] if (city and chance(0.6)) or chance(0.2) else ""
    industry = e["industry"] if chance(0.55) else ""
    lead = {"company_name": name, "uscc": uscc, "website": website, "province": province, "city": city,
            "industry": industry, "contacts": contacts}  # fmt: skip
    return lead, sorted(links)


def make_reentry(e, hard):
    for _ in range(500):
        c = pick(e["contacts"]) if e["contacts"] else None
        vs = choose_variants(e, c, hard)
        out = build_reentry(e, c, vs, hard)
        if out and bool(out[1]) != hard:  # normal: keeps a strong link; hard: keeps none
            return vs, out
    raise RuntimeError(f"no re-entry for {e['id']}")
