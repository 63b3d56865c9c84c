"""Synthetic customers for the duplicate-check benchmark (fixed seed; 60% Chinese, 40% English):
brands drawn from deliberately small pools so that brands, trade words (科技, 信息, Trading...),
legal forms and cities are shared by thousands of rows, as in a real national customer base; a
region prefix on 40% of Chinese names; one or two contacts with a mobile or landline and an
e-mail; a website on half, a 统一社会信用代码 on a third. Customer number i is always the same
lead. Also the query payloads: noisy re-entries of existing leads, look-alikes and brand-new
customers."""

import hashlib
import random

SEED = 20261127

CITIES = [
    ("北京", "北京"),
    ("上海", "上海"),
    ("天津", "天津"),
    ("重庆", "重庆"),
    ("广东", "广州"),
    ("广东", "深圳"),
    ("广东", "东莞"),
    ("广东", "佛山"),
    ("浙江", "杭州"),
    ("浙江", "宁波"),
    ("浙江", "温州"),
    ("江苏", "南京"),
    ("江苏", "苏州"),
    ("江苏", "无锡"),
    ("山东", "济南"),
    ("山东", "青岛"),
    ("福建", "福州"),
    ("福建", "厦门"),
    ("湖北", "武汉"),
    ("湖南", "长沙"),
    ("四川", "成都"),
    ("陕西", "西安"),
    ("河南", "郑州"),
    ("安徽", "合肥"),
    ("辽宁", "沈阳"),
    ("辽宁", "大连"),
    ("吉林", "长春"),
    ("黑龙江", "哈尔滨"),
    ("云南", "昆明"),
    ("广西", "南宁"),
]
AREA = {
    "北京": "010",
    "上海": "021",
    "天津": "022",
    "重庆": "023",
    "广州": "020",
    "深圳": "0755",
    "东莞": "0769",
    "佛山": "0757",
    "杭州": "0571",
    "宁波": "0574",
    "温州": "0577",
    "南京": "025",
    "苏州": "0512",
    "无锡": "0510",
    "济南": "0531",
    "青岛": "0532",
    "福州": "0591",
    "厦门": "0592",
    "武汉": "027",
    "长沙": "0731",
    "成都": "028",
    "西安": "029",
    "郑州": "0371",
    "合肥": "0551",
    "沈阳": "024",
    "大连": "0411",
    "长春": "0431",
    "哈尔滨": "0451",
    "昆明": "0871",
    "南宁": "0771",
}
BRAND_CHARS = (
    "华中国天海新金东方信达通泰安恒瑞宏鑫源盛祥和嘉德利丰隆兴昌明光辉星辰云龙凤鹏飞腾宇博"
    "众诚智慧科创远航长江黄河山峰林森宝玉佳美晶城联合万家百年优品志成永康富贵吉庆福顺"
    "鼎立汇聚亿发合力创新润泽蓝天白云青松翠竹春秋冬夏东南西北中正大小上下前后左右"
    "一二三四五六七八九十金木水火土阳光月亮红黄蓝绿紫橙银铜铁钢石玉珠宝贝"
)
CN_TRADES = [
    "科技",
    "信息科技",
    "网络科技",
    "电子",
    "软件",
    "贸易",
    "商贸",
    "实业",
    "物流",
    "餐饮",
    "食品",
    "医药",
    "生物科技",
    "机械",
    "建筑工程",
    "装饰工程",
    "文化传媒",
    "广告",
    "教育科技",
    "环保科技",
    "新能源",
    "汽车服务",
    "电器",
    "服饰",
    "家居",
    "农业发展",
    "投资管理",
    "咨询",
    "供应链管理",
    "智能科技",
]
CN_FORMS = ["有限公司", "有限公司", "有限公司", "股份有限公司", "有限责任公司", "集团有限公司"]
SYLLABLES = (
    "ac ad al am an ar as at ba be bo br ca ce ch co cr da de di do dr el em en er ev fa fe fi "
    "fl fo fr ga ge gl go gr ha he hi ho in ja jo ka ke ki ko la le li lo lu ma me mi mo mu na "
    "ne ni no nu ob ol om on op or pa pe pi pl po pr qu ra re ri ro ru sa se si so st su ta te "
    "th ti to tr tu un ur va ve vi vo wa we wi wo xa ya yo za ze zo"
).split()
EN_DESCRIPTORS = [
    "Trading",
    "Technologies",
    "Consulting",
    "Logistics",
    "Solutions",
    "Systems",
    "Foods",
    "Engineering",
    "Media",
    "Capital",
    "Partners",
    "Industries",
    "Labs",
    "Software",
    "Design",
    "Health",
    "Energy",
    "Retail",
    "Holdings",
    "Services",
]
EN_FORMS = ["Ltd", "Ltd.", "Limited", "Co., Ltd.", "Inc.", "LLC", "GmbH", "Corp.", "PLC", ""]
EN_CITIES = [
    "London",
    "Manchester",
    "Berlin",
    "Munich",
    "Paris",
    "New York",
    "Chicago",
    "Singapore",
    "Sydney",
    "Toronto",
    "Dubai",
    "Tokyo",
    "Hong Kong",
    "Amsterdam",
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国文辉鹏飞宇浩然"
EN_FIRST = [
    "James",
    "Mary",
    "John",
    "Linda",
    "David",
    "Sarah",
    "Michael",
    "Emma",
    "Daniel",
    "Olivia",
    "Thomas",
    "Sophie",
    "Peter",
    "Anna",
    "Lukas",
    "Chloe",
    "Ravi",
    "Mei",
]
EN_LAST = [
    "Smith",
    "Jones",
    "Brown",
    "Taylor",
    "Wilson",
    "Evans",
    "Muller",
    "Schmidt",
    "Martin",
    "Dubois",
    "Tan",
    "Lee",
    "Patel",
    "Kumar",
    "Garcia",
    "Rossi",
    "Nguyen",
]
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def uscc(rng: random.Random) -> str:
    body = "91" + "".join(rng.choice("0123456789") for _ in range(6))
    body += "".join(rng.choice(USCC_ALPHABET) for _ in range(9))
    total = sum(USCC_ALPHABET.index(c) * pow(3, i, 31) for i, c in enumerate(body))
    return body + USCC_ALPHABET[(31 - total % 31) % 31]


def en_word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3)))).title()


