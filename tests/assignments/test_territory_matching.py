"""Matching territory rules (`assignments.territory`): every operator on every kind of field,
Chinese and English spellings of one place, the validation of what an admin types, and which
rep of a team gets the next customer. Pure functions: no database."""

import pytest

from assignments.exceptions import InvalidRule
from assignments.territory import (
    MAX_CONDITIONS,
    MAX_VALUE_LENGTH,
    MAX_VALUES,
    Candidate,
    Condition,
    Rule,
    choose_rep,
    clean_condition,
    clean_conditions,
    first_match,
    lead_values,
)


def holds(field, op, value, actual) -> bool:
    """Does a cleaned condition hold for a customer whose `field` is `actual`?"""
    condition = Condition.compile(clean_condition({"field": field, "op": op, "value": value}))
    return condition.holds(lead_values({field: actual}))


# --- regions: one place, many spellings ------------------------------------------------------
ZHEJIANG = [
    "浙江",
    "浙江省",
    "Zhejiang",
    "Zhejiang Province",
    "zhejiang",
    "ＺＨＥＪＩＡＮＧ",
    " 浙江 ",
]


@pytest.mark.parametrize("rule_value", ZHEJIANG)
@pytest.mark.parametrize("actual", ZHEJIANG)
def test_province_equals_across_scripts_suffixes_case_and_width(rule_value, actual):
    assert holds("province", "equals", rule_value, actual)


@pytest.mark.parametrize(
    ("rule_value", "actual"),
    [
        ("杭州市", "Hangzhou"),
        ("Hangzhou", "杭州市"),
        ("杭州", "杭州市"),
        ("HANGZHOU", "hangzhou"),
        ("北京", "北京市"),
        ("Beijing", "北京市"),
        ("内蒙古", "内蒙古自治区"),
        ("Inner Mongolia", "内蒙古自治区"),
        ("新疆", "新疆维吾尔自治区"),
        ("广西", "广西壮族自治区"),
        ("香港", "香港特别行政区"),
    ],
)
def test_region_spellings_that_are_one_place(rule_value, actual):
    # Province and city are both regions: they compare alike.
    assert holds("city", "equals", rule_value, actual)
    assert holds("province", "equals", rule_value, actual)


@pytest.mark.parametrize(
    ("rule_value", "actual"),
    [
        ("山西", "陕西"),  # both "shanxi" in pinyin, two provinces
        ("陕西", "山西省"),
        ("浙江", "江苏"),
        ("Zhejiang", "Jiangsu Province"),
        ("杭州", "宁波"),
    ],
)
def test_region_spellings_that_are_different_places(rule_value, actual):
    assert not holds("province", "equals", rule_value, actual)


@pytest.mark.parametrize(
    ("city", "province"),
    [
        ("杭州", "浙江"),
        ("杭州市", "浙江"),
        ("Hangzhou", "浙江"),
        ("浙江省杭州市", "浙江"),
        ("义乌", "浙江"),
        ("深圳市南山区", "广东"),
        ("苏州", "江苏"),
        ("吉林市", "吉林"),
        ("上海", "上海"),
    ],
)
def test_a_customer_with_a_city_and_no_province_is_in_the_citys_province(city, province):
    condition = Condition.compile(
        clean_condition({"field": "province", "op": "equals", "value": province})
    )
    assert condition.holds(lead_values({"city": city, "province": ""}))
    assert lead_values({"city": city})["province"] == province


def test_a_stated_province_wins_and_an_unsure_city_says_nothing():
    # The customer's own province is what a rule tests, even if the city says otherwise.
    assert lead_values({"city": "杭州", "province": "江苏"})["province"] == "江苏"
    # "Suzhou" is 苏州 (江苏) or 宿州 (安徽); London is in no province.
    for city in ("Suzhou", "London", "某某镇"):
        assert not lead_values({"city": city, "province": ""})["province"]


def test_a_latin_spelling_meets_either_hanzi_spelling_it_may_stand_for():
    # "Shanxi" says nothing about which of 山西 and 陕西 is meant: it meets both.
    assert holds("province", "equals", "Shanxi", "山西")
    assert holds("province", "equals", "Shanxi", "陕西")


def test_region_in_and_not_in():
    assert holds("province", "in", ["浙江", "江苏"], "Jiangsu")
    assert holds("province", "in", ["浙江", "江苏"], "浙江省")
    assert not holds("province", "in", ["浙江", "江苏"], "广东")
    assert holds("province", "not_in", ["浙江", "江苏"], "广东省")
    assert not holds("province", "not_in", ["浙江", "江苏"], "Zhejiang Province")
    assert holds("city", "in", ["杭州市", "宁波"], "Hangzhou")
    assert not holds("city", "not_in", ["Hangzhou"], "杭州")


