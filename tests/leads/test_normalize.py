"""The normalisation layer of duplicate detection (查重): pure functions, no database."""

import itertools
import random

import pytest
from pypinyin import Style, lazy_pinyin

from leads.dedupe import vocab
from leads.dedupe.normalize import (
    CompanyName,
    PhoneKey,
    company_domain,
    normalize_city,
    normalize_company_name,
    normalize_email,
    normalize_phones,
    normalize_uscc,
    trigram_similarity,
    trigrams,
    uscc_check_digit_ok,
)

# --- Phones ----------------------------------------------------------------------------------

MOBILE = PhoneKey("+8613800138000", True)
MOBILE_2 = PhoneKey("+8613900139000", True)
BEIJING_DESK = PhoneKey("+861065529988", True)


@pytest.mark.parametrize(
    "raw",
    [
        "+86 138 0013 8000",
        "+86-138-0013-8000",
        "+8613800138000",
        "0086-13800138000",
        "0086 138 0013 8000",
        "86 13800138000",
        "8613800138000",
        "13800138000",
        "138-0013-8000",
        "138 0013 8000",
        "１３８００１３８０００",
        "＋８６ １３８ ００１３ ８０００",
        "13800138000（微信同号）",
        "13800138000(微信)",
        "手机：13800138000",
        "手机号 138-0013-8000 微信同号",
        "Mob. 13800138000",
        "Mobile: +86 138 0013 8000",
        "WeChat 13800138000",
        "电话: 13800138000",
        "13800138000 x12",
        "13800138000 ext. 12",
        "13800138000转8001",
    ],
)
def test_phone_spellings_of_one_mobile(raw):
    assert normalize_phones(raw) == [MOBILE]


@pytest.mark.parametrize(
    "raw",
    [
        "(010) 6552 9988",
        "010-65529988",
        "010 6552 9988",
        "+86 10 6552 9988",
        "+86 (0)10 6552 9988",
        "+86 010 65529988",
        "86-10-65529988",
        "0086 10 65529988",
        "Tel: 010-65529988",
        "010-65529988转123",
        "010-65529988 转 123",
        "010-65529988-ext 12",
        "010-65529988 ext.12",
        "010-65529988 x12",
        "010-65529988 分机 8001",
        "010-65529988分机号8001",
        "010-65529988#808",
        "010-65529988-8001",
        "（010）65529988",
    ],
)
def test_phone_spellings_of_one_landline(raw):
    assert normalize_phones(raw) == [BEIJING_DESK]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0755-86013388", "+8675586013388"),
        ("0755 8601 3388", "+8675586013388"),
        ("021-5080 1234", "+862150801234"),
        ("400-800-8888", "+864008008888"),
        ("+44 20 7946 0958", "+442079460958"),
        ("0044 20 7946 0958", "+442079460958"),
        ("+1 650 253 0000", "+16502530000"),
        ("+852 2345 6789", "+85223456789"),
        ("852 2345 6789", "+85223456789"),
        ("+853 2888 8888", "+85328888888"),
        ("+886 2 2345 6789", "+886223456789"),
        ("19912345678", "+8619912345678"),
    ],
)
def test_phone_other_valid_numbers(raw, expected):
    assert normalize_phones(raw) == [PhoneKey(expected, True)]


@pytest.mark.parametrize(
    "raw",
    [
        "13800138000 / 13900139000",
        "13800138000/13900139000",
        "13800138000, 13900139000",
        "13800138000，13900139000",
        "13800138000; 13900139000",
        "13800138000；13900139000",
        "13800138000、13900139000",
        "13800138000 or 13900139000",
        "13800138000 OR 13900139000",
        "13800138000或13900139000",
        "13800138000 13900139000",
        "13800138000-13900139000",
        "13800138000\n13900139000",
        "手机 13800138000（微信同号）/ 13900139000",
    ],
)
def test_phone_several_numbers_in_one_field(raw):
    assert normalize_phones(raw) == [MOBILE, MOBILE_2]


def test_phone_mixed_field_keeps_order_and_kinds():
    raw = "手机：138 0013 8000；电话：(010) 6552 9988 转 12；总机 6552 9900"
    assert normalize_phones(raw) == [
        MOBILE,
        BEIJING_DESK,
        PhoneKey("local:+86:65529900", False),
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("6552 9988", "local:+86:65529988"),
        ("65529988", "local:+86:65529988"),
        ("6552-9988", "local:+86:65529988"),
        ("８６０１３３８８", "local:+86:86013388"),
        ("电话 6552998", "local:+86:6552998"),
    ],
)
def test_phone_cn_landline_without_area_code_is_weak(raw, expected):
    assert normalize_phones(raw) == [PhoneKey(expected, False)]


