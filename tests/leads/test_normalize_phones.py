"""Normalisation for duplicate detection (查重), phone numbers.

Pure functions, no database."""

import pytest

from leads.dedupe.normalize import (
    PhoneKey,
    normalize_phones,
)

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
