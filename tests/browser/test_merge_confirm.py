"""Merge without regret in the browser (issue 13, item 5), in English and in Chinese, on a
phone and a desktop: a manager asks to merge a possible duplicate from a customer's page, reads
on the confirmation page which record survives, what moves and who owns the result, and only
the button "Merge X into Y" merges; Cancel goes back with nothing changed."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from assignments import services
from leads.models import Contact, Lead
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "var/screenshots"))
SIZES = {"390": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
FIRST = "深圳市星辰信息科技有限公司"
SECOND = "星晨信息科技有限公司"


@pytest.mark.parametrize("size", ["390", "desktop"])
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_manager_confirms_a_merge_after_reading_what_it_does(
    browser, live_server, login, rep, teammate, manager, language, size
):
    manager.language = language
    manager.save(update_fields=["language"])
    first = services.create_lead(
        actor=rep,
        company_name=FIRST,
        city="深圳",
        contacts=[{"name": "陈总", "phone": "13800138000"}],
    )
    # The same company typed by a colleague with a pinyin slip: a possible duplicate.
    second = services.create_lead(
        actor=teammate,
        company_name=SECOND,
        contacts=[{"name": "周静", "phone": "13922220000"}],
        confirm_duplicate=True,
    )
    services.log_followup(lead_id=second.pk, actor=teammate, kind="call", note="Intro")

    page = browser.new_context(viewport=SIZES[size]).new_page()
    login(page, manager.username, PASSWORD)
    page.goto(f"{live_server.url}/leads/{first.pk}/")
    page.locator(".merge-form button[value=this]").click()

    expect(page.get_by_test_id("merge-survivor")).to_contain_text(FIRST)
    expect(page.get_by_test_id("merge-merged")).to_contain_text(SECOND)
    owner = page.get_by_test_id("merge-owner")
    expect(owner).to_have_attribute("data-outcome", "survivor_owner_keeps")
    expect(owner).to_contain_text("Alice Rep")
    expect(page.get_by_test_id("merge-loses")).to_contain_text("Bob Rep")
    effects = page.get_by_test_id("merge-effects")
    expect(effects.locator("[data-fact=contacts]")).to_contain_text("1")
    expect(effects.locator("[data-fact=followups]")).to_contain_text("1")
    button = page.get_by_test_id("merge-button")
    expect(button).to_contain_text(SECOND)
    expect(button).to_contain_text(FIRST)
    if language == "en":
        expect(button).to_have_text(f"Merge {SECOND} into {FIRST}")
        expect(page.get_by_test_id("merge-cancel")).to_have_text("Cancel")
    else:
        expect(page.get_by_test_id("merge-cancel")).to_have_text("取消")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"merge-confirm-{language}-{size}.png"), full_page=True)
    # Looking changed nothing.
    assert Lead.objects.get(pk=second.pk).merged_into_id is None

    page.get_by_test_id("merge-cancel").click()
    expect(page.get_by_test_id("lead-name")).to_have_text(FIRST)
    assert Lead.objects.get(pk=second.pk).merged_into_id is None

    page.locator(".merge-form button[value=this]").click()
    page.get_by_test_id("merge-button").click()
    expect(page.get_by_test_id("lead-name")).to_have_text(FIRST)
    expect(page.get_by_test_id("contacts")).to_contain_text("周静")
    assert Lead.objects.get(pk=second.pk).merged_into_id == first.pk
    assert set(Contact.objects.filter(lead=first).values_list("name", flat=True)) == {
        "陈总",
        "周静",
    }