def test_phone_without_area_code_outside_china_is_skipped():
    assert normalize_phones("6552 9988", region="US") == []


def test_phone_default_region_is_used_for_national_numbers():
    assert normalize_phones("(650) 253-0000", region="US") == [PhoneKey("+16502530000", True)]
    assert normalize_phones("020 7946 0958", region="GB") == [PhoneKey("+442079460958", True)]


def test_phone_duplicates_are_dropped():
    raw = "13800138000 / +86 138 0013 8000 / 0086-13800138000 / 6552 9988 / 65529988"
    assert normalize_phones(raw) == [MOBILE, PhoneKey("local:+86:65529988", False)]


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "无",
        "N/A",
        "微信同号",
        "abc",
        "12345",
        "95555",
        "1380013800",
        "138001380001",
        "0000000",
        "010-1234",
        "+86 123",
    ],
)
def test_phone_garbage_gives_nothing(raw):
    assert normalize_phones(raw) == []


def test_phone_garbage_next_to_a_number_is_skipped():
    assert normalize_phones("12345 / 13800138000 / 无") == [MOBILE]


# --- E-mail ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("zs@example.com", "zs@example.com"),
        ("  ZS@Example.COM  ", "zs@example.com"),
        ("mailto:ZS@Example.com", "zs@example.com"),
        ("MAILTO:zs@example.com?subject=Hello", "zs@example.com"),
        ("Zhang San <ZS@Example.COM>", "zs@example.com"),
        ('"Li, Si" <li.si@huawei.com>', "li.si@huawei.com"),
        ("张三 <zhangsan@example.cn>", "zhangsan@example.cn"),
        ("ＺＳ＠ｅｘａｍｐｌｅ．ｃｏｍ", "zs@example.com"),
        ("zs＠example.com", "zs@example.com"),
        ("zs@example。com", "zs@example.com"),
        ("zs@example.com.", "zs@example.com"),
        ("zs@example.com;", "zs@example.com"),
        ("zs@example.com (work)", "zs@example.com"),
        ("zs [at] example [dot] com", "zs@example.com"),
        ("zs(at)example.com", "zs@example.com"),
        ("user+tag@sub.example.co.uk", "user+tag@sub.example.co.uk"),
        ("first.last@example.com.cn", "first.last@example.com.cn"),
        ("a@x.com; b@y.com", "a@x.com"),
        ("邮箱：zs@example.com", "zs@example.com"),
    ],
)
def test_email_normalised(raw, expected):
    assert normalize_email(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "none",
        "zs",
        "zs@",
        "@example.com",
        "zs@example",
        "zs@example.c",
        "zs@@example.com",
        "zs..x@example.com",
        "zs@-example.com",
        "zs@exa_mple.com",
        "Zhang San <>",
        "www.example.com",
    ],
)
def test_email_rejected(raw):
    assert normalize_email(raw) is None


# --- Company domains ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://www.Huawei.com/cn/about", "huawei.com"),
        ("HTTPS://WWW.HUAWEI.COM", "huawei.com"),
        ("www.huawei.com.cn", "huawei.com.cn"),
        ("huawei.com", "huawei.com"),
        ("huawei.com/", "huawei.com"),
        ("//huawei.com", "huawei.com"),
        ("  https://www.huawei.com  ", "huawei.com"),
        ("http://shop.example.co.uk:8080/x", "example.co.uk"),
        ("http://user:secret@example.com:80/path", "example.com"),
        ("ftp://files.acme.cn/pub", "acme.cn"),
        ("acme.com/path?q=1#top", "acme.com"),
        ("www.example.com.", "example.com"),
        ("ｗｗｗ．ｈｕａｗｅｉ．ｃｏｍ", "huawei.com"),
        ("www.huawei.com；www.honor.com", "huawei.com"),
        ("li@huawei.com", "huawei.com"),
        ("LI@Mail.Huawei.COM", "huawei.com"),
        ("Zhang San <li@huawei.com>", "huawei.com"),
        ("mailto:li@huawei.com", "huawei.com"),
        ("https://foo.github.io/bar", "foo.github.io"),
        ("abc.blogspot.com", "abc.blogspot.com"),
        ("https://www.baidu.com", "baidu.com"),
        ("https://corp.163yun.com", "163yun.com"),
        ("http://中文.中国", "中文.中国"),
    ],
)
def test_company_domain(raw, expected):
    assert company_domain(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "zs@qq.com",
        "zs@QQ.COM",
        "zs@vip.qq.com",
        "zs@foxmail.com",
        "zs@163.com",
        "zs@vip.163.com",
        "zs@126.com",
        "zs@yeah.net",
        "zs@sina.com",
        "zs@sina.cn",
        "zs@sohu.com",
        "zs@139.com",
        "zs@189.cn",
        "zs@aliyun.com",
        "zs@21cn.com",
        "zs@tom.com",
        "zs@163.net",
        "zs@gmail.com",
        "zs@googlemail.com",
        "zs@outlook.com",
        "zs@hotmail.com",
        "zs@live.com",
        "zs@msn.com",
        "zs@yahoo.com",
        "zs@yahoo.com.cn",
        "zs@icloud.com",
        "zs@me.com",
        "zs@aol.com",
        "zs@proton.me",
        "zs@protonmail.com",
        "zs@gmx.de",
        "zs@gmx.net",
        "zs@web.de",
        "zs@mail.ru",
        "zs@yandex.ru",
        "https://mail.qq.com",
        "www.163.com",
    ],
)
def test_company_domain_free_mail_is_none(raw):
    assert company_domain(raw) is None


