"""The dashboard page (经理看板) and its CSV downloads: who may open them, what bad input
shows, and that they carry the same numbers as the API (the fixed history of
stats_world.py), in English and in Chinese."""

import csv
import io
import json
import re

import pytest

from tests.assignments.stats_world import CREDIT_RANGE, RANGE, build

pytestmark = pytest.mark.django_db

NAMES = ["collisions", "requests", "activity", "expiring", "pool-flow", "funnel", "won"]


@pytest.fixture
def sw(team, other_team, manager, other_manager, rep, teammate, outsider, admin_user):
    return build(
        team=team,
        other_team=other_team,
        manager=manager,
        other_manager=other_manager,
        rep=rep,
        teammate=teammate,
        outsider=outsider,
        admin_user=admin_user,
    )


def page(client, user, **params):
    client.force_login(user)
    return client.get("/dashboard/", params)


def rows_of(csv_response) -> list[list[str]]:
    text = b"".join(
        csv_response.streaming_content if csv_response.streaming else [csv_response.content]
    )
    decoded = text.decode("utf-8")
    assert decoded.startswith("\ufeff")  # spreadsheet programs read it as UTF-8
    return list(csv.reader(io.StringIO(decoded[1:])))


# --- who may open it --------------------------------------------------------------------------
def test_anonymous_is_sent_to_the_login_page(client, sw):
    assert client.get("/dashboard/").status_code == 302
    assert client.get("/dashboard/won.csv").status_code == 302


def test_reps_are_refused_the_page_and_every_csv(client, sw):
    assert page(client, sw.alice).status_code == 403
    for name in NAMES:
        assert client.get(f"/dashboard/{name}.csv").status_code == 403


def test_the_nav_shows_the_dashboard_to_managers_and_admins_only(client, sw):
    client.force_login(sw.alice)
    assert 'href="/dashboard/"' not in client.get("/").content.decode()
    for user in (sw.manny, sw.admin):
        client.force_login(user)
        assert 'href="/dashboard/"' in client.get("/").content.decode()


def test_a_manager_sees_their_team_not_another(client, sw):
    assert page(client, sw.manny, team=sw.east.pk, **RANGE).status_code == 200
    assert page(client, sw.manny, team=sw.south.pk, **RANGE).status_code == 403
    assert client.get("/dashboard/collisions.csv", {"team": sw.south.pk}).status_code == 403
    html = page(client, sw.manny).content.decode()
    # The team filter offers only their own teams.
    assert f'<option value="{sw.east.pk}"' in html and f'<option value="{sw.south.pk}"' not in html


def test_an_admin_sees_every_team(client, sw):
    html = page(client, sw.admin, **RANGE).content.decode()
    assert f'<option value="{sw.east.pk}"' in html and f'<option value="{sw.south.pk}"' in html
    assert page(client, sw.admin, team=sw.south.pk, **RANGE).status_code == 200
    assert page(client, sw.admin, team=999_999).status_code == 404


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "2026-02-30"}, "must be a date written as YYYY-MM-DD"),
        ({"from": "2026-03-10", "to": "2026-03-01"}, "must not be after its end"),
        ({"from": "2026-01-01", "to": "2026-04-03"}, "at most 92 days"),
        ({"team": "x"}, "given by its number"),
    ],
)
def test_bad_input_shows_the_form_again_with_a_message(client, sw, params, message):
    response = page(client, sw.manny, **params)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="dashboard-error"' in html and message in html
    assert 'data-testid="dashboard-filters"' in html
    assert client.get("/dashboard/won.csv", params).status_code == 400


def test_an_unknown_csv_is_404(client, sw):
    client.force_login(sw.manny)
    assert client.get("/dashboard/everything.csv").status_code == 404