def test_region_contains_is_a_part_of_the_written_text():
    assert holds("city", "contains", "杭州", "杭州市")
    assert holds("city", "contains", "zhou", "HANGZHOU")
    assert holds("province", "contains", "ｊｉａｎｇ", "Zhejiang")
    assert not holds("city", "contains", "杭州", "宁波市")
    assert not holds("city", "contains", "杭州", "")


# --- text: industry and source ---------------------------------------------------------------
@pytest.mark.parametrize("field", ["industry", "source"])
def test_text_fields_every_operator(field):
    assert holds(field, "equals", "Software", "software")
    assert holds(field, "equals", "ＳＯＦＴＷＡＲＥ", " Software ")
    assert holds(field, "equals", "软件", "软件")
    assert not holds(field, "equals", "软件", "软件开发")
    assert holds(field, "in", ["软件", "Hardware"], "hardware")
    assert not holds(field, "in", ["软件", "Hardware"], "零售")
    assert holds(field, "not_in", ["软件", "Hardware"], "零售")
    assert not holds(field, "not_in", ["软件"], "软件")
    assert holds(field, "contains", "软件", "企业软件服务")
    assert holds(field, "contains", "WEB", "Trade fair, web form")
    assert not holds(field, "contains", "软件", "硬件")


# --- choices: country, size, kind ------------------------------------------------------------
def test_country_equals_in_not_in():
    assert holds("country", "equals", "cn", "CN")
    assert not holds("country", "equals", "CN", "US")
    assert holds("country", "in", ["US", "de"], "DE")
    assert holds("country", "not_in", ["CN"], "US")
    assert not holds("country", "not_in", ["CN"], "CN")


def test_size_equals_in_not_in_and_range():
    assert holds("size", "equals", "10-49", "10-49")
    assert not holds("size", "equals", "10-49", "50-249")
    assert holds("size", "in", ["1-9", "1000+"], "1000+")
    assert holds("size", "not_in", ["1-9"], "50-249")
    between = {"min": "10-49", "max": "250-999"}
    assert [
        holds("size", "range", between, s) for s in ("1-9", "10-49", "50-249", "250-999", "1000+")
    ] == [
        False,
        True,
        True,
        True,
        False,
    ]
    assert holds("size", "range", {"min": "250-999"}, "1000+")
    assert not holds("size", "range", {"min": "250-999"}, "50-249")
    assert holds("size", "range", {"max": "10-49"}, "1-9")
    assert not holds("size", "range", {"max": "10-49"}, "50-249")


def test_kind_defaults_to_company():
    assert holds("kind", "equals", "company", None)
    assert holds("kind", "equals", "individual", "individual")
    assert not holds("kind", "in", ["individual"], "company")
    assert holds("kind", "not_in", ["individual"], "")


# --- tags --------------------------------------------------------------------------------------
def test_tags_every_operator_over_a_list():
    tags = ["VIP", "展会 2024"]
    assert holds("tags", "equals", "vip", tags)
    assert holds("tags", "in", ["key account", "ｖｉｐ"], tags)
    assert not holds("tags", "in", ["key account"], tags)
    assert holds("tags", "not_in", ["key account"], tags)
    assert not holds("tags", "not_in", ["展会 2024"], tags)
    assert holds("tags", "contains", "展会", tags)
    assert not holds("tags", "contains", "网站", tags)
    assert not holds("tags", "equals", "vi", tags)  # a whole tag, not a part of one


# --- empty values ------------------------------------------------------------------------------
@pytest.mark.parametrize("empty", [None, "", "   "])
@pytest.mark.parametrize("field", ["province", "city", "industry", "source"])
def test_an_empty_value_meets_only_none_of(field, empty):
    assert not holds(field, "equals", "浙江", empty)
    assert not holds(field, "in", ["浙江"], empty)
    assert not holds(field, "contains", "浙江", empty)
    assert holds(field, "not_in", ["浙江"], empty)


def test_empty_size_and_tags():
    assert not holds("size", "range", {"min": "1-9"}, "")
    assert not holds("size", "equals", "1-9", None)
    assert holds("size", "not_in", ["1-9"], "")
    for empty in (None, [], ["", "  "]):
        assert not holds("tags", "in", ["vip"], empty)
        assert not holds("tags", "contains", "vip", empty)
        assert holds("tags", "not_in", ["vip"], empty)


# --- rules: all conditions, first match --------------------------------------------------------
def make_rule(rule_id, conditions, kind="public_pool"):
    return Rule.from_data(
        {
            "id": rule_id,
            "name": f"r{rule_id}",
            "version": 2,
            "target_kind": kind,
            "conditions": clean_conditions(conditions),
        }
    )


