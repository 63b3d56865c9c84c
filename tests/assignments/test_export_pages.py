"""The Export links (导出) of the list pages: each carries its list's scope and filters, and
following it with the page's session downloads what that list shows."""

import csv
import html as html_lib
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from leads.models import ExportRecord

pytestmark = pytest.mark.django_db


def export_links(page: str) -> dict[str, str]:
    found = re.findall(r'href="([^"]+)" download data-testid="export-(csv|xlsx)"', page)
    return {fmt: html_lib.unescape(href) for href, fmt in found}


@pytest.mark.parametrize(
    ("role", "path", "scope"),
    [
        ("rep", "/leads/pool/", "pool"),
        ("rep", "/leads/mine/", "mine"),
        ("rep", "/leads/helping/", "helping"),
        ("manager", "/leads/team/", "team"),
        ("manager", "/leads/pool/", "pool"),
    ],
)
def test_every_list_links_its_export_with_its_filters(client, world, role, path, scope):
    client.force_login(world.users[role])
    page = client.get(path, {"province": "浙江", "q": "Acme & Co", "before": "5"})
    links = export_links(page.content.decode())
    assert set(links) == {"csv", "xlsx"}
    for fmt, href in links.items():
        url = urlsplit(href)
        assert url.path == "/api/v1/leads/export/"
        assert parse_qs(url.query) == {
            "province": ["浙江"],
            "q": ["Acme & Co"],
            "scope": [scope],
            "format": [fmt],
        }


def test_the_pools_export_link_downloads_the_pool_with_the_session(client, world, make_lead):
    rep = world.users["rep"]
    zj = make_lead(province="浙江", city="杭州")
    client.force_login(rep)
    href = export_links(client.get("/leads/pool/", {"province": "浙江"}).content.decode())["csv"]
    response = client.get(href)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="leads-pool-')
    text = b"".join(response.streaming_content).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [int(row["ID"]) for row in rows] == [zj.pk]
    assert rows[0]["Phone"].count("*") == 4
    assert ExportRecord.objects.get().params == {
        "province": "浙江",
        "scope": "pool",
        "format": "csv",
    }


def test_the_team_pages_owner_filter_goes_with_its_export(client, world):
    client.force_login(world.users["manager"])
    page = client.get("/leads/team/", {"owner": world.ids["teammate"]}).content.decode()
    href = export_links(page)["csv"]
    assert parse_qs(urlsplit(href).query)["owner"] == [str(world.ids["teammate"])]
    text = b"".join(client.get(href).streaming_content).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [int(row["ID"]) for row in rows] == [world.ids["mate"]]
