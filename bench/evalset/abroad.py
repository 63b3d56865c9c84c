"""Customers abroad typed twice: once with the phone as it is dialled inside the country
("(206) 998-7602", "0141 316 5767", "8220 5816") and once in international format ("+1 206-998
7602"). The record in national format says where the customer is, by its `country` field (the
city then a district no list knows) or by an obvious city; the name carries a typo, so that the
phone, read in the right country, is what links the two."""

from .draw import chance, digits, pick, wpick
from .entities import ENT, new_entity, render_en
from .identifiers import REG, national_str, person, phone_str
from .pools import DISTRICTS, EN_TITLES, ENCITY, ISO
from .reentries import en_typo

# (city, how many customers): the US, the UK and Singapore first, then a few others
CITIES = [("New York", 3), ("San Francisco", 2), ("Chicago", 2), ("London", 3), ("Manchester", 2),
          ("Edinburgh", 1), ("Singapore", 5), ("Sydney", 3), ("Berlin", 2), ("Munich", 1),
          ("Tokyo", 3), ("Hong Kong", 3), ("Toronto", 2), ("Amsterdam", 2), ("Dubai", 2)]  # fmt: skip


# Numbers that exist: the leading digits each plan allocates (calling code + area -> starts of
# the local number), as libphonenumber's metadata has them; other areas take any of 2-9. UK
# mobile ranges 07700 and 07911 are partly unallocated: only the others are drawn.
STARTS = {
    "852": "21 23 25 26 27 28 29 61 63 65 69 92 94 96 97".split(),
    "65": "61 62 63 64 65 67 68 81 82 83 84 85 86 87 88 89 90 91 92 93 94 95 96 97 98".split(),
    "4420": ["3", "7", "8"], "612": ["8", "9"], "813": ["3", "4", "5"], "316": list("12345"),
}  # fmt: skip
UK_MOBILE = ("7823", "7456", "7944", "7712")


def valid_phone(eid, city, mobile):
    cc, areas, n = ENCITY[city][7] if mobile else ENCITY[city][6]
    areas = [a for a in areas if a in UK_MOBILE] if cc == "44" and mobile else areas
    for _ in range(1000):
        area = pick(areas)
        start = pick(STARTS.get(cc + area, list("23456789")))
        local = start + digits(n - len(start))
        canon = f"+{cc}{area}{local}"
        if ("phone", canon) not in REG:
            REG["phone", canon] = eid
            kind = "intl_mobile" if mobile else "intl"
            return {"kind": kind, "cc": cc, "area": area, "local": local, "canon": canon}
    raise RuntimeError("no fresh phone")


def international_str(p):
    """The number in international format ("+1 206-998-7602", "+44 (0)141 ...", "+65-8220-5816"):
    the written forms of a rep who has it from a card or a signature. ("0011 ..." / "001 ..."
    from China are left out: the product does not read them abroad yet, see the README.)"""
    return phone_str(p, wpick([(None, 3), ("phone_separators", 1)]))


def iso(city):
    return ISO.get(ENCITY[city][2], ENCITY[city][2])


def new_customer_abroad(eid, city):
    """An international company with one contact who has a phone; a brand with a word of 5+
    letters (for the typo)."""
    for _ in range(100):
        e = new_entity("en", eid, city=city, n_contacts=0)
        if any(len(w) >= 5 and w.isalpha() for w in e["brand"].split()):
            break
    p = person("en", ENCITY[city][2])
    mobile = ENCITY[city][7] is not None and chance(0.5)
    phone = valid_phone(eid, city, mobile)
    title = pick(EN_TITLES) if chance(0.5) else ""
    e["contacts"] = [{"person": p, "name": p["name"], "title": title, "phone": phone, "email": "",
                      "company_email": False, "phone_str": ""}]  # fmt: skip
    e["kind"] = "company"
    ENT[eid] = e
    return e


def company_lead(e, name, phone, city, country):
    c = e["contacts"][0]
    return {
        "kind": "company",
        "company_name": name,
        "id_number": "",
        "uscc": "",
        "website": "",
        "country": country,
        "province": e["province"] if city == e["city"] else "",
        "city": city,
        "industry": e["industry"],
        "contacts": [{"name": c["name"], "title": c["title"], "phone": phone, "email": ""}],
    }


def make_pair(e):
    """(original lead, variants, re-entry lead): one written nationally, the other in
    international format; the national one says its country or has an obvious city."""
    c = e["contacts"][0]
    national, international = national_str(c["phone"]), international_str(c["phone"])
    by_country = chance(0.5)
    place = "country_given" if by_country else "country_from_city"
    # the national record: its country given (in a district no list knows, or no city), or
    # the obvious city alone
    nat_city = pick([DISTRICTS[e["city"]], ""]) if by_country else e["city"]
    nat_country = iso(e["city"]) if by_country else ""
    # the international record: the city or nothing, never the country
    int_city = e["city"] if chance(0.6) else ""
    typo = render_en({**e, "brand": en_typo(e["brand"])})
    if chance(0.5):  # the original in national format, the re-entry in international
        original = company_lead(e, e["name"], national, nat_city, nat_country)
        reentry = company_lead(e, typo, international, int_city, "")
        vs = ["phone_international", "name_en_typo", place]
    else:
        original = company_lead(e, e["name"], international, int_city, "")
        reentry = company_lead(e, typo, national, nat_city, nat_country)
        vs = ["phone_national", "name_en_typo", place]
    return original, vs, reentry