def make_lead(rng: random.Random, i: int) -> dict:
    """Customer number i: unique phones/e-mails/domains (they carry i), shared brands."""
    if rng.random() < 0.6:
        province, city = rng.choice(CITIES)
        brand = "".join(rng.choice(BRAND_CHARS) for _ in range(rng.choice((2, 2, 2, 3))))
        name = brand + rng.choice(CN_TRADES) + rng.choice(CN_FORMS)
        if rng.random() < 0.4:
            name = city + ("市" if rng.random() < 0.3 else "") + name
        person = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if i % 2 else "")
        domain = f"{hashlib.md5(str(i).encode()).hexdigest()[:8]}.com.cn"  # noqa: S324
        lead = {"company_name": name, "province": province, "city": city}
        phone = (
            f"1{rng.choice('3456789')}{i:09d}"
            if rng.random() < 0.7
            else (f"{AREA[city]}-{8_000_0000 + i % 9_999_999}")
        )
    else:
        city = rng.choice(EN_CITIES)
        brand = en_word(rng) + (" " + en_word(rng) if rng.random() < 0.3 else "")
        name = f"{brand} {rng.choice(EN_DESCRIPTORS)} {rng.choice(EN_FORMS)}".strip()
        person = f"{rng.choice(EN_FIRST)} {rng.choice(EN_LAST)}"
        domain = f"{brand.lower().replace(' ', '')}{i}.com"
        lead = {"company_name": name, "province": "", "city": city}
        phone = (
            f"+44 20 {7000_0000 + i % 9_999_999}"
            if rng.random() < 0.5
            else (f"+1 312 {2_000_000 + i % 7_999_999}")
        )
    contacts = [{"name": person, "title": "", "phone": phone, "email": f"c{i}@{domain}"}]
    if rng.random() < 0.3:
        contacts.append({"name": person[::-1], "title": "", "phone": "", "email": f"d{i}@{domain}"})
    lead["contacts"] = contacts
    lead["website"] = f"https://www.{domain}/" if rng.random() < 0.5 else ""
    lead["uscc"] = uscc(rng) if lead["province"] and rng.random() < 0.33 else ""
    return lead


def reentry(rng: random.Random, count: int) -> dict:
    """An existing customer typed again: another legal form / region form, phone reformatted."""
    i = rng.randrange(count)
    lead = make_lead(random.Random(SEED * 7919 + i), i)  # noqa: S311
    name = lead["company_name"]
    for old, new in (
        ("股份有限公司", "有限公司"),
        ("有限责任公司", "有限公司"),
        ("Ltd.", "Limited"),
    ):
        name = name.replace(old, new)
    if lead["province"] and name.startswith(lead["city"]):
        name = name[len(lead["city"]) :].lstrip("市")
    phone = lead["contacts"][0]["phone"]
    if phone.startswith("1") and len(phone) == 11:
        phone = f"+86 {phone[:3]} {phone[3:7]} {phone[7:]}"
    return {"company_name": name, "city": lead["city"], "contacts": [{"name": "x", "phone": phone}]}


def lookalike(rng: random.Random, count: int) -> dict:
    i = rng.randrange(count)
    lead = make_lead(random.Random(SEED * 7919 + i), i)  # noqa: S311
    other_city = rng.choice([c for _, c in CITIES if c != lead["city"]])
    name = lead["company_name"]
    if lead["province"] and name.startswith(lead["city"]):
        name = other_city + name[len(lead["city"]) :].lstrip("市")
    return {
        "company_name": name,
        "city": other_city if lead["province"] else rng.choice(EN_CITIES),
        "contacts": [{"name": "y", "phone": f"1390{rng.randrange(10**7):07d}"}],
    }


def brand_new(rng: random.Random, count: int) -> dict:
    lead = make_lead(rng, count + rng.randrange(10**8))
    return {k: lead[k] for k in ("company_name", "city", "website", "uscc", "contacts")}
