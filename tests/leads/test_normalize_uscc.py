"""Normalisation for duplicate detection (查重), credit codes (USCC, 统一社会信用代码).

Pure functions, no database."""

import pytest

from leads.dedupe.normalize import (
    normalize_uscc,
    uscc_check_digit_ok,
)

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
