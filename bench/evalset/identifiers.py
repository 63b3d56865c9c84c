"""Identifiers, unique per entity: USCCs (GB 32100-2015 check digit, GB 11714 organisation
code), phone numbers and the ways a rep types them, people, company and free-mail addresses."""

import re

from .checks import ref_phone, uscc_check
from .draw import chance, digits, fullwidth, pick, rng, wpick
from .pools import (
    ASIA_NAMES,
    CITY,
    CN_GIVEN,
    CN_SURNAMES,
    DE_FIRST,
    DE_LAST,
    EN_FIRST,
    EN_LAST,
    ENCITY,
    MOBILE_PREFIXES,
    TRUNK0,
    USCC_ALPHABET,
)

REG = {}  # (kind, canonical value) -> entity id


def fresh(kind, eid, make):
    for _ in range(1000):
        value = make()
        if (kind, value) not in REG:
            REG[kind, value] = eid
            return value
    raise RuntimeError(f"no fresh {kind}")


def org_code_check(body8):  # GB 11714, the organisation code embedded at positions 9-17
    values = [int(c) if c.isdigit() else ord(c) - 55 for c in body8]
    total = sum(v * w for v, w in zip(values, (3, 7, 9, 10, 5, 8, 4, 2), strict=True))
    return {10: "X", 11: "0"}.get(11 - total % 11, str(11 - total % 11))


def new_uscc(eid, city):
    def make():
        new_style = "MA" + "".join(rng.choices(USCC_ALPHABET, k=6))  # since 2015; older: digits
        body = new_style if chance(0.65) else pick("3567") + digits(7)
        s17 = "91" + pick(CITY[city][7]) + body + org_code_check(body)
        return s17 + uscc_check(s17)

    return fresh("uscc", eid, make)


def new_phone(eid, city, lang, mobile, local=None):
    if lang == "cn":
        kind = "mobile" if mobile else "landline"
        cc, areas, n = ("86", [""], 11) if mobile else ("86", [CITY[city][4][1:]], CITY[city][5])
        first = MOBILE_PREFIXES if mobile else list("2345678")
    else:
        spec = ENCITY[city][7] if mobile and ENCITY[city][7] else ENCITY[city][6]
        kind = "intl_mobile" if spec is ENCITY[city][7] else "intl"
        (cc, areas, n), first = spec, list({"65": "689", "852": "235689"}.get(spec[0], "23456789"))
    for _ in range(1000):
        f = pick(first)
        area, loc = pick(areas), local or f + digits(n - len(f))
        canon = f"+{cc}{area}{loc}"
        if ("phone", canon) not in REG:
            REG["phone", canon] = eid
            return {"kind": kind, "cc": cc, "area": area, "local": loc, "canon": canon}
    raise RuntimeError("no fresh phone")


