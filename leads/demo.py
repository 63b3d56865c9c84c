"""Demo leads for `manage.py seed_demo`: ~500 Chinese and international companies with
contacts, written through the services (so every claim has its history), then claimed and
followed up by the demo reps.

Deterministic: one `random.Random` with a fixed seed decides every name, number and claim.
Idempotent: a lead whose company name already exists is not created again, and only leads
created by this run are claimed, so running it twice leaves the same data.

Each service call is its own durable transaction: call `seed_demo_leads` outside any
`transaction.atomic` block."""

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from accounts.models import Team, User
from assignments.exceptions import AlreadyOwned, ClaimLimitReached, InCooldown
from assignments.services import claim_lead

from .exceptions import DuplicateFound, PossibleDuplicate
from .models import FollowUp, Lead
from .services import create_lead, log_followup

SEED = 20240618
LEAD_COUNT = 500
ENGLISH_SHARE = 0.25
TEAM_POOL_SHARE = 0.08  # per team; the rest goes to the public pool
CLAIMS_PER_REP = (11, 24)
OWN_TEAM_POOL_SHARE = 0.3  # of a rep's claims, taken from their team's pool when it has leads
DEMO_TAG = "demo"

# --- Chinese companies ---------------------------------------------------------------------
# (province, city, district codes for the credit code, weight)
CN_CITIES = [
    ("浙江", "杭州", ("330106", "330108", "330110"), 10),
    ("浙江", "宁波", ("330203", "330212"), 3),
    ("广东", "深圳", ("440304", "440305", "440306"), 12),
    ("广东", "广州", ("440104", "440106"), 8),
    ("广东", "东莞", ("441900",), 3),
    ("北京", "北京", ("110105", "110108", "110115"), 10),
    ("上海", "上海", ("310104", "310112", "310115"), 12),
    ("江苏", "苏州", ("320505", "320506"), 6),
    ("江苏", "南京", ("320102", "320106"), 5),
    ("四川", "成都", ("510104", "510107"), 6),
    ("湖北", "武汉", ("420106", "420111"), 4),
    ("陕西", "西安", ("610113",), 3),
    ("山东", "青岛", ("370202", "370212"), 3),
    ("福建", "厦门", ("350203", "350206"), 3),
    ("天津", "天津", ("120116",), 2),
    ("重庆", "重庆", ("500112",), 3),
    ("湖南", "长沙", ("430104",), 3),
    ("安徽", "合肥", ("340104",), 2),
]
CN_BRANDS = [
    ("云帆", "yunfan"), ("华锐", "huarui"), ("博远", "boyuan"), ("天成", "tiancheng"),
    ("鼎信", "dingxin"), ("恒达", "hengda"), ("瑞丰", "ruifeng"), ("启明", "qiming"),
    ("星河", "xinghe"), ("金桥", "jinqiao"), ("汇通", "huitong"), ("联创", "lianchuang"),
    ("华信", "huaxin"), ("新元", "xinyuan"), ("嘉禾", "jiahe"), ("宏图", "hongtu"),
    ("锦程", "jincheng"), ("睿智", "ruizhi"), ("青松", "qingsong"), ("海纳", "haina"),
    ("智远", "zhiyuan"), ("维康", "weikang"), ("安泰", "antai"), ("正源", "zhengyuan"),
    ("百川", "baichuan"), ("卓越", "zhuoyue"), ("德胜", "desheng"), ("领航", "linghang"),
    ("易达", "yida"), ("凯盛", "kaisheng"), ("万象", "wanxiang"), ("中拓", "zhongtuo"),
    ("东升", "dongsheng"), ("明德", "mingde"), ("长风", "changfeng"), ("远景", "yuanjing"),
    ("优联", "youlian"), ("博睿", "borui"), ("泰和", "taihe"), ("永信", "yongxin"),
    ("蓝海", "lanhai"), ("同创", "tongchuang"), ("晨光", "chenguang"), ("鸿运", "hongyun"),
    ("聚能", "juneng"), ("思创", "sichuang"), ("乐享", "lexiang"), ("云图", "yuntu"),
    ("数联", "shulian"), ("恒信", "hengxin"), ("天润", "tianrun"), ("润泽", "runze"),
    ("金盛", "jinsheng"), ("瀚海", "hanhai"), ("麦田", "maitian"), ("极光", "jiguang"),
    ("易通", "yitong"), ("朗润", "langrun"), ("沃德", "wode"), ("合众", "hezhong"),
]  # fmt: skip
# industry -> (word in the company name, word in the domain)
CN_INDUSTRY_WORDS = {
    "软件/SaaS": [
        ("网络科技", "tech"), ("信息技术", "it"), ("软件", "soft"),
        ("数据科技", "data"), ("智能科技", "ai"),
    ],
    "制造业": [
        ("精密制造", "precision"), ("机械制造", "machinery"), ("电子", "electronics"),
        ("新材料", "materials"), ("自动化设备", "automation"),
    ],
    "医疗器械": [("医疗器械", "medical"), ("生物医疗科技", "biomed"), ("医疗科技", "medtech")],
    "教育": [("教育科技", "edu"), ("教育咨询", "education"), ("职业培训", "training")],
    "零售": [
        ("商贸", "trading"), ("电子商务", "ecommerce"), ("超市连锁", "mart"), ("贸易", "trade"),
    ],
    "物流": [("物流", "logistics"), ("供应链管理", "scm"), ("国际货运代理", "freight")],
    "金融": [("融资租赁", "leasing"), ("投资管理", "capital"), ("金融信息服务", "fintech")],
    "新能源": [("新能源科技", "energy"), ("光伏科技", "solar")],
}  # fmt: skip
INDUSTRY_WEIGHTS = {
    "软件/SaaS": 22,
    "制造业": 22,
    "医疗器械": 10,
    "教育": 8,
    "零售": 12,
    "物流": 12,
    "金融": 8,
    "新能源": 6,
}
CN_SOURCES = [
    ("官网表单", 25), ("展会", 15), ("转介绍", 15), ("电话营销", 15), ("百度推广", 20),
    ("LinkedIn", 3), ("微信公众号", 7),
]  # fmt: skip
CN_TAGS = ["重点客户", "有预算", "老客户推荐", "需要演示", "价格敏感", "集团客户", "招投标"]
CN_SURNAMES = [
    ("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"),
    ("杨", "yang"), ("黄", "huang"), ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"),
    ("徐", "xu"), ("孙", "sun"), ("马", "ma"), ("朱", "zhu"), ("胡", "hu"), ("郭", "guo"),
    ("何", "he"), ("高", "gao"), ("林", "lin"), ("罗", "luo"), ("郑", "zheng"),
    ("梁", "liang"), ("谢", "xie"), ("宋", "song"), ("唐", "tang"), ("韩", "han"),
    ("冯", "feng"), ("邓", "deng"), ("曹", "cao"), ("彭", "peng"), ("曾", "zeng"),
    ("肖", "xiao"), ("田", "tian"), ("董", "dong"), ("潘", "pan"), ("袁", "yuan"),
    ("蔡", "cai"), ("蒋", "jiang"), ("余", "yu"), ("杜", "du"), ("叶", "ye"),
    ("程", "cheng"), ("魏", "wei"), ("苏", "su"), ("丁", "ding"), ("任", "ren"), ("沈", "shen"),
]  # fmt: skip
CN_GIVEN = [
    ("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("丽", "li"),
    ("强", "qiang"), ("磊", "lei"), ("军", "jun"), ("洋", "yang"), ("勇", "yong"),
    ("艳", "yan"), ("杰", "jie"), ("涛", "tao"), ("明", "ming"), ("超", "chao"),
    ("秀英", "xiuying"), ("霞", "xia"), ("平", "ping"), ("刚", "gang"), ("建华", "jianhua"),
    ("志强", "zhiqiang"), ("晓东", "xiaodong"), ("海燕", "haiyan"), ("丹", "dan"),
    ("鹏", "peng"), ("浩", "hao"), ("宇轩", "yuxuan"), ("子涵", "zihan"), ("雨桐", "yutong"),
    ("俊杰", "junjie"), ("思远", "siyuan"), ("嘉怡", "jiayi"), ("文博", "wenbo"),
    ("欣怡", "xinyi"), ("国栋", "guodong"), ("春梅", "chunmei"), ("立新", "lixin"),
    ("永刚", "yonggang"), ("晨", "chen"), ("琳", "lin"), ("颖", "ying"), ("斌", "bin"),
    ("辉", "hui"), ("婷", "ting"), ("雪", "xue"), ("倩", "qian"), ("凯", "kai"),
]  # fmt: skip
CN_TITLES = [
    "总经理", "副总经理", "销售总监", "市场总监", "采购经理", "IT经理", "信息化负责人",
    "财务总监", "运营总监", "行政主管", "董事长助理", "技术总监", "客服经理",
]  # fmt: skip
CN_MOBILE_PREFIXES = [
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152",
    "155", "156", "158", "159", "166", "176", "177", "180", "181", "185", "186", "187",
    "188", "189", "198", "199",
]  # fmt: skip

# --- International companies ---------------------------------------------------------------
# (province / state, city, legal suffixes, domain suffix, phone format, weight).
# In a phone format each "#" becomes a random digit.
INTL_CITIES = [
    ("Singapore", "Singapore", ("Pte. Ltd.",), "com.sg", "+65 9### ####", 10),
    ("Hong Kong", "Hong Kong", ("Limited", "Ltd."), "com.hk", "+852 6### ####", 9),
    ("England", "London", ("Ltd.", "plc"), "co.uk", "+44 7700 900###", 7),
    ("California", "San Francisco", ("Inc.", "LLC"), "com", "+1 415 555 01##", 4),
    ("New York", "New York", ("Inc.", "LLC"), "com", "+1 212 555 01##", 3),
    ("Bavaria", "Munich", ("GmbH",), "de", "+49 151 ### #####", 2),
    ("New South Wales", "Sydney", ("Pty Ltd",), "com.au", "+61 4## ### ###", 3),
    ("Tokyo", "Tokyo", ("Co., Ltd.", "K.K."), "co.jp", "+81 90 #### ####", 2),
    ("Dubai", "Dubai", ("LLC", "FZ-LLC"), "ae", "+971 50 ### ####", 2),
    ("Kuala Lumpur", "Kuala Lumpur", ("Sdn. Bhd.",), "com.my", "+60 12 ### ####", 3),
]
INTL_BRANDS = [
    "Northwind", "Bluepeak", "Silverline", "Redwood", "Harbourview", "Brightwater",
    "Ironbridge", "Kestrel", "Summit", "Evergreen", "Clearpath", "Lumen", "Oakridge",
    "Meridian", "Crestview", "Stonegate", "Tidewater", "Falcon", "Westbrook", "Granite",
    "Cobalt", "Aurora", "Pinnacle", "Lighthouse", "Maple", "Orchid", "Sapphire", "Zenith",
    "Horizon", "Atlas", "Juniper", "Copperleaf", "Riverstone", "Seabright", "Highgate",
    "Larkspur", "Fairhaven", "Vantage", "Ember", "Greenfield",
]  # fmt: skip
INTL_INDUSTRY_WORDS = {
    "软件/SaaS": ["Analytics", "Software", "Cloud", "Systems", "Digital", "Data"],
    "制造业": ["Manufacturing", "Engineering", "Industries", "Components"],
    "医疗器械": ["Medical", "Healthcare", "MedTech", "Diagnostics"],
    "教育": ["Learning", "Education", "Academy"],
    "零售": ["Retail", "Trading", "Commerce", "Stores"],
    "物流": ["Logistics", "Freight", "Shipping", "Supply Chain"],
    "金融": ["Capital", "Financial", "Payments", "Partners"],
    "新能源": ["Energy", "Solar", "Power"],
}
INTL_SOURCES = [
    ("LinkedIn", 35), ("官网表单", 25), ("展会", 15), ("转介绍", 15), ("Google Ads", 10),
]  # fmt: skip
INTL_TAGS = ["key account", "budget approved", "needs demo", "price sensitive", "APAC"]
EN_FIRST = [
    "James", "Olivia", "Daniel", "Sophie", "Michael", "Emma", "David", "Charlotte",
    "Thomas", "Hannah", "Ryan", "Chloe", "Andrew", "Grace", "Kevin", "Rachel", "Jason",
    "Natalie", "Benjamin", "Isabel", "Marcus", "Priya", "Arjun", "Aisha", "Lukas", "Anna",
    "Kenji", "Yuki", "Omar", "Sarah",
]  # fmt: skip
EN_LAST = [
    "Smith", "Johnson", "Brown", "Taylor", "Wilson", "Davies", "Evans", "Clarke", "Walker",
    "Wright", "Thompson", "Hughes", "Patel", "Sharma", "Müller", "Schmidt", "Tanaka",
    "Sato", "Haddad", "Rahman", "Murphy", "Kelly", "Anderson", "Martin",
]  # fmt: skip
# Surnames common in Singapore, Hong Kong and Malaysia.
ASIAN_LAST = ["Tan", "Lim", "Lee", "Ng", "Wong", "Chan", "Cheung", "Ho", "Teo", "Goh", "Lau"]
EN_TITLES = [
    "CEO", "COO", "CFO", "Head of Sales", "Sales Director", "IT Manager",
    "Procurement Manager", "Operations Director", "Managing Director",
    "Head of Customer Success", "Regional Manager, APAC",
]  # fmt: skip

SIZES = [
    (Lead.Size.MICRO, 10),
    (Lead.Size.SMALL, 30),
    (Lead.Size.MEDIUM, 30),
    (Lead.Size.LARGE, 20),
    (Lead.Size.ENTERPRISE, 10),
]

# --- Follow-ups: (kind, note, next step). {contact}, {title}, {city} are filled in. ---------
# In funnel order: a lead's follow-ups keep this order and their next-step dates increase.
CN_FOLLOWUPS = [
    (
        FollowUp.Kind.CALL,
        "电话联系{title}{contact}，对方目前用Excel管理客户，销售之间经常撞单，想了解公海规则。",
        "发送产品介绍和报价",
    ),
    (
        FollowUp.Kind.VISIT,
        "和{contact}吃了午饭，了解到他们{team_size}人的销售团队分布在三个城市，在比较两家竞品。",
        "准备竞品对比材料",
    ),
    (
        FollowUp.Kind.CALL,
        "和{contact}通了电话，预算大约{budget}万，需要下周内部讨论后再定。",
        "下周三再电话确认",
    ),
    (
        FollowUp.Kind.VISIT,
        "上门拜访{contact}（{city}），参观了办公室，对方关心和现有ERP（用友）的对接。",
        "安排技术交流会",
    ),
    (
        FollowUp.Kind.MEETING,
        "线上会议演示了线索公海和防撞单功能，{contact}比较认可，希望试用两周。",
        "开通试用账号",
    ),
    (
        FollowUp.Kind.CHAT,
        "{contact}在微信上问了私有化部署和数据安全，已转给售前。",
        "售前出方案",
    ),
    (
        FollowUp.Kind.CHAT,
        "微信沟通，{contact}说老板在出差，月底回来再约时间。",
        "月底再跟进",
    ),
    (
        FollowUp.Kind.EMAIL,
        "已把报价单和合同模板发给{contact}，对方法务在审核。",
        "跟进法务意见",
    ),
]
EN_FOLLOWUPS = [
    (
        FollowUp.Kind.CALL,
        "Intro call with {contact} ({title}). Their sales teams in {city} keep stepping on "
        "each other's accounts; they want clear ownership rules.",
        "Send proposal and pricing",
    ),
    (
        FollowUp.Kind.CALL,
        "{contact} confirmed a {team_size}-person sales team; currently on spreadsheets and a "
        "shared inbox.",
        "Book a demo with the sales director",
    ),
    (
        FollowUp.Kind.MEETING,
        "Demo for {contact} and two team leads. They liked the claim/protection rules and "
        "asked about SSO.",
        "Answer the SSO question",
    ),
    (
        FollowUp.Kind.VISIT,
        "Visited the {city} office and met {contact}. Procurement takes about six weeks; "
        "budget of roughly USD {budget}k.",
        "Prepare reference customers",
    ),
    (
        FollowUp.Kind.EMAIL,
        "Sent pricing and the security questionnaire to {contact}.",
        "Chase the questionnaire",
    ),
    (
        FollowUp.Kind.CHAT,
        "Quick WhatsApp exchange with {contact}: decision postponed until after the board meeting.",
        "Check in after the board meeting",
    ),
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


@dataclass
class SeedResult:
    created: int = 0
    existing: int = 0
    claimed: int = 0
    claims_refused: int = 0
    followups: int = 0
    duplicates_skipped: int = 0


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


def seed_demo_leads(
    *,
    admin: User,
    teams: Sequence[Team],
    reps: Sequence[User],
    log: Callable[[str], None] | None = None,
) -> SeedResult:
    """Create the demo leads that do not exist yet (pool leads by the admin, team-pool leads by
    each team's manager), then let the reps claim some and log follow-ups on them."""
    team_index = {team.pk: i for i, team in enumerate(teams)}
    specs = build_plan(
        team_count=len(teams), rep_teams=[team_index.get(rep.team_id) for rep in reps]
    )
    names = [s.fields["company_name"] for s in specs]
    existing = set(
        Lead.objects.filter(company_name__in=names).values_list("company_name", flat=True)
    )
    result = SeedResult(existing=len(existing))

    created: list[tuple[LeadSpec, Lead]] = []
    for spec in specs:
        if spec.fields["company_name"] in existing:
            continue
        team = teams[spec.pool] if spec.pool is not None else None
        actor = team.manager if team is not None and team.manager is not None else admin
        arguments = {
            "actor": actor,
            "contacts": spec.contacts,
            "pool_team_id": team.pk if team is not None else None,
            **spec.fields,
        }
        try:
            lead = create_lead(**arguments)
        except PossibleDuplicate:
            # Look-alike names happen in real lists too: confirmed, and so recorded.
            lead = create_lead(confirm_duplicate=True, **arguments)
        except DuplicateFound:
            result.duplicates_skipped += 1
            continue
        created.append((spec, lead))
    result.created = len(created)

    for spec, lead in created:
        if spec.claim_by is None:
            continue
        rep = reps[spec.claim_by]
        try:
            claim_lead(lead_id=lead.pk, actor=rep)
        except (ClaimLimitReached, AlreadyOwned, InCooldown):
            result.claims_refused += 1
            continue
        result.claimed += 1
        for followup in spec.followups:
            log_followup(lead_id=lead.pk, actor=rep, **followup)
            result.followups += 1

    if log is not None:
        if result.created:
            log(
                f"Demo leads: {result.created} created ({result.existing} already there), "
                f"{result.claimed} claimed by reps ({result.claims_refused} refused), "
                f"{result.followups} follow-ups."
            )
        else:
            log(f"Demo leads: all {result.existing} already there, nothing created.")
    return result