@pytest.mark.parametrize(
    "raw",
    [
        "https://shop123456.taobao.com",
        "https://acme.tmall.com/",
        "https://mall.jd.com/index-1000.html",
        "https://shop1234.1688.com",
        "https://weibo.com/acme",
        "https://mp.weixin.qq.com/s/abcdef",
        "https://www.douyin.com/user/x",
        "https://www.facebook.com/acme",
        "https://www.linkedin.com/company/acme",
        "https://github.com/acme",
        "https://github.io",
        "wixsite.com",
        "https://baike.baidu.com/item/acme",
        "https://www.xiaohongshu.com/user/profile/1",
        "https://www.qcc.com/firm/abc.html",
        "https://sites.google.com/view/acme",
    ],
)
def test_company_domain_platforms_are_none(raw):
    assert company_domain(raw) is None


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "-",
        "无",
        "n/a",
        "www",
        "localhost",
        "http://",
        "http://192.168.1.1/admin",
        "10.0.0.8:8080",
        "http://[::1]/",
        "http://exa mple.com",
        "a@b",
        "not a website",
        "http://-acme-.com",
        "com",
        "co.uk",
    ],
)
def test_company_domain_garbage_is_none(raw):
    assert company_domain(raw) is None


# --- USCC (统一社会信用代码) -------------------------------------------------------------------

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def with_check_digit(first17: str) -> str:
    """GB 32100-2015: weights 3^i mod 31, c18 = (31 - sum % 31) % 31."""
    total = sum(USCC_ALPHABET.index(ch) * pow(3, i, 31) for i, ch in enumerate(first17))
    return first17 + USCC_ALPHABET[(31 - total % 31) % 31]


# Published codes (深圳市腾讯计算机系统有限公司, 华为技术有限公司, 阿里巴巴(中国)有限公司,
# 小米科技有限责任公司, 北京百度网讯科技有限公司); each passes the check.
REAL_USCC = [
    "91440300708461136T",
    "914403001922038216",
    "91330100716105852F",
    "91110108551385082Q",
    "91110000802100433B",
]
GENERATED_USCC = [
    with_check_digit(body)
    for body in [
        "91110105MA00A8XB8",
        "91310000MA1FL1MMX",
        "12100000400000123",
        "52440300MJL123456",
        "92330106MA2H12345",
        "93320500MA1NABCDE",
        "31110000MD0123456",
        "11100000000013527",
    ]
]


def test_check_digit_helper_agrees_with_real_codes():
    for code in REAL_USCC:
        assert with_check_digit(code[:17]) == code


@pytest.mark.parametrize("code", REAL_USCC + GENERATED_USCC)
def test_uscc_valid_codes(code):
    assert uscc_check_digit_ok(code)
    assert normalize_uscc(code) == code


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("91440300708461136t", "91440300708461136T"),
        (" 9144 0300 7084 6113 6T ", "91440300708461136T"),
        ("9144-0300-7084-6113-6T", "91440300708461136T"),
        ("９１４４０３００７０８４６１１３６Ｔ", "91440300708461136T"),
        ("9I44O3OO7O846II36T", "91440300708461136T"),
        ("914403OO1922O38216", "914403001922038216"),
        ("914403001922038216\n", "914403001922038216"),
    ],
)
def test_uscc_cleanup(raw, expected):
    assert normalize_uscc(raw) == expected


