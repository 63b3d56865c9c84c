"""Hot paths keep a fixed number of queries, whatever the page size (no N+1)."""

import pytest

pytestmark = pytest.mark.django_db


def test_lead_list_queries_do_not_grow_with_the_page(
    api, rep, teammate, make_lead, django_assert_max_num_queries
):
    for i in range(30):
        make_lead(company_name=f"Pool {i}")
    for i in range(5):
        make_lead(actor=rep, company_name=f"Mine {i}")
    client = api(rep)
    # auth token + managed teams + page + contacts + live ownerships (+ created_by join)
    with django_assert_max_num_queries(6):
        body = client.get("/api/v1/leads/?page_size=100").json()
    assert len(body["results"]) == 35


def test_claim_uses_a_small_fixed_number_of_queries(
    api, rep, make_lead, set_policy, django_assert_max_num_queries
):
    set_policy(claim_limit=10)  # the global policy row exists, as in any running system
    lead = make_lead()
    client = api(rep)
    # token, lock rep, lock lead, open period, policy, last loss, live count, insert period,
    # insert history, plus the transaction's savepoint/commit statements.
    with django_assert_max_num_queries(12):
        assert client.post(f"/api/v1/leads/{lead.pk}/claim/").status_code == 200
