"""Duplicate detection at the door, through the REST API: the check endpoint, creation,
edits, contacts, transfer requests and merges."""

import pytest

from assignments.models import Ownership, OwnershipEvent, TransferRequest
from leads.models import Contact, FollowUp, Lead, LeadKey

pytestmark = pytest.mark.django_db

STAR = {
    "company_name": "深圳市星辰信息科技有限公司",
    "city": "深圳",
    "contacts": [
        {"name": "张伟", "title": "总经理", "phone": "13800138000", "email": "zw@xingchen-tech.cn"}
    ],
}
# What a rep who typed STAR sends with a transfer request.
STAR_ATTEMPTED = {"company_name": STAR["company_name"], "city": "深圳", "phone": "13800138000"}


def create(api, user, payload, **extra):
    return api(user).post("/api/v1/leads/", {**payload, **extra}, format="json")


def check(api, user, payload):
    response = api(user).post("/api/v1/leads/duplicates/", payload, format="json")
    assert response.status_code == 200, response.content
    return response.json()["matches"]


def test_check_finds_another_reps_customer_by_phone_in_another_format(api, rep, outsider):
    lead_id = create(api, outsider, STAR).json()["id"]
    matches = check(
        api,
        rep,
        {
            "company_name": "Some other name",
            "contacts": [{"name": "x", "phone": "+86 138-0013-8000 (微信同号)"}],
        },
    )
    assert [m["lead"] for m in matches] == [lead_id]
    match = matches[0]
    assert match["level"] == "strong"
    assert "same_phone" in match["reasons"]
    assert 0 < match["score"] <= 1
    assert match["owner"] == {"id": outsider.pk, "display_name": outsider.display_name}
    assert match["protected_until"] is not None
    # Nothing of the other rep's customer beyond who owns it until when.
    assert "13800138000" not in str(matches)
    assert "zw@" not in str(matches)


def test_check_matches_name_variants_in_the_same_city(api, rep, outsider):
    lead_id = create(api, outsider, STAR).json()["id"]
    for name in ("星辰信息科技（深圳）有限公司", "星辰信息科技股份有限公司", "深圳星辰信息科技"):
        matches = check(api, rep, {"company_name": name, "city": "深圳市"})
        assert matches and matches[0]["lead"] == lead_id, name
    strong = check(api, rep, {"company_name": "星辰信息科技（深圳）有限公司", "city": "深圳市"})
    assert strong[0]["level"] == "strong"
    assert "same_name_city" in strong[0]["reasons"]


def test_traditional_characters_match_simplified(api, rep, outsider):
    lead_id = create(api, outsider, {"company_name": "腾讯计算机系统有限公司", "city": "深圳"})
    matches = check(api, rep, {"company_name": "騰訊計算機系統有限公司", "city": "深圳"})
    assert [(m["lead"], m["level"]) for m in matches] == [(lead_id.json()["id"], "strong")]


def test_same_brand_in_another_city_is_not_a_strong_match(api, rep, outsider):
    create(api, outsider, {"company_name": "北京华联超市有限公司", "city": "北京"})
    matches = check(api, rep, {"company_name": "上海华联超市有限公司", "city": "上海"})
    assert not [m for m in matches if m["level"] == "strong"]


def test_same_person_name_with_another_phone_is_no_match(api, rep, outsider):
    create(api, outsider, STAR)
    matches = check(
        api,
        rep,
        {
            "company_name": "云帆物流有限公司",
            "contacts": [{"name": "张伟", "phone": "13912345678"}],
        },
    )
    assert matches == []


def test_free_mail_domain_is_not_a_company_domain(api, rep, outsider):
    create(
        api,
        outsider,
        {"company_name": "甲公司", "contacts": [{"name": "a", "email": "alpha@qq.com"}]},
    )
    matches = check(
        api,
        rep,
        {"company_name": "完全不同贸易", "contacts": [{"name": "b", "email": "beta@qq.com"}]},
    )
    assert matches == []


