"""Individual customers (个人客户): people with a name, a city, a phone, sometimes an e-mail and an
ID number (a Chinese resident ID with its GB 11643 check character); the same person typed
again with the name written differently (linked by the phone or the ID number), and namesakes:
another person of the same name in the same city (a different customer)."""

from .abroad import valid_phone
from .draw import chance, digits, fullwidth, pick, rng, wpick
from .entities import ENT
from .identifiers import free_email, fresh, national_str, new_phone, person, phone_str
from .pools import CITY, CN_CITIES, EN_CITIES, ENCITY, FREE_CN, FREE_EN, ISO, PERSON_TRAD

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
# name variants of a re-entry: how else a rep writes the same person's name
CN_NAME_VARIANTS = ("person_name_traditional", "person_name_spaced", "person_name_pinyin",
                    "person_name_honorific")  # fmt: skip
EN_NAME_VARIANTS = ("person_name_case", "person_name_fullwidth", "person_name_reversed")


def id_check(first17):
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def new_id_number(eid, city):
    """A Chinese resident ID: district of the city, birth date, sequence, check character."""

    def make():
        born = f"{rng.randint(1960, 2003)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        first17 = pick(CITY[city][7]) + born + digits(3)
        return first17 + id_check(first17)

    return fresh("id_number", eid, make)


def new_individual(lang, eid, name=None, city=None, p=None):
    """A person as a customer. With name/city: a namesake (another person of that name)."""
    e = {"id": eid, "lang": lang, "kind": "individual", "uscc": "", "website": "", "domain": ""}
    if lang == "cn":
        e["city"] = city or wpick([(c[0], c[6]) for c in CN_CITIES])
        e["country"] = "CN"
        p = p or person("cn")
        e["province"] = "" if chance(0.5) else CITY[e["city"]][1]
        e["id_number"] = new_id_number(eid, e["city"]) if chance(0.6) else ""
    else:
        e["city"] = city or wpick([(c[0], c[3]) for c in EN_CITIES])
        e["country"] = ISO.get(ENCITY[e["city"]][2], ENCITY[e["city"]][2])
        p = p or person("en", ENCITY[e["city"]][2])
        e["province"] = ""
        e["id_number"] = ""
    e["person"], e["name"] = p, name or p["name"]
    e["city_field"] = e["city"] + ("市" if lang == "cn" and chance(0.15) else "")
    # every person has a phone (or an ID number to be found by)
    if chance(0.9) or not e["id_number"]:
        has_mobile = lang == "cn" or ENCITY[e["city"]][7] is not None
        mobile = has_mobile and (lang == "cn" or chance(0.6))
        phone = (
            new_phone(eid, e["city"], lang, mobile)
            if lang == "cn"
            else valid_phone(eid, e["city"], mobile)
        )
    else:
        phone = None
    email = ""
    if chance(0.3):
        market = FREE_CN if lang == "cn" else FREE_EN.get(ENCITY[e["city"]][8], FREE_EN["UK"])
        email = free_email(eid, p, wpick(market))
    e["contacts"] = [{"person": p, "name": p["name"], "phone": phone, "email": email,
                      "phone_str": phone_str(phone) if phone else ""}]  # fmt: skip
    ENT[eid] = e
    return e


def person_lead(e, name=None, contacts=None, city=None, id_number=None, country=""):
    """The lead payload of a person (an individual customer, kind "individual")."""
    if contacts is None:
        contacts = [{"name": c["name"], "title": "", "phone": c["phone_str"], "email": c["email"]}
                    for c in e["contacts"]]  # fmt: skip
    return {
        "kind": "individual",
        "company_name": name or e["name"],
        "id_number": e["id_number"] if id_number is None else id_number,
        "uscc": "",
        "website": "",
        "country": country,
        "province": e["province"],
        "city": e["city_field"] if city is None else city,
        "industry": "",
        "contacts": contacts,
    }


def written_otherwise(e, v):
    """The person's name as another rep writes it."""
    name, p = e["name"], e["person"]
    if v == "person_name_traditional":
        return "".join(PERSON_TRAD.get(ch, ch) for ch in name)
    if v == "person_name_spaced":
        return name[0] + pick([" ", "\u3000", "·"]) + name[1:]
    if v == "person_name_pinyin":
        last, first = p["last"].title(), p["first"].title()
        return pick([f"{last} {first}", f"{last.upper()} {first}", f"{first} {last}"])
    if v == "person_name_honorific":
        return name[0] + pick(["先生", "女士", "总"])
    if v == "person_name_case":
        return pick([name.upper(), name.lower()])
    if v == "person_name_fullwidth":
        return fullwidth(name, pick([" ", "\u3000"]))
    first, last = name.rsplit(" ", 1)  # person_name_reversed: "Tan Wei Ming" for "Wei Ming Tan"
    return f"{last} {first}" if chance(0.5) else f"{last.upper()}, {first}"


