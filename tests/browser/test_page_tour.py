"""Every page the collisions work touches, on a phone (390x844) and a desktop, in English and
in Chinese: the pool (live), the owner notice, a customer's page with its collision log, the
approvals inbox, My requests, filing a dispute, the disputes list and the arbitration page.
Each page is checked for what it must show and photographed for a person to look at."""

import os
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import User
from assignments import services
from assignments.exceptions import AlreadyOwned
from tests.conftest import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "var/screenshots"))
SIZES = {"390": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_pages(browser, live_server, login, team, language, size):
    boss = make_user("boss", role=User.Role.ADMIN)
    mia = make_user(
        "mia", role=User.Role.MANAGER, team=team, display_name="Mia Wang", language=language
    )
    team.manager = mia
    team.save()
    amy = make_user("amy", team=team, display_name="Amy Chen", language=language)
    wei = make_user("wei", team=team, display_name="张伟")
    services.create_lead(actor=boss, company_name="苏州远山机械有限公司", city="苏州")
    taken = services.create_lead(actor=wei, company_name="杭州云帆物流有限公司", city="杭州")
    deal = services.create_deal(lead_id=taken.pk, actor=wei, title="年度运输", amount=Decimal(900))
    services.win_deal(deal_id=deal.pk, actor=wei)
    asked = services.create_lead(actor=wei, company_name="宁波海川贸易有限公司", city="宁波")
    for lead in (taken, asked):
        with pytest.raises(AlreadyOwned):
            services.claim_lead(lead_id=lead.pk, actor=amy)
    services.request_transfer(lead_id=asked.pk, actor=amy, reason="我先拜访过")
    dispute = services.file_dispute(lead_id=taken.pk, actor=amy, statement="展会上是我开发的")

    def shoot(page, name, testid):
        expect(page.get_by_test_id(testid).first).to_be_visible()
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"tour-{name}-{language}-{size}.png"), full_page=True)

    rep = browser.new_context(viewport=SIZES[size]).new_page()
    login(rep, amy.username, PASSWORD)
    rep.goto(f"{live_server.url}/leads/pool/")
    shoot(rep, "pool", "pool-row")
    rep.goto(f"{live_server.url}/leads/{asked.pk}/")
    shoot(rep, "not-yours", "owner-notice")
    rep.goto(f"{live_server.url}/leads/{asked.pk}/dispute/")
    shoot(rep, "dispute-new", "dispute-new")
    rep.goto(f"{live_server.url}/leads/transfers/mine/")
    shoot(rep, "my-requests", "my-request")
    rep.goto(f"{live_server.url}/leads/disputes/")
    shoot(rep, "disputes-rep", "dispute-row")
    rep.goto(f"{live_server.url}/leads/disputes/{dispute.pk}/")
    shoot(rep, "dispute-rep", "dispute-summary")

    manager = browser.new_context(viewport=SIZES[size]).new_page()
    login(manager, mia.username, PASSWORD)
    manager.goto(f"{live_server.url}/leads/{taken.pk}/")
    # Open when there is anything to show: rep's refused claim.
    expect(manager.get_by_test_id("collisions")).to_have_attribute("open", "")
    shoot(manager, "detail-collisions", "collisions")
    manager.goto(f"{live_server.url}/leads/transfers/")
    shoot(manager, "approvals", "transfer-request")
    manager.goto(f"{live_server.url}/leads/disputes/{dispute.pk}/")
    shoot(manager, "arbitration", "ruling-form")
