"""Individual customers (个人客户) in the duplicate check (查重), end to end through the API: a
person's name is at most weak evidence (many people called 王伟 live in 杭州), a shared phone,
e-mail or ID number is strong, a Chinese resident ID must have a valid check character, and an
ID number is masked like a phone for those who may not see contact details."""

import pytest

from assignments import services
from assignments.exceptions import DuplicateInPool, DuplicateOwned, PossibleDuplicate
from assignments.models import OwnershipEvent
from leads.dedupe.identity import identity_of_lead
from leads.dedupe.index import index_new_leads
from leads.exceptions import InvalidIdNumber
from leads.masks import mask_id_number
from leads.models import Contact, Lead, LeadKey

pytestmark = pytest.mark.django_db


def resident_id(first17: str) -> str:
    """A Chinese resident ID (GB 11643) with its check character."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(d) * w for d, w in zip(first17, weights, strict=True))
    return first17 + "10X98765432"[total % 11]


# 杭州 (330106), born 1988-05-12; and another one, born 1990-01-01 in 上海 (310115).
ID_WANG = resident_id("33010619880512231")
ID_OTHER = resident_id("31011519900101002")


def wrong_check(value: str) -> str:
    return value[:-1] + ("1" if value[-1] != "1" else "2")


def create(api, user, payload, **extra):
    return api(user).post("/api/v1/leads/", {**payload, **extra}, format="json")


def check(api, user, payload):
    response = api(user).post("/api/v1/leads/duplicates/", payload, format="json")
    assert response.status_code == 200, response.content
    return response.json()["matches"]


def person(name, *, city="杭州", phone="", email="", **fields):
    contacts = [{"name": name, "phone": phone, "email": email}] if phone or email else []
    return {
        "kind": "individual",
        "company_name": name,
        "city": city,
        "contacts": contacts,
        **fields,
    }


# --- the same name in the same city -----------------------------------------------------------
def test_a_second_wang_wei_in_hangzhou_is_a_possible_duplicate(api, rep, outsider):
    first = create(api, outsider, person("王伟", phone="13857110001"))
    assert first.status_code == 201, first.content
    assert first.json()["kind"] == "individual"

    refused = create(api, rep, person("王伟", phone="13957120002"))
    assert refused.status_code == 409, refused.content
    body = refused.json()
    assert body["code"] == "possible_duplicate"
    assert [(m["lead"], m["level"]) for m in body["matches"]] == [(first.json()["id"], "weak")]
    assert body["matches"][0]["reasons"] == ["same_person_name"]
    assert Lead.objects.count() == 1


def test_a_confirmed_second_wang_wei_is_created_and_the_history_says_so(api, rep, outsider):
    first_id = create(api, outsider, person("王伟", phone="13857110001")).json()["id"]
    created = create(api, rep, person("王伟", phone="13957120002"), confirm_duplicate=True)
    assert created.status_code == 201, created.content
    lead_id = created.json()["id"]
    assert created.json()["owner"]["id"] == rep.pk

    event = OwnershipEvent.objects.get(lead_id=lead_id)
    assert event.kind == OwnershipEvent.Kind.ASSIGN
    confirmed = event.details["confirmed_duplicates"]
    assert [(m["lead"], m["reasons"]) for m in confirmed] == [(first_id, ["same_person_name"])]
    assert confirmed[0]["owner_id"] == outsider.pk
    history = api(rep).get(f"/api/v1/leads/{lead_id}/history/").json()["results"]
    assert [m["lead"] for m in history[0]["details"]["confirmed_duplicates"]] == [first_id]
    # A third one is still only a possible duplicate, of both.
    third = create(api, rep, person("王伟", phone="13657130003"))
    assert third.json()["code"] == "possible_duplicate"
    assert {m["lead"] for m in third.json()["matches"]} == {first_id, lead_id}


def test_a_wang_wei_in_the_pool_is_not_duplicate_in_pool(api, rep, make_lead):
    pool_lead = make_lead(**person("王伟", phone="13857110001"))
    refused = create(api, rep, person("王伟", city="杭州市", phone="13957120002"))
    assert refused.status_code == 409
    assert refused.json()["code"] == "possible_duplicate"
    assert refused.json()["matches"][0]["lead"] == pool_lead.pk
    assert refused.json()["matches"][0]["owner"] is None


def test_a_wang_wei_of_your_own_is_not_duplicate_own(api, rep):
    create(api, rep, person("王伟", phone="13857110001"))
    refused = create(api, rep, person("王伟", phone="13957120002"))
    assert refused.json()["code"] == "possible_duplicate"
    assert create(api, rep, person("王伟"), confirm_duplicate=True).status_code == 201


def test_the_name_alone_is_never_strong_even_without_any_contact(api, rep, outsider):
    create(api, outsider, person("王伟"))
    matches = check(api, rep, person("王伟"))
    assert [m["level"] for m in matches] == ["weak"]
    assert matches[0]["reasons"] == ["same_person_name"]
    assert matches[0]["score"] < 0.8


def test_the_service_raises_possible_duplicate_for_the_same_name(rep, outsider):
    services.create_lead(actor=outsider, **person("王伟", phone="13857110001"))
    with pytest.raises(PossibleDuplicate) as refused:
        services.create_lead(actor=rep, **person("王伟", phone="13957120002"))
    assert refused.value.match_objects[0].reasons == ["same_person_name"]
    lead = services.create_lead(
        actor=rep, confirm_duplicate=True, **person("王伟", phone="13957120002")
    )
    assert lead.kind == Lead.Kind.INDIVIDUAL


def test_the_same_name_in_another_city_is_no_match(api, rep, outsider):
    create(api, outsider, person("王伟", phone="13857110001"))
    assert check(api, rep, person("王伟", city="北京")) == []
    created = create(api, rep, person("王伟", city="北京", phone="13911110000"))
    assert created.status_code == 201, created.content


@pytest.mark.parametrize("written", ["王 偉", "王偉", "王 伟", "王·伟", "　王伟　", "王伟 "])
def test_a_persons_name_is_normalised(api, rep, outsider, written):
    first_id = create(api, outsider, person("王伟", phone="13857110001")).json()["id"]
    matches = check(api, rep, person(written))
    assert [(m["lead"], m["level"], m["reasons"]) for m in matches] == [
        (first_id, "weak", ["same_person_name"])
    ]
    refused = create(api, rep, person(written, phone="13957120002"))
    assert refused.json()["code"] == "possible_duplicate", written


def test_a_latin_persons_name_is_normalised(api, rep, outsider):
    first_id = create(api, outsider, person("Li Na", city="Seattle")).json()["id"]
    for written in ("LI NA", "li  na", "Li-Na", "Ｌｉ　Ｎａ"):
        matches = check(api, rep, person(written, city="Seattle"))
        assert [(m["lead"], m["level"]) for m in matches] == [(first_id, "weak")], written


# --- what is strong for a person ------------------------------------------------------------
def test_a_shared_phone_is_strong_whatever_the_name(api, rep, outsider):
    first_id = create(api, outsider, person("王伟", phone="13857110001")).json()["id"]
    refused = create(api, rep, person("王大伟", phone="+86 138 5711 0001"))
    assert refused.status_code == 409
    assert refused.json()["code"] == "duplicate_owned"
    assert refused.json()["matches"][0]["lead"] == first_id
    assert "same_phone" in refused.json()["matches"][0]["reasons"]


def test_a_shared_email_is_strong_even_in_another_city(api, rep, outsider):
    create(api, outsider, person("王伟", email="wangwei1988@163.com"))
    refused = create(
        api,
        rep,
        person("Wang Wei", city="北京", email="WangWei1988@163.com"),
        confirm_duplicate=True,
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "duplicate_owned"
    assert "same_email" in refused.json()["matches"][0]["reasons"]


def test_the_same_name_and_phone_is_strong(api, rep, outsider):
    create(api, outsider, person("王伟", phone="13857110001"))
    refused = create(api, rep, person("王伟", phone="138-5711-0001"), confirm_duplicate=True)
    assert refused.json()["code"] == "duplicate_owned"
    reasons = refused.json()["matches"][0]["reasons"]
    assert reasons[0] == "same_phone" and "same_person_name" in reasons


def test_the_same_id_number_is_strong_even_with_another_name(api, rep, outsider):
    first = create(api, outsider, person("王伟", id_number=ID_WANG))
    assert first.status_code == 201, first.content
    # Another way of writing the person's name, another city, the ID typed with spaces.
    spaced = f"{ID_WANG[:6]} {ID_WANG[6:14]} {ID_WANG[14:]}".lower()
    refused = create(
        api, rep, person("Wang Wei", city="上海", id_number=spaced), confirm_duplicate=True
    )
    assert refused.status_code == 409, refused.content
    body = refused.json()
    assert body["code"] == "duplicate_owned"
    assert body["matches"][0]["lead"] == first.json()["id"]
    assert body["matches"][0]["level"] == "strong"
    assert body["matches"][0]["reasons"] == ["same_id_number"]
    assert Lead.objects.count() == 1


def test_the_same_id_number_in_the_pool_is_duplicate_in_pool(api, rep, make_lead):
    pool_lead = make_lead(**person("李娜", id_number=ID_OTHER))
    refused = create(api, rep, person("李 娜娜", city="", id_number=ID_OTHER))
    assert refused.status_code == 409
    assert refused.json()["code"] == "duplicate_in_pool"
    assert refused.json()["matches"][0]["lead"] == pool_lead.pk


def test_the_service_refuses_the_same_id_number(rep, outsider, make_lead):
    pool_lead = make_lead(**person("李娜", id_number=ID_OTHER))
    with pytest.raises(DuplicateInPool) as refused:
        services.create_lead(actor=rep, **person("Lina", id_number=ID_OTHER.lower()))
    assert refused.value.match_objects[0].lead.pk == pool_lead.pk
    services.create_lead(actor=outsider, **person("王伟", id_number=ID_WANG))
    with pytest.raises(DuplicateOwned):
        services.create_lead(actor=rep, confirm_duplicate=True, **person("王二", id_number=ID_WANG))


def test_the_id_number_is_stored_in_its_canonical_form(api, rep):
    spaced = f"{ID_OTHER[:6]} {ID_OTHER[6:]}".lower()
    response = create(api, rep, person("李娜", id_number=spaced))
    assert response.status_code == 201, response.content
    lead = Lead.objects.get(pk=response.json()["id"])
    assert lead.id_number == ID_OTHER
    assert response.json()["id_number"] == ID_OTHER
    # And indexed: typed in any form, it finds the customer.
    assert LeadKey.objects.filter(lead=lead, key__contains=ID_OTHER).exists()


def test_a_check_character_x_is_accepted_in_either_case(api, rep, outsider):
    with_x = next(
        value
        for value in (resident_id(f"3301061988051{n:04d}") for n in range(100))
        if value.endswith("X")
    )
    first = create(api, outsider, person("王伟", id_number=with_x.lower()))
    assert first.status_code == 201, first.content
    assert first.json()["id_number"] == with_x
    matches = check(api, rep, {"kind": "individual", "id_number": with_x})
    assert [(m["lead"], m["level"]) for m in matches] == [(first.json()["id"], "strong")]


@pytest.mark.parametrize(
    "bad",
    [wrong_check(ID_WANG), ID_WANG[:-1] + "A", "3301061988O512231" + ID_WANG[-1], "1234"],
    ids=["check character", "letter", "O for 0", "too short"],
)
def test_an_invalid_chinese_id_number_is_refused(api, rep, bad):
    response = create(api, rep, person("王伟", id_number=bad))
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid_id_number"
    assert not Lead.objects.exists()


def test_the_service_refuses_an_invalid_chinese_id_number(rep):
    with pytest.raises(InvalidIdNumber):
        services.create_lead(actor=rep, **person("王伟", id_number=wrong_check(ID_WANG)))
    assert not Lead.objects.exists()


def test_an_invalid_id_number_in_the_check_matches_nothing(api, rep, outsider):
    create(api, outsider, person("王伟", city="北京", id_number=ID_WANG))
    assert check(api, rep, {"kind": "individual", "id_number": wrong_check(ID_WANG)}) == []


def test_an_id_number_abroad_is_not_checked_as_a_chinese_one(api, rep, outsider):
    # A Singapore NRIC: letters and digits, no GB 11643 check character.
    first = create(api, outsider, person("Tan Wei Ming", city="Singapore", id_number="S1234567D"))
    assert first.status_code == 201, first.content
    assert first.json()["country"] == "SG"
    refused = create(api, rep, person("Wei Ming Tan", city="Singapore", id_number="s 1234567 d"))
    assert refused.json()["code"] == "duplicate_owned"
    assert refused.json()["matches"][0]["reasons"] == ["same_id_number"]


# --- an individual and a company --------------------------------------------------------------
def test_a_company_named_like_an_existing_individual_is_never_a_strong_match(api, rep, outsider):
    create(api, outsider, person("王伟", phone="13857110001"))
    matches = check(api, rep, {"company_name": "王伟", "city": "杭州"})
    assert not [m for m in matches if m["level"] == "strong"]
    response = create(api, rep, {"company_name": "王伟", "city": "杭州"}, confirm_duplicate=True)
    assert response.status_code == 201, response.content


def test_an_individual_named_like_an_existing_company_is_never_a_strong_match(api, rep, outsider):
    create(api, outsider, {"company_name": "王伟", "city": "杭州"})
    matches = check(api, rep, person("王伟"))
    assert not [m for m in matches if m["level"] == "strong"]
    response = create(api, rep, person("王伟", phone="13957120002"), confirm_duplicate=True)
    assert response.status_code == 201, response.content


def test_an_individual_and_a_company_sharing_a_phone_are_strong(api, rep, outsider):
    company = create(
        api,
        outsider,
        {
            "company_name": "王伟贸易商行",
            "city": "杭州",
            "contacts": [{"name": "王伟", "phone": "13857110001"}],
        },
    ).json()["id"]
    refused = create(api, rep, person("王伟", phone="13857110001"))
    assert refused.json()["code"] == "duplicate_owned"
    assert refused.json()["matches"][0]["lead"] == company


def test_a_company_named_like_an_existing_individual_is_a_possible_duplicate(api, rep, outsider):
    individual = create(api, outsider, person("王伟", phone="13857110001")).json()["id"]
    refused = create(api, rep, {"company_name": "王伟", "city": "杭州"})
    assert refused.status_code == 409, refused.content
    assert refused.json()["code"] == "possible_duplicate"
    assert [(m["lead"], m["level"]) for m in refused.json()["matches"]] == [(individual, "weak")]
    assert refused.json()["matches"][0]["reasons"] == ["same_person_name"]


def test_an_individual_named_like_an_existing_company_is_a_possible_duplicate(api, rep, outsider):
    company = create(api, outsider, {"company_name": "王伟", "city": "杭州"}).json()["id"]
    refused = create(api, rep, person("王伟", phone="13957120002"))
    assert refused.status_code == 409, refused.content
    assert refused.json()["code"] == "possible_duplicate"
    assert [(m["lead"], m["level"]) for m in refused.json()["matches"]] == [(company, "weak")]
    assert refused.json()["matches"][0]["reasons"] == ["same_person_name"]


def test_a_company_of_the_same_name_stays_strong_among_companies(api, rep, outsider):
    # Individuals change nothing for companies: the same company name in the same city.
    create(api, outsider, {"company_name": "杭州王伟贸易有限公司", "city": "杭州"})
    refused = create(api, rep, {"company_name": "王伟贸易有限公司", "city": "杭州"})
    assert refused.json()["code"] == "duplicate_owned"
    assert "same_name_city" in refused.json()["matches"][0]["reasons"]


# --- who sees an ID number --------------------------------------------------------------------
def test_an_id_number_is_masked_for_a_rep_who_sees_a_pool_lead(api, rep, manager, make_lead):
    pool_lead = make_lead(**person("李娜", id_number=ID_OTHER))
    shown = api(rep).get(f"/api/v1/leads/{pool_lead.pk}/")
    assert shown.status_code == 200, shown.content
    masked = shown.json()["id_number"]
    assert masked == mask_id_number(ID_OTHER)
    assert masked != ID_OTHER and ID_OTHER[6:14] not in masked
    assert masked.startswith(ID_OTHER[:4]) and masked.endswith(ID_OTHER[-3:])
    assert len(masked) == len(ID_OTHER)
    listed = api(rep).get("/api/v1/leads/", {"scope": "all"}).json()["results"]
    assert [x["id_number"] for x in listed if x["id"] == pool_lead.pk] == [masked]
    # A manager sees it in full; so does the rep once the lead is theirs.
    assert api(manager).get(f"/api/v1/leads/{pool_lead.pk}/").json()["id_number"] == ID_OTHER
    assert api(rep).post(f"/api/v1/leads/{pool_lead.pk}/claim/").status_code == 200
    assert api(rep).get(f"/api/v1/leads/{pool_lead.pk}/").json()["id_number"] == ID_OTHER


def test_an_id_number_is_shown_in_full_to_the_owner(api, rep, teammate):
    created = create(api, rep, person("王伟", id_number=ID_WANG))
    assert created.json()["id_number"] == ID_WANG
    assert api(rep).get(f"/api/v1/leads/{created.json()['id']}/").json()["id_number"] == ID_WANG


def test_a_pool_leads_masked_id_number_sits_beside_masked_phones(api, rep, make_lead):
    pool_lead = make_lead(**person("李娜", phone="13857110001", id_number=ID_OTHER))
    body = api(rep).get(f"/api/v1/leads/{pool_lead.pk}/").json()
    assert body["contacts"][0]["phone"] == "138****0001"
    assert body["id_number"] == mask_id_number(ID_OTHER)


def test_a_duplicate_refusal_never_shows_the_id_number(api, rep, outsider):
    create(api, outsider, person("王伟", id_number=ID_WANG, phone="13857110001"))
    refused = create(api, rep, person("王伟", id_number=ID_WANG))
    assert refused.status_code == 409
    assert ID_WANG not in str(refused.json())
    assert ID_WANG[6:14] not in str(check(api, rep, {"id_number": ID_WANG}))


# --- many people of one name ------------------------------------------------------------------
def crowd_of(name: str, count: int, actor) -> None:
    """`count` pool customers called `name` in cities other than 杭州, each with a phone of
    their own: written in bulk (the service would take seconds), indexed as the service does."""
    cities = ["北京", "上海", "广州", "成都", "武汉", "南京"]
    leads = Lead.objects.bulk_create(
        Lead(kind=Lead.Kind.INDIVIDUAL, company_name=name, city=cities[i % 6], created_by=actor)
        for i in range(count)
    )
    contacts = [
        Contact(lead=lead, name=name, phone=f"1390000{i:04d}") for i, lead in enumerate(leads)
    ]
    Contact.objects.bulk_create(contacts)
    index_new_leads(
        (lead.pk, identity_of_lead(lead, contacts=[c]))
        for lead, c in zip(leads, contacts, strict=True)
    )


def test_a_shared_phone_is_found_among_a_few_namesakes(api, rep, outsider, admin_user):
    crowd_of("王伟", 30, admin_user)
    target = create(api, outsider, person("王伟", phone="13857110001"))
    assert target.status_code == 201, target.content
    refused = create(api, rep, person("王伟", phone="138 5711 0001"))
    assert refused.json()["code"] == "duplicate_owned"
    assert refused.json()["matches"][0]["lead"] == target.json()["id"]


def test_a_shared_phone_is_found_among_many_namesakes(api, rep, outsider, admin_user):
    crowd_of("王伟", 600, admin_user)
    target = create(api, outsider, person("王伟", phone="13857110001"))
    assert target.status_code == 201, target.content
    refused = create(api, rep, person("王伟", phone="138 5711 0001"))
    assert refused.status_code == 409, "a second record of the same person was created"
    assert refused.json()["code"] == "duplicate_owned"
    assert refused.json()["matches"][0]["lead"] == target.json()["id"]


# --- ID numbers beyond the customer's country -------------------------------------------------
def test_the_same_resident_id_matches_whatever_city_the_person_lives_in(api, rep, outsider):
    first = create(api, outsider, person("王伟", city="深圳", id_number=ID_WANG))
    assert first.status_code == 201, first.content
    refused = create(api, rep, person("王伟", city="香港", id_number=ID_WANG))
    assert refused.status_code == 409, refused.content
    assert refused.json()["code"] == "duplicate_owned"
    assert refused.json()["matches"][0]["reasons"][0] == "same_id_number"


@pytest.mark.parametrize("length", [33, 40, 41])
def test_an_overlong_id_number_is_refused_with_400(api, rep, length):
    # The column holds 32 characters: longer is refused, never a database error (500).
    value = ("AB" * 21)[:length]
    response = create(api, rep, person("John Smith", city="London", id_number=value))
    assert response.status_code == 400, response.status_code
    body = response.json()
    assert body.get("code") == "invalid_id_number" or "id_number" in body.get("errors", {})
    assert not Lead.objects.exists()


def test_an_id_number_of_32_characters_is_kept(api, rep):
    response = create(api, rep, person("John Smith", city="London", id_number="AB" * 16))
    assert response.status_code == 201, response.content
    assert response.json()["id_number"] == "AB" * 16


# A second 王伟 in 杭州 must be a possible duplicate however many 王伟 live elsewhere.


def test_a_namesake_in_the_same_city_is_found_among_many_elsewhere(api, rep, outsider, admin_user):
    crowd_of("王伟", 600, admin_user)
    first = create(api, outsider, person("王伟", phone="13857110001"))
    assert first.status_code == 201, first.content
    refused = create(api, rep, person("王伟", phone="13957120002"))
    assert refused.status_code == 409, "created without a warning"
    assert refused.json()["code"] == "possible_duplicate"
    assert refused.json()["matches"][0]["lead"] == first.json()["id"]