@pytest.mark.parametrize("code", REAL_USCC + GENERATED_USCC)
def test_uscc_every_single_character_change_is_caught(code):
    for position in range(18):
        for replacement in USCC_ALPHABET:
            if replacement == code[position]:
                continue
            changed = code[:position] + replacement + code[position + 1 :]
            assert not uscc_check_digit_ok(changed), changed


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "91440300708461136",
        "91440300708461136TT",
        "91440300708461136X",
        "91440300708461136S",
        "9144030070846113ZT",
        "110108000000016",
        "abcdefghijklmnopqr",
        "无",
    ],
)
def test_uscc_invalid(raw):
    assert normalize_uscc(raw) is None
    assert not uscc_check_digit_ok(raw)


def test_uscc_check_digit_ok_wants_the_canonical_alphabet():
    assert not uscc_check_digit_ok("9I44O3OO7O846II36T")
    assert not uscc_check_digit_ok(None)


# --- Cities ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("北京", "beijing"),
        ("北京市", "beijing"),
        ("Beijing", "beijing"),
        ("beijing shi", "beijing"),
        ("BEIJING", "beijing"),
        ("Beijing City", "beijing"),
        ("Beijing, China", "beijing"),
        ("中国北京", "beijing"),
        ("上海市", "shanghai"),
        ("Shanghai", "shanghai"),
        ("重庆", "chongqing"),
        ("重慶市", "chongqing"),
        ("天津", "tianjin"),
        ("广州市", "guangzhou"),
        ("廣州", "guangzhou"),
        ("Guangzhou City", "guangzhou"),
        ("深圳", "shenzhen"),
        ("深圳市南山区", "shenzhen"),
        ("广东省深圳市", "shenzhen"),
        ("Shenzhen 深圳", "shenzhen"),
        ("长沙", "changsha"),
        ("长治市", "changzhi"),
        ("厦门", "xiamen"),
        ("漯河", "luohe"),
        ("西安市", "xian"),
        ("Xi'an", "xian"),
        ("Xi An", "xian"),
        ("乌鲁木齐", "wulumuqi"),
        ("Ürümqi", "wulumuqi"),
        ("Urumqi", "wulumuqi"),
        ("吉林市", "jilin"),
        ("恩施州", "enshi"),
        ("恩施土家族苗族自治州", "enshi"),
        ("延边朝鲜族自治州", "yanbian"),
        ("大兴安岭地区", "daxinganling"),
        ("阿拉善盟", "alashan"),
        ("昆山", "kunshan"),
        ("昆山市", "kunshan"),
        ("义乌", "yiwu"),
        ("张家港市", "zhangjiagang"),
        ("海淀区", "haidian"),
        ("香港", "hongkong"),
        ("香港特別行政區", "hongkong"),
        ("Hong Kong", "hongkong"),
        ("HongKong", "hongkong"),
        ("Hong Kong SAR", "hongkong"),
        ("澳门", "macau"),
        ("澳門", "macau"),
        ("Macao", "macau"),
        ("Macau", "macau"),
        ("台北", "taipei"),
        ("臺北市", "taipei"),
        ("Taipei", "taipei"),
        ("高雄", "gaoxiong"),
        ("Kaohsiung", "gaoxiong"),
        ("London", "london"),
        ("New York City", "newyork"),
        ("São Paulo", "saopaulo"),
        ("Zürich", "zurich"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_normalize_city(raw, expected):
    assert normalize_city(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("广东", "guangdong"),
        ("广东省", "guangdong"),
        ("新疆维吾尔自治区", "xinjiang"),
        ("广西壮族自治区", "guangxi"),
        ("内蒙古", "neimenggu"),
        ("Inner Mongolia", "neimenggu"),
    ],
)
def test_normalize_city_of_a_province_is_its_pinyin(raw, expected):
    assert normalize_city(raw) == expected


def test_region_vocabulary_is_complete_and_clean():
    assert len(vocab.PROVINCES) == 34
    assert len(vocab.PREFECTURE_CITIES) == 293
    assert len(vocab.PREFECTURE_OTHER) == 40  # 30 自治州 + 7 地区 + 3 盟
    fulls = [full for _, full in vocab.PREFECTURE_OTHER]
    assert sum(full.endswith("自治州") for full in fulls) == 30
    assert sum(full.endswith("地区") for full in fulls) == 7
    assert sum(full.endswith("盟") for full in fulls) == 3
    names = [*vocab.PREFECTURE_CITIES, *(s for s, _ in vocab.PREFECTURE_OTHER)]
    assert len(names) == len(set(names)) == 333
    for name in [*names, *vocab.COUNTY_CITIES, *vocab.TAIWAN_CITIES]:
        assert not name.endswith(("市", "省")), name
    assert not set(vocab.COUNTY_CITIES) & set(names)
    assert vocab.AMBIGUOUS_BARE <= set(names) | set(vocab.COUNTY_CITIES) | set(vocab.TAIWAN_CITIES)


