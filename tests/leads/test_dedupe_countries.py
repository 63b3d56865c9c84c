"""A customer's country in the duplicate check (查重), end to end through the API: phones are read
as numbers of the customer's country, and the country is the one given, else the one its city
or province makes obvious, else settings.DEFAULT_COUNTRY."""

import pytest

from assignments import services
from assignments.exceptions import DuplicateOwned
from leads.exceptions import InvalidCountry
from leads.models import Lead, LeadKey

pytestmark = pytest.mark.django_db

# (country, an obvious city of it, the number as written there, the same number from abroad)
ABROAD = [
    ("US", "Seattle", "(206) 998-7602", "+1 206-998-7602", "+12069987602"),
    ("GB", "Glasgow", "0141 316 5767", "+44 141 316 5767", "+441413165767"),
    ("SG", "Singapore", "8220 5816", "+65 8220 5816", "+6582205816"),
]
ABROAD_IDS = [case[0] for case in ABROAD]


def create(api, user, payload, **extra):
    return api(user).post("/api/v1/leads/", {**payload, **extra}, format="json")


def check(api, user, payload):
    response = api(user).post("/api/v1/leads/duplicates/", payload, format="json")
    assert response.status_code == 200, response.content
    return response.json()["matches"]


def customer(name, phone, **where):
    return {"company_name": name, **where, "contacts": [{"name": "Pat Doe", "phone": phone}]}


def where_of(country, city, how):
    return {"country": country} if how == "country" else {"city": city}


@pytest.mark.parametrize("how", ["country", "city"])
@pytest.mark.parametrize(
    ("country", "city", "national", "international", "e164"), ABROAD, ids=ABROAD_IDS
)
def test_national_format_first_then_international_is_duplicate_owned(
    api, rep, outsider, country, city, national, international, e164, how
):
    first = create(
        api, rep, customer("Harbour Lights Trading", national, **where_of(country, city, how))
    )
    assert first.status_code == 201, first.content
    assert first.json()["country"] == country
    assert LeadKey.objects.filter(lead_id=first.json()["id"], key=f"phone:{e164}").exists()

    # Another rep types the number as it is dialled from abroad, under another name, with no
    # country or city at all (so read as a number of the default country).
    second = create(api, outsider, customer("Totally Different Name", international))
    assert second.status_code == 409, second.content
    body = second.json()
    assert body["code"] == "duplicate_owned"
    assert body["matches"][0]["lead"] == first.json()["id"]
    assert body["matches"][0]["owner"]["id"] == rep.pk
    assert "same_phone" in body["matches"][0]["reasons"]
    assert Lead.objects.count() == 1


@pytest.mark.parametrize("how", ["country", "city"])
@pytest.mark.parametrize(
    ("country", "city", "national", "international", "e164"), ABROAD, ids=ABROAD_IDS
)
def test_international_format_first_then_national_is_duplicate_owned(
    api, rep, outsider, country, city, national, international, e164, how
):
    first = create(api, rep, customer("Harbour Lights Trading", international))
    assert first.status_code == 201, first.content
    # No country nor city: the default, yet an international number is read as what it is.
    assert first.json()["country"] == "CN"
    assert LeadKey.objects.filter(lead_id=first.json()["id"], key=f"phone:{e164}").exists()

    second = create(
        api, outsider, customer("Quite Another Name", national, **where_of(country, city, how))
    )
    assert second.status_code == 409, second.content
    body = second.json()
    assert body["code"] == "duplicate_owned"
    assert body["matches"][0]["lead"] == first.json()["id"]
    assert "same_phone" in body["matches"][0]["reasons"]
    assert Lead.objects.count() == 1


@pytest.mark.parametrize(
    ("country", "city", "national", "international", "e164"), ABROAD, ids=ABROAD_IDS
)
def test_the_check_endpoint_reads_the_national_format_in_the_given_country(
    api, rep, outsider, country, city, national, international, e164
):
    lead_id = create(api, outsider, customer("Harbour Lights Trading", international)).json()["id"]
    for where in ({"country": country}, {"country": country.lower()}, {"city": city}):
        matches = check(api, rep, {"contacts": [{"phone": national}], **where})
        assert [(m["lead"], m["level"]) for m in matches] == [(lead_id, "strong")], where