def phone_str(p, variant=None):
    """The phone as a rep types it: one of a few clean forms, or with one noise variant."""
    cc, area, loc, n = p["cc"], p["area"], p["local"], len(p["local"])
    cut = 3 if cc == "1" or n in (6, 7) else 4
    g = f"{loc[:cut]} {loc[cut:]}" if n > 6 or cc == "61" else loc
    ext = pick(["8001", "802", "6012", "205"] if cc == "86" else ["204", "12", "3105"])
    if p["kind"] == "mobile":
        m, s = loc, f"{loc[:3]} {loc[3:7]} {loc[7:]}"
        d = s.replace(" ", "-")
        opts = {None: [m] * 5 + [s, d],
                "phone_country_code": [f"+86 {s}", f"+86-{m}", f"0086 {m}", f"86-{d}", f"+86{m}", f"(+86){m}"],
                "phone_separators": [d, s, f"{m[:4]} {m[4:7]} {m[7:]}", s.replace(" ", ".")],
                "phone_note": [f"{m}（微信同号）", f"{m} 微信同号", f"{d}(手机)", f"手机：{m}", f"{m}/微信同号", f"{m}（手机）"],
                "phone_fullwidth": [fullwidth(m), fullwidth(d)]}  # fmt: skip
    elif cc == "86":
        a = "0" + area
        opts = {None: [f"{a}-{loc}"] * 5 + [f"({a}){loc}", f"{a} {g}"],
                "phone_country_code": [f"+86 {area} {g}", f"0086-{area}-{loc}", f"+86 ({area}) {loc}", f"86-{area}-{loc}"],
                "phone_separators": [f"({a}){loc}", f"{a} {g}", f"{a}-{g.replace(' ', '-')}", f"{a}{loc}", f"{a}-{loc}"],
                "phone_extension": [f"{a}-{loc}转{ext}", f"{a}-{loc} 转 {ext}", f"{a}-{loc} ext. {ext}", f"{a}-{loc}分机{ext}", f"({a}){loc}转{ext}"],
                "phone_fullwidth": [fullwidth(f"{a}-{loc}")],
                "landline_no_area_code": [loc, g, g.replace(" ", "-")]}  # fmt: skip
    else:
        us, parts = cc == "1", [x for x in (area, g) if x]
        nat = f"({area}) {g.replace(' ', '-')}" if us else " ".join(parts)
        plain = f"+1 {area}-{g.replace(' ', '-')}" if us else f"+{cc} {nat}"
        trunk = [f"+{cc} (0){nat}"] * 2 if cc in TRUNK0 and area else []
        dashed = "-".join(" ".join(parts).split())
        opts = {None: [plain, plain, f"+1 {nat}"] if us else [plain],
                "phone_country_code": [f"00{cc} {nat}", f"00{cc}-{dashed}", *trunk],
                "phone_separators": [f"+{cc}{area}{loc}", f"+{cc}-{dashed}", f"+{cc}.{dashed.replace('-', '.')}"],
                "phone_extension": [f"{plain} ext. {ext}", f"{plain} x{ext}", f"{plain} (ext. {ext})"]}  # fmt: skip
    s = pick(opts[variant])
    assert ref_phone(s) == (None if variant == "landline_no_area_code" else p["canon"]), s
    return s


def national_str(p):
    """The number as it is dialled inside its own country: the trunk prefix 0 instead of the
    country code where there is one, (212) 555-0142 in North America, no prefix in Singapore
    and Hong Kong. Only read right with the customer's country (or an obvious city)."""
    cc, area, loc = p["cc"], p["area"], p["local"]
    if cc == "1":
        s = f"({area}) {loc[:3]}-{loc[3:]}"
    elif cc in ("65", "852"):
        s = f"{loc[:4]} {loc[4:]}"
    elif cc == "81":
        s = f"0{area}-{loc[:4]}-{loc[4:]}"
    elif cc == "61":
        s = f"(0{area}) {loc[:4]} {loc[4:]}" if len(area) == 1 else f"0{area} {loc[:3]} {loc[3:]}"
    elif cc == "44" and len(loc) == 8:
        s = f"0{area} {loc[:4]} {loc[4:]}"
    elif len(loc) == 7:
        s = f"0{area} {loc[:3]} {loc[3:]}"
    else:
        s = f"0{area} {loc}"
    return s


def person(lang, country=None):
    if lang == "cn":
        (s, spy), (g, gpy) = pick(CN_SURNAMES), pick(CN_GIVEN)
        return {"name": s + g, "first": gpy, "last": spy}
    if country == "DE" and chance(0.7):
        first, last = pick(DE_FIRST), pick(DE_LAST)
    elif country in ("SG", "HK", "AE", "JP") and chance(0.6):
        first, last = pick(ASIA_NAMES)
    else:
        first, last = pick(EN_FIRST), pick(EN_LAST)
    first_ascii = re.sub("[^a-z]", "", first.lower())
    return {"name": f"{first} {last}", "first": first_ascii, "last": last.lower()}


def company_email(eid, p, domain):
    f, la = p["first"], p["last"]
    styles = [(f"{la}{f}", 4), (f"{la}.{f}", 2), (f"{f}.{la}", 3), (f"{f[0]}{la}", 2), (f, 1)]
    generic = [(pick(["sales", "info", "service", "contact", "office", "market"]), 1)]
    return fresh("email", eid, lambda: wpick(styles + generic) + "@" + domain)


def free_email(eid, p, domain):
    f, la = p["first"], p["last"]

    def make():
        if domain in ("qq.com", "foxmail.com") and chance(0.6):  # QQ number
            return pick("123456789") + digits(rng.randint(7, 9)) + "@" + domain
        year = rng.randint(1970, 2002)
        nn, nnn = digits(2), digits(3)
        styles = [f"{la}{f}{nn}", f"{f}.{la}{nn}", f"{f[0]}{la}{nnn}", f"{la}_{f}{year}"]
        return pick(styles) + "@" + domain

    return fresh("email", eid, make)