def name_variants(e):
    if e["lang"] == "cn":
        return [v for v in CN_NAME_VARIANTS
                if v != "person_name_traditional" or any(ch in PERSON_TRAD for ch in e["name"])]  # fmt: skip
    return list(EN_NAME_VARIANTS)


def make_person_reentry(e):
    """The same person typed again: the name written otherwise, linked by the same phone (in
    another written form) or the same ID number. Returns (variants, lead, links)."""
    c = e["contacts"][0]
    by_id = bool(e["id_number"]) and (not c["phone"] or chance(0.5))
    vs = [pick(name_variants(e))]
    links, contact = set(), {"name": c["name"], "title": "", "phone": "", "email": ""}
    id_number, city = "", e["city_field"]
    if by_id:
        id_number = e["id_number"]
        links.add("id_number")
        if chance(0.4):
            fmt = pick(["id_lower_x", "id_spaces"] if id_number.endswith("X") else ["id_spaces"])
            vs.append(fmt)
            parts = (id_number[:6], id_number[6:14], id_number[14:])
            id_number = id_number.lower() if fmt == "id_lower_x" else " ".join(parts)
        if chance(0.3):  # moved: the ID number still says who it is
            vs.append("city_moved")
            city = pick([x[0] for x in CN_CITIES if x[0] != e["city"]])
        elif chance(0.2):
            vs.append("city_blank")
            city = ""
        if c["phone"] and chance(0.3):  # and their new number
            contact["phone"] = phone_str(new_phone(e["id"], e["city"], e["lang"], True))
    elif e["lang"] == "en":  # abroad: the number as dialled there, the city says where
        links.add("phone")
        national = chance(0.7)
        vs.append("phone_national" if national else "phone_separators")
        contact["phone"] = national_str(c["phone"]) if national else phone_str(c["phone"], vs[-1])
    else:
        links.add("phone")
        noise = [v for v in ("phone_country_code", "phone_separators", "phone_note")
                 if v != "phone_note" or c["phone"]["kind"] == "mobile"]  # fmt: skip
        variant = pick(noise) if chance(0.5) else None
        if variant:
            vs.append(variant)
        contact["phone"] = phone_str(c["phone"], variant)
        if chance(0.2):
            vs.append("city_blank")
            city = ""
    if c["email"] and chance(0.3):
        contact["email"] = c["email"]
        links.add("email")
    contact["name"] = written_otherwise(e, vs[0])
    lead = person_lead(e, name=contact["name"], contacts=[contact], city=city, id_number=id_number)
    return vs, lead, sorted(links)


def make_namesake(e, eid):
    """Another person with e's name in e's city: a different customer."""
    other = new_individual(e["lang"], eid, name=e["name"], city=e["city"], p=e["person"])
    vs = ["namesake_same_city"]
    name = e["name"]
    if e["lang"] == "cn" and chance(0.3):  # written otherwise, yet the same name
        v = pick([v for v in ("person_name_traditional", "person_name_spaced")
                  if v in name_variants(e)])  # fmt: skip
        vs.append(v)
        name = written_otherwise(e, v)
    elif e["lang"] == "en" and chance(0.3):
        vs.append("person_name_case")
        name = written_otherwise(e, "person_name_case")
    other["contacts"][0]["name"] = name
    city = e["city"] + ("市" if e["lang"] == "cn" and chance(0.2) else "")
    return vs, other, person_lead(other, name=name, city=city)


def new_people(n_cn, n_en, next_id):
    """n_cn Chinese and n_en international individuals, no two of one name in one city (a
    namesake is made on purpose, as a query)."""
    people, seen = [], set()
    for lang in ["cn"] * n_cn + ["en"] * n_en:
        for _ in range(1000):
            if lang == "cn":
                city, p = wpick([(c[0], c[6]) for c in CN_CITIES]), person("cn")
            else:
                city = wpick([(c[0], c[3]) for c in EN_CITIES])
                p = person("en", ENCITY[city][2])
            if (p["name"], city) not in seen:
                break
        seen.add((p["name"], city))
        people.append(new_individual(lang, next_id(), city=city, p=p))
    return people