# --- what it shows ----------------------------------------------------------------------------
def test_the_page_has_a_chart_a_table_and_a_csv_link_per_statistic(client, sw):
    html = page(client, sw.admin, **RANGE).content.decode()
    for name in NAMES:
        assert f'data-testid="stat-{name}"' in html
        assert f'data-testid="chart-{name}"' in html
        assert f'data-testid="table-{name}"' in html
        assert f'href="/dashboard/{name}.csv?from=2026-03-02&amp;to=2026-03-22"' in html
    # The vendored chart library, never a CDN: every script the page loads is one of ours.
    # (Not a substring test for "cdn": the random CSRF token may contain those letters.)
    assert "/static/vendor/chart-4.6.2.umd.js" in html
    sources = re.findall(r'<script[^>]*\bsrc="([^"]*)"', html)
    assert sources and all(src.startswith("/static/") for src in sources), sources
    # The filter keeps the range in the URL.
    assert 'name="from" value="2026-03-02"' in html and 'name="to" value="2026-03-22"' in html


def test_the_chart_data_in_the_page_is_the_apis(client, api, sw):
    response = page(client, sw.manny, **RANGE)
    chart = response.context["sections"][0]["chart"]
    assert response.context["sections"][0]["name"] == "collisions"
    body = api(sw.manny).get("/api/v1/stats/collisions/", RANGE).json()
    assert [s["data"] for s in chart["series"]] == [
        [float(v) for v in s["data"]] for s in body["series"]
    ]
    html = response.content.decode()
    start = html.index('id="chart-data-collisions"')
    payload = html[html.index(">", start) + 1 : html.index("</script>", start)]
    assert json.loads(payload)["labels"] == ["March 2", "March 9", "March 16"]


def test_the_tables_hold_the_hand_counted_figures(client, sw):
    html = page(client, sw.admin, **RANGE).content.decode()
    # Funnel: new 4, contacted 4, qualified 3 (75.0% of the stage before), won 1 (33.3%).
    funnel = html[html.index('data-testid="table-funnel"') :]
    funnel = funnel[: funnel.index("</table>")]
    for text in ("<td>New</td>", "75.0%", "33.3%", "25.0%"):
        assert text in funnel
    requests = html[html.index('data-testid="stat-requests"') :]
    assert "T5" in requests[: requests.index("</section>")]


def test_in_chinese(client, sw):
    client.force_login(sw.manny)
    client.post("/language/", {"language": "zh-hans"})
    response = client.get("/dashboard/", CREDIT_RANGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="zh-hans"' in html
    # Dates the Chinese way in the chart's labels (months and weeks).
    assert "2月16日" in html and "2026年3月" in html


# --- CSV --------------------------------------------------------------------------------------
def test_activity_csv_has_a_row_per_rep_per_week(client, sw):
    client.force_login(sw.admin)
    response = client.get("/dashboard/activity.csv", RANGE)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "noclash-activity-20260302-20260322.csv" in response["Content-Disposition"]
    rows = rows_of(response)
    assert rows[0] == ["Rep", "Week", "Claims", "Releases", "Expiries", "Follow-ups"]
    assert rows[1:] == [
        ["Alice Rep", "2026-03-02", "2", "1", "0", "2"],
        ["Bob Rep", "2026-03-09", "1", "0", "1", "1"],
        ["Charlie Rep", "2026-03-16", "1", "0", "1", "1"],
    ]


def test_won_csv_of_a_managers_team(client, sw):
    client.force_login(sw.manny)
    rows = rows_of(client.get("/dashboard/won.csv", CREDIT_RANGE))
    assert rows == [
        ["Rep", "Currency", "February 2026", "March 2026", "April 2026", "Total"],
        ["Alice Rep", "CNY", "1000.00", "1500.00", "0.00", "2500.00"],
        ["Bob Rep", "CNY", "0.00", "1000.00", "0.00", "1000.00"],
    ]


def test_collisions_csv(client, sw):
    client.force_login(sw.admin)
    rows = rows_of(client.get("/dashboard/collisions.csv", RANGE))
    assert rows[0][0] == "Week" and rows[0][-1] == "Total"
    assert [(row[0], row[-1]) for row in rows[1:]] == [
        ("2026-03-02", "2"),
        ("2026-03-09", "1"),
        ("2026-03-16", "1"),
    ]