@pytest.mark.parametrize(
    "name",
    [*vocab.PREFECTURE_CITIES, *vocab.COUNTY_CITIES, *vocab.TAIWAN_CITIES],
)
def test_every_city_has_one_ascii_key(name):
    key = normalize_city(name)
    assert key and key.isascii() and key.isalpha() and key.islower(), (name, key)
    assert normalize_city(name + "市") == key
    assert normalize_city(key) == key  # the Latin spelling leads to the same key


def test_city_keys_are_pinyin_unless_overridden():
    for name in vocab.PREFECTURE_CITIES:
        expected = vocab.PINYIN_OVERRIDES.get(name) or "".join(
            lazy_pinyin(name, style=Style.NORMAL)
        )
        assert normalize_city(name) == expected


# --- Company names -----------------------------------------------------------------------------

SAME_COMPANY_GROUPS = [
    ["深圳市腾讯计算机系统有限公司", "腾讯计算机系统有限公司", "騰訊計算機系統有限公司",
     "腾讯计算机系统（深圳）有限公司", "深圳腾讯计算机系统有限公司",
     "腾讯计算机系统有限公司北京分公司",
     "广东省深圳市腾讯计算机系统有限公司", "腾讯 计算机系统 有限公司"],
    ["Acme Trading Co., Ltd.", "ACME TRADING CO LTD", "Acme Trading Company Limited",
     "acme trading", "Acme Trading Co.,Ltd", "Acme Trading Co. Ltd.", "ACME TRADING LIMITED",
     "Acme Trading Ltd.", "Acme Trading Inc.", "Acme Trading, Inc", "Acme Trading LLC",
     "Acme Trading L.L.C.", "Acme Trading Corp.", "Acme Trading Corporation",
     "Acme Trading (Shanghai) Co., Ltd.", "Shanghai Acme Trading Co., Ltd.",
     "Acme Trading Co., Ltd. Beijing Branch", "ＡＣＭＥ　ＴＲＡＤＩＮＧ　ＣＯ．，ＬＴＤ．",
     "The Acme Trading Company", "Acme Trading Pte. Ltd.", "Acme Trading Pty Ltd",
     "Acme Trading GmbH", "Acme Trading AG", "Acme Trading S.A.", "Acme Trading SARL",
     "Acme Trading S.A.R.L.", "Acme Trading B.V.", "Acme Trading BV", "Acme Trading N.V.",
     "Acme Trading Oy", "Acme Trading AB", "Acme Trading K.K.", "Acme Trading PLC",
     "Acme Trading Incorporated", "Acme Trading Co", "Acme Trading GmbH & Co. KG",
     "Acme Trading (Hong Kong) Limited", "Acme Trading Sdn. Bhd."],
    ["Smith & Sons Ltd", "Smith and Sons Limited", "Smith ＆ Sons", "SMITH&SONS LTD."],
    ["北京字节跳动科技有限公司", "北京市字节跳动科技有限公司", "字节跳动科技(北京)有限公司",
     "字节跳动科技（北京市）有限公司", "字节跳动科技有限公司", "【北京】字节跳动科技有限公司"],
    ["ＡＢＣ科技有限公司", "ABC科技有限公司", "abc科技有限公司", "ABC 科技 有限公司"],
    ["华为技术有限公司", "华为技术（深圳）有限公司", "華為技術有限公司", "深圳市华为技术有限公司"],
    ["招商银行股份有限公司", "招商银行股份有限公司北京分行", "招商银行股份有限公司深圳分行"],
    ["星辰信息科技有限公司", "北京星辰信息科技有限公司", "星辰信息科技有限责任公司",
     "星辰信息科技股份有限公司", "星辰信息科技股份公司", "星辰信息科技公司", "星辰信息科技有限"],
    ["宏远集团股份有限公司", "宏远集团有限公司", "宏远集团公司", "宏远集团"],
    ["鑫源投资合伙企业（有限合伙）", "鑫源投资合伙企业(有限合伙)", "鑫源投资合伙企业"],
    ["杭州星海贸易商行", "星海贸易商行", "星海贸易"],
    ["北京市海淀区星辰软件有限公司", "北京星辰软件有限公司", "星辰软件有限公司"],
    ["Nestlé S.A.", "Nestle SA", "NESTLÉ"],
]  # fmt: skip


@pytest.mark.parametrize("group", SAME_COMPANY_GROUPS, ids=lambda g: g[0])
def test_spellings_of_one_company_share_core_brand_and_pinyin(group):
    names = [normalize_company_name(raw) for raw in group]
    cores = {n.core for n in names}
    assert len(cores) == 1, {raw: n.core for raw, n in zip(group, names, strict=True)}
    assert len({n.brand for n in names}) == 1
    assert len({n.pinyin for n in names}) == 1