def test_all_conditions_must_hold_and_the_first_matching_rule_wins():
    zj_big = make_rule(
        1,
        [
            {"field": "province", "op": "equals", "value": "浙江"},
            {"field": "size", "op": "range", "value": {"min": "250-999"}},
        ],
    )
    zj = make_rule(2, [{"field": "province", "op": "in", "value": "浙江，江苏"}])
    everyone = make_rule(3, [])
    rules = [zj_big, zj, everyone]
    big = lead_values({"province": "浙江省", "size": "1000+"})
    rule, held = first_match(rules, big)
    assert rule is zj_big
    assert held == [
        {"field": "province", "op": "equals", "value": "浙江", "actual": "浙江省"},
        {"field": "size", "op": "range", "value": {"min": "250-999"}, "actual": "1000+"},
    ]
    assert first_match(rules, lead_values({"province": "Zhejiang", "size": "1-9"}))[0] is zj
    assert first_match(rules, lead_values({"province": "广东"})) == (everyone, [])
    assert first_match([zj_big, zj], lead_values({"province": "广东"})) == (None, [])
    assert zj.as_record() == {"id": 2, "name": "r2", "version": 2}


# --- validation ----------------------------------------------------------------------------------
def refused(conditions) -> str:
    with pytest.raises(InvalidRule) as caught:
        clean_conditions(conditions)
    assert caught.value.code == "invalid_rule"
    return caught.value.message


@pytest.mark.parametrize(
    ("condition", "says"),
    [
        ({"field": "revenue", "op": "equals", "value": "1"}, "unknown field"),
        ({"field": "province", "op": "startswith", "value": "浙"}, "unknown operator"),
        ({"field": "city", "op": "range", "value": {"min": "1-9"}}, "only a size"),
        ({"field": "size", "op": "range", "value": {}}, "smallest or a largest"),
        ({"field": "size", "op": "range", "value": "1-9"}, "smallest or a largest"),
        ({"field": "size", "op": "range", "value": {"min": "1000+", "max": "1-9"}}, "above"),
        ({"field": "size", "op": "range", "value": {"min": "huge"}}, "not one of the choices"),
        ({"field": "size", "op": "equals", "value": "11-20"}, "not one of the choices"),
        ({"field": "kind", "op": "in", "value": ["company", "robot"]}, "not one of the choices"),
        ({"field": "country", "op": "equals", "value": "China"}, "two-letter"),
        ({"field": "country", "op": "equals", "value": "中国"}, "two-letter"),
        ({"field": "kind", "op": "contains", "value": "comp"}, "“is”"),
        ({"field": "province", "op": "in", "value": []}, "at least one"),
        ({"field": "province", "op": "in", "value": " , ，"}, "at least one"),
        ({"field": "tags", "op": "not_in", "value": None}, "at least one"),
        ({"field": "province", "op": "equals", "value": ""}, "enter a value"),
        ({"field": "province", "op": "equals", "value": "   "}, "enter a value"),
        ({"field": "province", "op": "equals", "value": 3}, "enter a value"),
        ({"field": "province", "op": "in", "value": ["浙江", ""]}, "enter a value"),
        ({"field": "city", "op": "equals", "value": "杭州\x00"}, "control characters"),
        ({"field": "city", "op": "in", "value": ["杭州", "宁\n波"]}, "control characters"),
        ({"field": "city", "op": "equals", "value": "x" * (MAX_VALUE_LENGTH + 1)}, "at most"),
        (
            {"field": "tags", "op": "in", "value": [f"t{i}" for i in range(MAX_VALUES + 1)]},
            "at most",
        ),
        ("province = 浙江", "expected {field, op, value}"),
    ],
)
def test_invalid_conditions_are_refused_with_what_is_wrong(condition, says):
    detail = refused([{"field": "city", "op": "equals", "value": "杭州"}, condition])
    assert "Condition 2" in detail and says in detail


def test_the_list_itself_is_checked():
    assert clean_conditions(None) == [] and clean_conditions("") == []
    assert "list" in refused({"field": "city", "op": "equals", "value": "杭州"})
    one = {"field": "city", "op": "equals", "value": "杭州"}
    assert len(clean_conditions([one] * MAX_CONDITIONS)) == MAX_CONDITIONS
    assert "At most" in refused([one] * (MAX_CONDITIONS + 1))