def test_a_number_is_equal_only_when_read_in_the_right_country(api, rep, outsider, admin_user):
    # (206) 998-7602 is a Seattle number in the US, but 020-6998 7602 (Guangzhou) in China.
    seattle = create(api, outsider, customer("Rainier Outfitters", "(206) 998-7602", country="US"))
    guangzhou = create(
        api, admin_user, customer("广州云帆贸易有限公司", "020-6998 7602", city="广州")
    )
    assert seattle.status_code == 201 and guangzhou.status_code == 201, guangzhou.content
    assert LeadKey.objects.filter(lead_id=seattle.json()["id"], key="phone:+12069987602").exists()
    assert LeadKey.objects.filter(
        lead_id=guangzhou.json()["id"], key="phone:+862069987602"
    ).exists()

    def found(**where):
        matches = check(api, rep, {"contacts": [{"phone": "(206) 998-7602"}], **where})
        return [m["lead"] for m in matches if m["level"] == "strong"]

    assert found(country="US") == [seattle.json()["id"]]
    assert found(city="Seattle") == [seattle.json()["id"]]
    assert found() == [guangzhou.json()["id"]]
    assert found(country="CN") == [guangzhou.json()["id"]]
    assert found(city="广州") == [guangzhou.json()["id"]]
    # A UK reading of the same digits is neither.
    assert found(country="GB") == []


def test_a_singapore_number_without_country_is_no_strong_match(api, rep, outsider):
    create(api, outsider, customer("Lion City Supplies", "8220 5816", city="Singapore"))
    # Read in China, eight digits are a landline without its area code: weak evidence of
    # another number, never the Singapore one.
    matches = check(api, rep, {"contacts": [{"phone": "8220 5816"}]})
    assert not [m for m in matches if m["level"] == "strong"]
    created = create(api, rep, customer("Some Shanghai Shop", "8220 5816", city="上海"))
    assert created.status_code == 201, created.content


def test_the_same_digits_in_two_countries_are_two_customers(api, rep, outsider):
    # 9123 4567 is a mobile number in Singapore and another one in Hong Kong.
    first = create(api, outsider, customer("Lion City Supplies", "9123 4567", city="Singapore"))
    assert first.status_code == 201
    assert LeadKey.objects.filter(lead_id=first.json()["id"], key="phone:+6591234567").exists()
    other = create(api, rep, customer("Kowloon Bay Supplies", "9123 4567", city="香港"))
    assert other.status_code == 201, other.content
    assert LeadKey.objects.filter(lead_id=other.json()["id"], key="phone:+85291234567").exists()
    # Each is found where it lives.
    for where, lead in (("Singapore", first), ("Hong Kong", other)):
        matches = check(api, rep, {"city": where, "contacts": [{"phone": "9123-4567"}]})
        assert [m["lead"] for m in matches] == [lead.json()["id"]], where


@pytest.mark.parametrize(
    ("where", "country"),
    [
        ({"city": "London"}, "GB"),
        ({"city": "伦敦"}, "GB"),
        ({"city": "香港"}, "HK"),
        ({"city": "Hong Kong"}, "HK"),
        ({"city": "澳门"}, "MO"),
        ({"city": "台北"}, "TW"),
        ({"city": "深圳"}, "CN"),
        ({"city": "深圳市"}, "CN"),
        ({"province": "广东省"}, "CN"),
        ({"province": "香港特别行政区"}, "HK"),
        ({"city": "New York"}, "US"),
        ({"city": "Singapore"}, "SG"),
        ({"city": "东京"}, "JP"),
        ({"city": "Atlantis"}, "CN"),
        ({}, "CN"),
    ],
    ids=lambda value: str(value),
)
def test_country_is_filled_from_the_city_or_province(api, rep, where, country):
    response = create(api, rep, {"company_name": "Meridian Holdings", **where})
    assert response.status_code == 201, response.content
    assert response.json()["country"] == country
    assert Lead.objects.get(pk=response.json()["id"]).country == country


def test_unknown_city_gets_the_configured_default(api, rep, settings):
    settings.DEFAULT_COUNTRY = "SG"
    response = create(api, rep, customer("Meridian Holdings", "8220 5816", city="Atlantis"))
    assert response.status_code == 201, response.content
    assert response.json()["country"] == "SG"
    # And its phones are read as that country's.
    assert LeadKey.objects.filter(lead_id=response.json()["id"], key="phone:+6582205816").exists()
    # An obvious city still wins over the default.
    london = create(api, rep, {"company_name": "Thames Holdings", "city": "London"})
    assert london.json()["country"] == "GB"


@pytest.mark.parametrize(
    ("given", "city", "stored"),
    [("US", "London", "US"), ("us", "", "US"), ("GB", "深圳", "GB"), (" de ", "Paris", "DE")],
)
def test_a_given_country_is_kept(api, rep, given, city, stored):
    response = create(
        api, rep, {"company_name": "Meridian Holdings", "country": given, "city": city}
    )
    assert response.status_code == 201, response.content
    assert response.json()["country"] == stored