@pytest.mark.parametrize(
    ("raw", "core", "brand", "pinyin", "city"),
    [
        ("深圳市腾讯计算机系统有限公司", "腾讯计算机系统", "腾讯", "tengxunjisuanjixitong",
         "shenzhen"),
        ("腾讯计算机系统有限公司", "腾讯计算机系统", "腾讯", "tengxunjisuanjixitong", ""),
        ("北京字节跳动科技有限公司", "字节跳动科技", "字节跳动", "zijietiaodongkeji", "beijing"),
        ("字节跳动科技(北京)有限公司", "字节跳动科技", "字节跳动", "zijietiaodongkeji", "beijing"),
        ("华为技术（深圳）有限公司", "华为技术", "华为", "huaweijishu", "shenzhen"),
        ("广东省深圳市大疆创新科技有限公司", "大疆创新科技", "大疆", "dajiangchuangxinkeji",
         "shenzhen"),
        ("广东美的集团股份有限公司", "美的集团", "美的", "meidejituan", ""),
        ("苏州昆山星辰电子有限公司", "星辰电子", "星辰", "xingchendianzi", "kunshan"),
        ("腾讯科技有限公司北京分公司", "腾讯科技", "腾讯", "tengxunkeji", "beijing"),
        ("招商银行股份有限公司北京分行", "招商银行", "招商", "zhaoshangyinhang", "beijing"),
        ("星辰科技有限公司深圳南山分公司", "星辰科技", "星辰", "xingchenkeji", "shenzhen"),
        ("星辰科技有限公司（上海）", "星辰科技", "星辰", "xingchenkeji", "shanghai"),
        ("恩施州硒茶有限公司", "硒茶", "硒茶", "xicha", "enshi"),
        ("中山市华艺灯饰照明股份有限公司", "华艺灯饰照明", "华艺", "huayidengshizhaoming",
         "zhongshan"),
        ("Acme Trading Co., Ltd.", "acmetrading", "acme", "acmetrading", ""),
        ("Beijing Acme Trading Co., Ltd.", "acmetrading", "acme", "acmetrading", "beijing"),
        ("Acme Trading (Shenzhen) Co., Ltd.", "acmetrading", "acme", "acmetrading", "shenzhen"),
        ("Hong Kong Acme Holdings Ltd", "acmeholdings", "acme", "acmeholdings", "hongkong"),
        ("Xi'an Acme Software Co., Ltd.", "acmesoftware", "acme", "acmesoftware", "xian"),
        ("Huawei Technologies Co., Ltd. Shenzhen Branch", "huaweitechnologies", "huawei",
         "huaweitechnologies", "shenzhen"),
        ("Acme Ltd Beijing Representative Office", "acme", "acme", "acme", "beijing"),
        ("Acme Software Ltd. Branch", "acmesoftware", "acme", "acmesoftware", ""),
        ("Olive Branch Ltd", "olivebranch", "olivebranch", "olivebranch", ""),
        ("Smith & Sons Ltd", "smithandsons", "smithandsons", "smithandsons", ""),
        ("The Coca-Cola Company", "cocacola", "cocacola", "cocacola", ""),
        ("Johnson & Johnson", "johnsonandjohnson", "johnsonandjohnson", "johnsonandjohnson", ""),
        ("Procter & Gamble Co.", "procterandgamble", "procterandgamble", "procterandgamble", ""),
        ("ＡＢＣ科技有限公司", "abc科技", "abc", "abckeji", ""),
        ("360安全科技股份有限公司", "360安全科技", "360安全", "360anquankeji", ""),
        ("阿里巴巴（中国）网络技术有限公司", "阿里巴巴网络技术", "阿里巴巴",
         "alibabawangluojishu", ""),
        ("重庆长安汽车股份有限公司", "长安汽车", "长安", "changanqiche", "chongqing"),
    ],
)  # fmt: skip
def test_company_name_parts(raw, core, brand, pinyin, city):
    assert normalize_company_name(raw) == CompanyName(core, brand, pinyin, city)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("北京华联超市", "上海华联超市"),
        ("北京华联超市有限公司", "上海华联超市有限公司"),
        ("华联超市（北京）", "华联超市（上海）"),
        ("Beijing Acme Trading Co", "Shanghai Acme Trading Co"),
    ],
)
def test_same_core_in_different_cities(a, b):
    left, right = normalize_company_name(a), normalize_company_name(b)
    assert left.core == right.core
    assert left.city and right.city and left.city != right.city


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("星辰科技", "星海科技"),
        ("星辰科技有限公司", "星海科技有限公司"),
        ("北京星辰科技有限公司", "北京星海科技有限公司"),
        ("腾讯科技有限公司", "腾飞科技有限公司"),
        ("Acme Trading Co., Ltd.", "Apex Trading Co., Ltd."),
        ("Smith & Sons Ltd", "Smith & Daughters Ltd"),
        ("重庆啤酒股份有限公司", "青岛啤酒股份有限公司"),
        ("北京银行股份有限公司", "上海银行股份有限公司"),
        ("中国银行股份有限公司", "中国建设银行股份有限公司"),
        ("北京大学", "清华大学"),
        ("星辰科技", "星辰"),
    ],
)
def test_different_companies_stay_different(a, b):
    left, right = normalize_company_name(a), normalize_company_name(b)
    assert left.core != right.core


