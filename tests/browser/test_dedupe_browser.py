import pytest
from playwright.sync_api import expect

from assignments import services
from leads.models import Lead
from tests.conftest import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def rep_and_anothers_customer(transactional_db):
    owner = make_user("lin", display_name="林涛")
    rep = make_user("amy", display_name="Amy Chen")
    lead = services.create_lead(
        actor=owner,
        company_name="深圳市星辰信息科技有限公司",
        city="深圳",
        contacts=[{"name": "陈总", "phone": "13800138000", "email": "chen@xingchen-tech.cn"}],
    )
    return rep, lead


def test_collision_notice_appears_while_typing(page, live_server, login, rep_and_anothers_customer):
    rep, lead = rep_and_anothers_customer
    login(page, rep.username, PASSWORD)
    page.goto(f"{live_server.url}/leads/new/")
    page.get_by_label("Company name").press_sequentially("星辰信息科技（深圳）有限公司")
    page.get_by_label("Contact phone").press_sequentially("+86 138-0013-8000")

    notice = page.get_by_test_id("duplicate")
    expect(notice).to_have_count(1)
    expect(notice).to_contain_text("Already exists: 深圳市星辰信息科技有限公司 — owner 林涛")
    expect(notice).to_contain_text("protected until")
    expect(notice).to_contain_text("same phone")
    expect(notice.get_by_role("button", name="Request transfer")).to_be_visible()
    # The other rep's contact details stay hidden; nothing was submitted or created.
    expect(page.get_by_test_id("duplicates-box")).not_to_contain_text("13800138000")
    assert page.url == f"{live_server.url}/leads/new/"
    assert Lead.objects.count() == 1
    assert lead.pk == Lead.objects.get().pk
