"""Normalisation for duplicate detection (查重), trigram similarity (pg_trgm).

Pure functions, no database."""

import pytest

from leads.dedupe.normalize import (
    normalize_company_name,
    trigram_similarity,
    trigrams,
)


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