def test_brands_of_different_companies_differ():
    assert normalize_company_name("星辰科技").brand == "星辰"
    assert normalize_company_name("星海科技").brand == "星海"


@pytest.mark.parametrize(
    ("raw", "core", "city"),
    [
        # Nothing but a region: kept, and still the city.
        ("北京", "北京", "beijing"),
        ("北京市", "北京市", "beijing"),
        ("Beijing Ltd", "beijing", "beijing"),
        # Only trade words after the region: the region is part of the name.
        ("北京银行股份有限公司", "北京银行", "beijing"),
        ("上海电气集团股份有限公司", "上海电气集团", "shanghai"),
        ("重庆啤酒股份有限公司", "重庆啤酒", "chongqing"),
        ("北京大学", "北京大学", "beijing"),
        ("Beijing Trading Co", "beijingtrading", "beijing"),
        # Ambiguous bare names are not regions at the front without their suffix.
        ("中山大学", "中山大学", ""),
        ("三明治餐饮管理有限公司", "三明治餐饮管理", ""),
        ("阿里巴巴（中国）有限公司", "阿里巴巴", ""),
        ("白银期货经纪有限公司", "白银期货经纪", ""),
        ("东方航空股份有限公司", "东方航空", ""),
        ("中山市星辰科技有限公司", "星辰科技", "zhongshan"),
        # Province only: stripped, no city.
        ("广东星辰科技有限公司", "星辰科技", ""),
        ("浙江省星辰科技有限公司", "星辰科技", ""),
        ("Guangdong Acme Co Ltd", "acme", ""),
        # A province that is one city.
        ("上海星辰科技有限公司", "星辰科技", "shanghai"),
        # Districts after a city prefix.
        ("上海市浦东新区星辰软件有限公司", "星辰软件", "shanghai"),
        ("深圳市智链区块链科技有限公司", "智链区块链科技", "shenzhen"),
        # A region left at the end once the legal form is gone.
        ("中国移动通信集团广东有限公司", "中国移动通信集团", ""),
        ("星辰科技集团深圳有限公司", "星辰科技集团", "shenzhen"),
        ("老北京布鞋", "老北京布鞋", ""),
        # "市" that belongs to the next word.
        ("北京市场营销策划有限公司", "市场营销策划", "beijing"),
        ("北京市政工程有限公司", "市政工程", "beijing"),
        # Legal forms alone or empty input.
        ("有限公司", "有限公司", ""),
        ("Limited", "limited", ""),
        ("", "", ""),
        ("   ", "", ""),
        ("（）", "", ""),
    ],
)
def test_company_name_edge_cases(raw, core, city):
    name = normalize_company_name(raw)
    assert (name.core, name.city) == (core, city)
    if name.core:
        assert name.brand
    else:
        assert name.brand == name.pinyin == ""


@pytest.mark.parametrize(
    ("raw", "brand"),
    [
        ("腾讯计算机系统有限公司", "腾讯"),
        ("星辰信息技术有限公司", "星辰"),
        ("宏远国际贸易有限公司", "宏远"),
        ("鑫源供应链管理有限公司", "鑫源"),
        ("盛世文化传媒有限公司", "盛世"),
        ("安泰新能源科技有限公司", "安泰"),
        ("华联超市", "华联"),
        ("科技有限公司", "科技"),
        ("信息技术有限公司", "信息技术"),
        ("云科技有限公司", "云科技"),
        ("Acme Software Solutions Ltd", "acme"),
        ("Acme Global Logistics Group Holdings", "acme"),
        ("IBM Global Services", "ibm"),
        ("HP Technologies", "hptechnologies"),
        ("Global Trading Ltd", "global"),
        ("ABC科技", "abc"),
        ("AB科技", "ab科技"),
        ("中国电信股份有限公司北京分公司", "中国电信"),
        ("北京银行股份有限公司", "北京银行"),
        ("温州星辰鞋业有限公司", "星辰"),
    ],
)
def test_brand(raw, brand):
    assert normalize_company_name(raw).brand == brand