def test_clean_values_are_stored_trimmed_deduplicated_and_canonical():
    assert clean_conditions(
        [
            {"field": "province", "op": "in", "value": "浙江，江苏, 浙江"},
            {"field": "country", "op": "not_in", "value": ["cn", " us "]},
            {"field": "city", "op": "equals", "value": " 杭州 "},
            {"field": "size", "op": "range", "value": {"min": "10-49", "max": ""}},
        ]
    ) == [
        {"field": "province", "op": "in", "value": ["浙江", "江苏"]},
        {"field": "country", "op": "not_in", "value": ["CN", "US"]},
        {"field": "city", "op": "equals", "value": "杭州"},
        {"field": "size", "op": "range", "value": {"min": "10-49"}},
    ]
    assert len(clean_conditions([{"field": "tags", "op": "in", "value": ["t"] * MAX_VALUES}])) == 1


# --- choosing a rep ------------------------------------------------------------------------------
def rep(rep_id, *, load=0, capacity=30, limit=30, active=True, away=None):
    return Candidate(
        id=rep_id,
        name=f"rep{rep_id}",
        active=active,
        away=away,
        load=load,
        capacity=capacity,
        limit=limit,
    )


def chosen(method, roster, last):
    choice = choose_rep(method, roster, last)
    return (choice.rep.id if choice.rep else None), {s["id"]: s["reason"] for s in choice.skipped}


def test_round_robin_goes_in_id_order_after_the_last_and_wraps():
    roster = [rep(30), rep(10), rep(20)]
    assert chosen("round_robin", roster, None) == (10, {})
    assert chosen("round_robin", roster, 10) == (20, {})
    assert chosen("round_robin", roster, 20) == (30, {})
    assert chosen("round_robin", roster, 30) == (10, {})
    # The last rep left the team: the next one after their id.
    assert chosen("round_robin", roster, 15) == (20, {})
    assert chosen("round_robin", roster, 99) == (10, {})


def test_round_robin_skips_the_away_inactive_and_full_and_says_why():
    away = {"until": "2030-12-10T18:00:00+08:00", "reason": "leave"}
    roster = [
        rep(1),
        rep(2, away=away),
        rep(3, active=False),
        rep(4, load=30, capacity=30),
        rep(5, load=30, capacity=40, limit=30),
        rep(6),
    ]
    assert chosen("round_robin", roster, 1) == (
        6,
        {2: "away", 3: "inactive", 4: "at_capacity", 5: "at_limit"},
    )
    # Only the reps between the last one and the chosen one are reported as skipped.
    assert chosen("round_robin", roster, 3) == (6, {4: "at_capacity", 5: "at_limit"})
    assert chosen("round_robin", roster, 6) == (1, {})
    skipped = {s["id"]: s for s in choose_rep("round_robin", roster, 1).skipped}
    assert skipped[2] == {
        "id": 2,
        "name": "rep2",
        "load": 0,
        "capacity": 30,
        "reason": "away",
        "until": "2030-12-10T18:00:00+08:00",
        "note": "leave",
    }
    assert skipped[4] == {
        "id": 4,
        "name": "rep4",
        "load": 30,
        "capacity": 30,
        "reason": "at_capacity",
    }


def test_an_inactive_rep_is_inactive_even_while_away_and_a_zero_capacity_is_full():
    roster = [rep(1, active=False, away={"until": "x", "reason": ""}), rep(2, capacity=0)]
    assert chosen("round_robin", roster, None) == (None, {1: "inactive", 2: "at_capacity"})


def test_least_loaded_compares_load_to_capacity():
    roster = [rep(1, load=5, capacity=10), rep(2, load=10, capacity=30), rep(3, load=3, capacity=4)]
    choice = choose_rep("least_loaded", roster, None)
    assert choice.rep.id == 2
    assert choice.rep.as_record() == {"id": 2, "name": "rep2", "load": 10, "capacity": 30}
    # The full and away are not candidates, however light their load.
    roster = [rep(1, load=5, capacity=10), rep(2, load=0, away={"until": "x", "reason": ""})]
    roster.append(rep(3, load=2, capacity=2))
    assert chosen("least_loaded", roster, None) == (1, {2: "away", 3: "at_capacity"})


def test_least_loaded_ties_go_round_robin():
    roster = [rep(1, load=3, capacity=30), rep(2, load=1, capacity=10), rep(3, load=3, capacity=30)]
    assert chosen("least_loaded", roster, None)[0] == 1
    assert chosen("least_loaded", roster, 1)[0] == 2
    assert chosen("least_loaded", roster, 2)[0] == 3
    assert chosen("least_loaded", roster, 3)[0] == 1


@pytest.mark.parametrize("method", ["round_robin", "least_loaded"])
def test_nobody_eligible_gives_nobody_and_every_reason(method):
    roster = [rep(1, active=False), rep(2, load=30), rep(3, away={"until": "x", "reason": "sick"})]
    assert chosen(method, roster, 2) == (None, {1: "inactive", 2: "at_capacity", 3: "away"})
    assert chosen(method, [], None) == (None, {})
