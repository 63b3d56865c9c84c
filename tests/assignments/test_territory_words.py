"""Territory rules in plain words (the `territory` template filters the rules console, the
rules page and the lead page share)."""

from datetime import timedelta

import pytest
from django.utils import translation

from assignments.models import TerritoryRule
from assignments.templatetags.territory import (
    condition_words,
    conditions_words,
    duration_words,
    route_sentences,
    target_words,
)


@pytest.mark.parametrize(
    ("condition", "words"),
    [
        ({"field": "province", "op": "equals", "value": "浙江"}, "province is 浙江"),
        (
            {"field": "province", "op": "in", "value": ["浙江", "江苏"]},
            "province is one of 浙江, 江苏",
        ),
        ({"field": "city", "op": "not_in", "value": ["杭州"]}, "city is none of 杭州"),
        ({"field": "industry", "op": "contains", "value": "软件"}, "industry contains “软件”"),
        (
            {"field": "size", "op": "range", "value": {"min": "10-49", "max": "250-999"}},
            "size between 10–49 employees and 250–999 employees",
        ),
        (
            {"field": "size", "op": "range", "value": {"min": "250-999"}},
            "size 250–999 employees or larger",
        ),
        (
            {"field": "size", "op": "range", "value": {"max": "1-9"}},
            "size 1–9 employees or smaller",
        ),
        (
            {"field": "size", "op": "in", "value": ["1-9", "1000+"]},
            "size is one of 1–9 employees, 1000+ employees",
        ),
        ({"field": "kind", "op": "equals", "value": "individual"}, "kind is Individual"),
        (
            {"field": "country", "op": "in", "value": ["CN", "US"]},
            "country is one of China, United States",
        ),
        ({"field": "tags", "op": "equals", "value": "vip"}, "tags include vip"),
        ({"field": "tags", "op": "in", "value": ["vip", "a"]}, "tags include one of vip, a"),
        ({"field": "tags", "op": "not_in", "value": ["vip"]}, "tags include none of vip"),
        ({"field": "tags", "op": "contains", "value": "展会"}, "a tag contains “展会”"),
    ],
)
def test_condition_words(condition, words):
    with translation.override("en"):
        assert condition_words(condition) == words


def test_conditions_in_chinese_use_the_chinese_labels():
    with translation.override("zh-hans"):
        words = conditions_words(
            [
                {"field": "province", "op": "in", "value": ["浙江", "江苏"]},
                {"field": "size", "op": "range", "value": {"min": "10-49"}},
                {"field": "country", "op": "equals", "value": "CN"},
            ]
        )
    assert "省份" in words and "规模" in words and "10–49 人" in words and "中国" in words
    assert "province" not in words


def test_target_words_from_a_rule_rule_data_and_the_api_shape(team, rep):
    with translation.override("en"):
        rule = TerritoryRule(name="x", target_kind="round_robin", target_team=team)
        assert target_words(rule) == "East team, round robin"
        rule = TerritoryRule(name="x", target_kind="rep", target_rep=rep)
        assert target_words(rule) == "Alice Rep (named rep)"
        assert target_words({"target_kind": "least_loaded", "target_team_id": team.pk}) == (
            "East team, least loaded rep"
        )
        assert target_words(
            {"target_kind": "team_pool", "target_team": {"id": 1, "name": "华东"}}
        ) == ("the 华东 team's pool")
        assert target_words({"target": {"kind": "rep", "rep": rep.pk}}) == "Alice Rep (named rep)"
        assert target_words({"target": {"kind": "public_pool"}}) == "the public pool"
        assert conditions_words([]) == "every new customer"


def test_duration_words():
    with translation.override("en"):
        assert duration_words(timedelta(days=7)) == "7 days"
        assert duration_words(timedelta(days=1, hours=12)) == "1 day 12 hours"
        assert duration_words(timedelta(hours=1)) == "1 hour"
        assert duration_words(timedelta(0)) == "none"


def test_route_sentences_of_a_named_rep_who_could_not_take_it():
    details = {
        "via": "routing",
        "rule": {"id": 4, "name": "VIP", "version": 2},
        "matched": [{"field": "tags", "op": "contains", "value": "vip", "actual": ["VIP", "展会"]}],
        "method": "rep",
        "skipped": [{"id": 1, "name": "Alice", "load": 0, "capacity": 30, "reason": "inactive"}],
        "team": None,
        "fallback": "public_pool",
    }
    with translation.override("en"):
        assert route_sentences(details) == [
            "Routed by rule “VIP” (version 2): a tag contains “vip” (“VIP, 展会”).",
            "Nobody could take it; it went to the public pool.",
            "Skipped: Alice (deactivated).",
        ]