def test_a_given_country_decides_how_phones_are_read(api, rep):
    # City London, but the customer says it is American: (206) 998-7602 is a US number.
    response = create(
        api, rep, customer("Meridian Holdings", "(206) 998-7602", city="London", country="US")
    )
    assert response.status_code == 201, response.content
    assert LeadKey.objects.filter(lead_id=response.json()["id"], key="phone:+12069987602").exists()


@pytest.mark.parametrize("country", ["XX", "ZZ", "1A", "C"])
def test_an_invalid_country_is_refused(api, rep, country):
    response = create(api, rep, {"company_name": "Meridian Holdings", "country": country})
    assert response.status_code == 400, response.content
    assert response.json()["errors"]["country"][0]["code"] == "invalid_country"
    assert not Lead.objects.exists()


def test_a_country_name_is_not_a_country_code(api, rep):
    response = create(api, rep, {"company_name": "Meridian Holdings", "country": "China"})
    assert response.status_code == 400
    assert "country" in response.json()["errors"]
    assert not Lead.objects.exists()


def test_the_service_refuses_an_invalid_country_too(rep):
    with pytest.raises(InvalidCountry):
        services.create_lead(actor=rep, company_name="Meridian Holdings", country="XX")
    assert not Lead.objects.exists()


def test_the_service_fills_the_country_from_the_city(rep, teammate):
    lead = services.create_lead(
        actor=rep,
        company_name="Clyde Marine Ltd",
        city="Glasgow",
        contacts=[{"name": "Pat", "phone": "0141 316 5767"}],
    )
    assert lead.country == "GB"
    with pytest.raises(DuplicateOwned) as refused:
        services.create_lead(
            actor=teammate,
            company_name="Some Other Name",
            contacts=[{"name": "Pat", "phone": "+44 (0)141 316 5767"}],
        )
    assert refused.value.match_objects[0].lead.pk == lead.pk
    assert "same_phone" in refused.value.match_objects[0].reasons


def test_a_contact_added_later_is_read_in_the_customers_country(api, rep, outsider):
    lead_id = create(api, rep, {"company_name": "Rainier Outfitters", "city": "Seattle"}).json()[
        "id"
    ]
    added = api(rep).post(
        f"/api/v1/leads/{lead_id}/contacts/",
        {"name": "Pat", "phone": "(206) 998-7602"},
        format="json",
    )
    assert added.status_code == 201, added.content
    assert LeadKey.objects.filter(lead_id=lead_id, key="phone:+12069987602").exists()
    refused = create(api, outsider, customer("Anything", "+1 206 998 7602"))
    assert refused.status_code == 409
    assert refused.json()["code"] == "duplicate_owned"


def test_the_check_endpoint_takes_an_invalid_country_without_failing(api, rep, outsider):
    create(api, outsider, customer("Harbour Lights Trading", "+1 206-998-7602"))
    matches = check(api, rep, {"country": "XX", "contacts": [{"phone": "+1 206 998 7602"}]})
    assert [m["level"] for m in matches] == ["strong"]


def test_bali_is_not_paris(api, rep):
    # 巴黎 (Paris) and Bali have one pinyin key, `bali`: Bali must not become French.
    response = create(api, rep, {"company_name": "Ubud Villas", "city": "Bali"})
    assert response.status_code == 201, response.content
    assert response.json()["country"] != "FR"


def test_paris_written_in_chinese_is_france(api, rep):
    response = create(api, rep, {"company_name": "Meridian Holdings", "city": "巴黎"})
    assert response.status_code == 201, response.content
    assert response.json()["country"] == "FR"


def test_a_number_dialled_from_china_with_00_is_read_in_a_country_that_dials_00(api, rep, outsider):
    first = create(api, outsider, customer("Clyde Marine Ltd", "+44 141 316 5767", city="Glasgow"))
    refused = create(api, rep, customer("Clyde Marin Ltd", "0044 141 316 5767", city="Glasgow"))
    assert refused.status_code == 409, refused.content
    assert refused.json()["matches"][0]["lead"] == first.json()["id"]


@pytest.mark.parametrize(
    ("city", "international", "dialled_from_china"),
    [
        ("Seattle", "+1 206-998-7602", "001 206 998 7602"),
        ("Singapore", "+65 8220 5816", "0065 8220 5816"),
    ],
    ids=["US", "SG"],
)
def test_a_number_dialled_from_china_with_00_is_read_abroad(
    api, rep, outsider, city, international, dialled_from_china
):
    first = create(api, outsider, customer("Harbour Lights Trading", international, city=city))
    assert first.status_code == 201, first.content
    refused = create(api, rep, customer("Harbour Light Trading", dialled_from_china, city=city))
    assert refused.status_code == 409, refused.content
    assert refused.json()["code"] == "duplicate_owned"
    assert "same_phone" in refused.json()["matches"][0]["reasons"]
