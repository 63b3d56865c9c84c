"""Normalisation for duplicate detection (查重), cities, provinces and region lists.

Pure functions, no database."""

import pytest
from pypinyin import Style, lazy_pinyin

from leads.dedupe import vocab
from leads.dedupe.normalize import (
    normalize_city,
)


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
