"""Normalisation for duplicate detection (查重), company names.

Pure functions, no database."""

import itertools
import random

import pytest
from pypinyin import Style, lazy_pinyin

from leads.dedupe.normalize import (
    CompanyName,
    normalize_city,
    normalize_company_name,
)

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