def with_check_digit(first17: str) -> str:
    """A valid 统一社会信用代码 (GB 32100-2015 check digit) from its first 17 characters."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    total = sum(alphabet.index(c) * pow(3, i, 31) for i, c in enumerate(first17))
    return first17 + alphabet[(31 - total % 31) % 31]


def test_uscc_matches_despite_case_spaces_and_o_for_zero(api, rep, outsider):
    code = with_check_digit("91350100M000100Y4")
    lead_id = create(api, outsider, {"company_name": "福州甲乙", "uscc": code}).json()["id"]
    assert Lead.objects.get(pk=lead_id).uscc == code
    typo = (code[:9] + " " + code[9:]).lower().replace("0", "O")
    matches = check(api, rep, {"company_name": "无关名称", "uscc": typo})
    assert [m["lead"] for m in matches] == [lead_id]
    assert matches[0]["reasons"][0] == "same_uscc"


def test_invalid_uscc_is_refused_on_create_with_a_field_code(api, rep):
    valid = with_check_digit("91350100M000100Y4")
    wrong = valid[:-1] + ("1" if valid[-1] != "1" else "2")
    response = create(api, rep, {"company_name": "甲", "uscc": wrong})
    assert response.status_code == 400
    assert response.json()["errors"]["uscc"][0]["code"] == "invalid_uscc"
    assert not Lead.objects.exists()


def test_create_of_another_reps_customer_is_409_duplicate_owned(api, rep, outsider):
    lead_id = create(api, outsider, STAR).json()["id"]
    response = create(
        api,
        rep,
        {
            "company_name": "星辰信息科技",
            "contacts": [{"name": "李", "phone": "0086 13800138000"}],
        },
    )
    assert response.status_code == 409, response.content
    body = response.json()
    assert body["code"] == "duplicate_owned"
    assert body["matches"][0]["lead"] == lead_id
    assert body["matches"][0]["owner"]["id"] == outsider.pk
    assert Lead.objects.count() == 1


def test_create_matching_a_pool_lead_is_duplicate_in_pool(api, rep, make_lead):
    pool_lead = make_lead(**STAR)
    response = create(api, rep, {**STAR, "company_name": "星辰信息科技有限公司"})
    assert response.status_code == 409
    assert response.json()["code"] == "duplicate_in_pool"
    assert response.json()["matches"][0]["lead"] == pool_lead.pk
    assert response.json()["matches"][0]["owner"] is None


def test_create_matching_your_own_lead_is_duplicate_own(api, rep):
    own = create(api, rep, STAR).json()["id"]
    response = create(api, rep, STAR)
    assert response.status_code == 409
    assert response.json()["code"] == "duplicate_own"
    assert response.json()["matches"][0]["lead"] == own


def test_weak_match_needs_confirmation_which_the_history_records(api, rep, outsider):
    other = create(api, outsider, {"company_name": "Acme Trading Co., Ltd.", "city": "London"})
    other_id = other.json()["id"]
    payload = {"company_name": "Acme Tradng Ltd"}
    refused = create(api, rep, payload)
    assert refused.status_code == 409
    assert refused.json()["code"] == "possible_duplicate"
    assert refused.json()["matches"][0]["level"] == "weak"
    assert Lead.objects.count() == 1

    created = create(api, rep, payload, confirm_duplicate=True)
    assert created.status_code == 201, created.content
    event = OwnershipEvent.objects.get(lead_id=created.json()["id"])
    assert event.kind == OwnershipEvent.Kind.ASSIGN
    assert [m["lead"] for m in event.details["confirmed_duplicates"]] == [other_id]


def test_confirmation_does_not_override_a_strong_match(api, rep, outsider):
    create(api, outsider, STAR)
    response = create(api, rep, STAR, confirm_duplicate=True)
    assert response.status_code == 409
    assert response.json()["code"] == "duplicate_owned"


def test_edit_that_collides_is_refused_and_changes_nothing(api, rep, outsider):
    create(api, outsider, STAR)
    mine = create(api, rep, {"company_name": "云帆物流有限公司", "city": "上海"}).json()["id"]
    response = api(rep).patch(
        f"/api/v1/leads/{mine}/", {"website": "https://www.xingchen-tech.cn/about"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "duplicate_owned"
    assert Lead.objects.get(pk=mine).website == ""

    ok = api(rep).patch(f"/api/v1/leads/{mine}/", {"industry": "物流"}, format="json")
    assert ok.status_code == 200
    # Only what was sent changes.
    assert (ok.json()["industry"], ok.json()["company_name"], ok.json()["city"]) == (
        "物流",
        "云帆物流有限公司",
        "上海",
    )
    blank = api(rep).patch(f"/api/v1/leads/{mine}/", {"company_name": " "}, format="json")
    assert blank.status_code == 400
    assert blank.json()["errors"]["company_name"][0]["code"] == "blank"
    hidden = api(outsider).patch(f"/api/v1/leads/{mine}/", {"industry": "x"}, format="json")
    assert hidden.status_code == 404


def test_adding_a_contact_with_another_reps_phone_is_refused(api, rep, outsider):
    create(api, outsider, STAR)
    mine = create(api, rep, {"company_name": "云帆物流有限公司"}).json()["id"]
    response = api(rep).post(
        f"/api/v1/leads/{mine}/contacts/",
        {"name": "王", "phone": "138 0013 8000"},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "duplicate_owned"
    assert not Contact.objects.filter(lead_id=mine).exists()

    added = api(rep).post(
        f"/api/v1/leads/{mine}/contacts/", {"name": "王", "phone": "13911112222"}, format="json"
    )
    assert added.status_code == 201
    assert LeadKey.objects.filter(lead_id=mine, key="phone:+8613911112222").exists()
    # The index follows the edit: another rep typing that number now collides.
    assert check(api, outsider, {"contacts": [{"name": "x", "phone": "13911112222"}]})


def test_transfer_request_is_stored_for_the_owners_manager(api, rep, outsider, other_manager):
    lead_id = create(api, outsider, STAR).json()["id"]
    # The rep may not see another team's customer: the server finds it again from what the
    # rep tried to create (a strong match), or answers 404.
    response = api(rep).post(
        f"/api/v1/leads/{lead_id}/transfer-requests/",
        {"reason": "I met them at the fair last month", "attempted": STAR_ATTEMPTED},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending"
    assert body["owner"]["id"] == outsider.pk
    assert TransferRequest.objects.get().requester == rep
    # The owner keeps the customer until a manager decides.
    assert Ownership.objects.get(lead_id=lead_id, ended_at__isnull=True).owner == outsider
    assert other_manager.notifications.filter(kind="transfer_requested").count() == 1

    again = api(rep).post(
        f"/api/v1/leads/{lead_id}/transfer-requests/", {"attempted": STAR_ATTEMPTED}, format="json"
    )
    assert again.status_code == 409
    assert again.json()["code"] == "transfer_already_requested"
    listed = api(other_manager).get("/api/v1/transfer-requests/").json()["results"]
    assert [r["id"] for r in listed] == [body["id"]]
    assert api(rep).get("/api/v1/transfer-requests/").json()["results"][0]["id"] == body["id"]


def test_transfer_request_for_a_pool_lead_says_claim_it(api, rep, make_lead):
    lead = make_lead()
    response = api(rep).post(f"/api/v1/leads/{lead.pk}/transfer-requests/", {}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "lead_in_pool"


def test_manager_merges_two_leads(api, rep, teammate, manager):
    survivor = create(api, rep, STAR).json()["id"]
    other = create(
        api,
        teammate,
        {
            "company_name": "星晨信息科技有限公司",
            "contacts": [{"name": "李娜", "phone": "13700137000"}],
        },
        confirm_duplicate=True,
    ).json()["id"]
    api(teammate).post(
        f"/api/v1/leads/{other}/followups/", {"kind": "call", "note": "intro"}, format="json"
    )
    dupes = api(manager).get(f"/api/v1/leads/{survivor}/duplicates/").json()["matches"]
    assert [m["lead"] for m in dupes] == [other]

    response = api(manager).post(
        f"/api/v1/leads/{survivor}/merge/", {"lead": other, "reason": "same company"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert {c["name"] for c in response.json()["contacts"]} == {"张伟", "李娜"}
    assert FollowUp.objects.filter(lead_id=survivor).count() == 1
    assert Lead.objects.get(pk=other).merged_into_id == survivor
    # The survivor's owner keeps it; the other owner's claim ends with a merge record.
    assert Ownership.objects.get(lead_id=survivor, ended_at__isnull=True).owner == rep
    assert not Ownership.objects.filter(lead_id=other, ended_at__isnull=True).exists()
    history = api(manager).get(f"/api/v1/leads/{survivor}/history/").json()["results"]
    assert [e["kind"] for e in history].count("merge") == 2
    # The merged record is gone from lists and from matching; its phone now finds the survivor.
    assert api(manager).get(f"/api/v1/leads/{other}/").status_code == 404
    found = check(api, manager, {"contacts": [{"name": "x", "phone": "13700137000"}]})
    assert [m["lead"] for m in found] == [survivor]


def test_merge_moves_the_owner_when_the_survivor_is_in_the_pool(api, rep, manager, make_lead):
    pool_lead = make_lead(company_name="Acme Trading Ltd", city="London")
    owned = create(
        api, rep, {"company_name": "Acme Tradng Limited", "city": "London"}, confirm_duplicate=True
    )
    owned_id = owned.json()["id"]
    before = Ownership.objects.get(lead_id=owned_id, ended_at__isnull=True).protected_until
    response = api(manager).post(
        f"/api/v1/leads/{pool_lead.pk}/merge/", {"lead": owned_id}, format="json"
    )
    assert response.status_code == 200, response.content
    period = Ownership.objects.get(lead_id=pool_lead.pk, ended_at__isnull=True)
    assert period.owner == rep
    assert period.protected_until == before
    event = OwnershipEvent.objects.filter(lead_id=pool_lead.pk, kind="merge").get()
    assert event.to_owner == rep


def test_reps_and_other_teams_managers_cannot_merge(api, rep, teammate, other_manager):
    a = create(api, rep, STAR).json()["id"]
    b = create(api, teammate, {"company_name": "星晨信息科技"}, confirm_duplicate=True).json()["id"]
    refused = api(rep).post(f"/api/v1/leads/{a}/merge/", {"lead": b}, format="json")
    assert refused.status_code == 403
    hidden = api(other_manager).post(f"/api/v1/leads/{a}/merge/", {"lead": b}, format="json")
    assert hidden.status_code == 404
    same = api(other_manager).post(f"/api/v1/leads/{a}/merge/", {"lead": a}, format="json")
    assert same.status_code == 400
    assert Lead.objects.filter(merged_into__isnull=False).count() == 0