COMPANY_SAMPLES = [
    "深圳市腾讯计算机系统有限公司",
    "重庆长安汽车股份有限公司",
    "长沙银行股份有限公司",
    "厦门航空有限公司",
    "北京字节跳动科技有限公司",
    "ABC科技有限公司",
    "360安全科技股份有限公司",
    "行长银行",
    "音乐之声",
    "蚌埠星辰科技",
    "Acme Trading Co., Ltd.",
    "株式会社ソニー",
]


@pytest.mark.parametrize("raw", COMPANY_SAMPLES)
def test_company_pinyin_is_pypinyin_of_core(raw):
    name = normalize_company_name(raw)
    assert name.pinyin == "".join(lazy_pinyin(name.core, style=Style.NORMAL))


def test_company_pinyin_matches_pypinyin_on_random_names():
    rng = random.Random(7)
    chars = "星辰海蓝天华联腾飞云智恒达鑫源宏远博创新锐金桥瑞丰嘉禾盛世安泰长行重乐调都朝"
    trades = ["科技", "银行", "重工", "长江", "音乐", "调度", "都市", ""]
    for _ in range(300):
        core = "".join(rng.sample(chars, rng.randint(2, 5))) + rng.choice(trades)
        name = normalize_company_name(core + "有限公司")
        assert name.pinyin == "".join(lazy_pinyin(name.core, style=Style.NORMAL)), core


@pytest.mark.parametrize("raw", list(itertools.chain.from_iterable(SAME_COMPANY_GROUPS)))
def test_core_has_only_letters_digits_and_hanzi(raw):
    name = normalize_company_name(raw)
    assert name.core == name.core.lower()
    assert all(ch.isalnum() for ch in name.core)
    assert name.brand and name.core.startswith(name.brand)
    assert name.pinyin.isascii() or not name.core.isascii()


def test_company_name_is_idempotent_on_core():
    for raw in itertools.chain.from_iterable(SAME_COMPANY_GROUPS):
        core = normalize_company_name(raw).core
        assert normalize_company_name(core).core == core, raw


def test_city_from_company_name_matches_normalize_city():
    assert normalize_company_name("北京字节跳动科技有限公司").city == normalize_city("北京市")
    assert normalize_company_name("华为技术（深圳）有限公司").city == normalize_city("Shenzhen")
    assert normalize_company_name("Acme (Hong Kong) Ltd").city == normalize_city("香港")
    assert normalize_company_name("长治市星辰科技有限公司").city == normalize_city("Changzhi")


# --- Trigrams (pg_trgm) ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cat", {"  c", " ca", "cat", "at "}),
        ("CAT", {"  c", " ca", "cat", "at "}),
        ("a", {"  a", " a "}),
        ("ab", {"  a", " ab", "ab "}),
        ("a-b", {"  a", " a ", "  b", " b "}),
        ("foo bar", {"  f", " fo", "foo", "oo ", "  b", " ba", "bar", "ar "}),
        ("  foo,,foo  ", {"  f", " fo", "foo", "oo "}),
        ("星辰科技", {"  星", " 星辰", "星辰科", "辰科技", "科技 "}),
        ("x_y", {"  x", " x ", "  y", " y "}),
        ("", set()),
        ("--- ,,", set()),
    ],
)
def test_trigrams_like_pg_trgm_show_trgm(text, expected):
    assert trigrams(text) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("word", "two words", 4 / 11),  # PostgreSQL documentation: 0.363636
        ("cat", "cat", 1.0),
        ("cat", "CAT", 1.0),
        ("cat", "dog", 0.0),
        ("", "", 0.0),
        ("", "cat", 0.0),
        ("星辰科技", "星海科技", 2 / 8),
        ("acme trading", "acme trade", 9 / 15),
    ],
)
def test_trigram_similarity_like_pg_trgm(a, b, expected):
    assert trigram_similarity(a, b) == pytest.approx(expected)
    assert trigram_similarity(b, a) == pytest.approx(expected)


def test_trigram_similarity_of_brands():
    same = trigram_similarity(
        normalize_company_name("北京星辰信息科技有限公司").brand,
        normalize_company_name("星辰信息技术（北京）有限公司").brand,
    )
    different = trigram_similarity(
        normalize_company_name("星辰科技有限公司").brand,
        normalize_company_name("宏远科技有限公司").brand,
    )
    assert same == 1.0
    assert different == 0.0
