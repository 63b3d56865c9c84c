"""The pages of customers and their ownership: the home page, and everything under /leads/."""

from django.urls import include, path

from .views import (
    actions,
    bulk,
    bulk_reassign,
    console_policies,
    console_rules,
    console_users,
    customers,
    dashboard,
    deals,
    detail,
    disputes,
    handover,
    home,
    imports,
    lists,
    merge,
    results,
    rules_open,
    teamwork,
    transfers,
)

lead_pages = [
    path("pool/", lists.pool, name="pool"),
    path("pool/changes/", lists.pool_changes, name="pool_changes"),
    path("pool/claim/", bulk.claim, name="bulk_claim"),
    path("mine/", lists.mine, name="mine"),
    path("mine/release/", bulk.release, name="bulk_release"),
    path("team/", lists.team, name="team"),
    path("new/", customers.create, name="new"),
    path("new/check/", customers.check_duplicates, name="check_duplicates"),
    path("<int:lead_id>/", detail.detail, name="detail"),
    path("<int:lead_id>/edit/", customers.edit, name="edit"),
    path("<int:lead_id>/claim/", actions.claim, name="claim"),
    path("<int:lead_id>/release/", actions.release, name="release"),
    path("<int:lead_id>/followup/", actions.followup, name="followup"),
    path("<int:lead_id>/reassign/", actions.reassign, name="reassign"),
    path("<int:lead_id>/contacts/add/", customers.add_contact, name="add_contact"),
    path("<int:lead_id>/request-transfer/", actions.request_transfer, name="request_transfer"),
    path("<int:lead_id>/merge/", merge.merge, name="merge"),
    path("<int:lead_id>/status/", deals.change_status, name="change_status"),
    path("<int:lead_id>/deals/add/", deals.add_deal, name="add_deal"),
    path("deals/<int:deal_id>/edit/", deals.edit_deal, name="edit_deal"),
    path("deals/<int:deal_id>/win/", deals.win_deal, name="win_deal"),
    path("deals/<int:deal_id>/lose/", deals.lose_deal, name="lose_deal"),
    path("deals/<int:deal_id>/credit/", deals.correct_credit, name="correct_credit"),
    path("<int:lead_id>/collaborators/add/", teamwork.invite, name="invite"),
    path(
        "<int:lead_id>/collaborators/<int:user_id>/remove/",
        teamwork.remove,
        name="remove_collaborator",
    ),
    path("<int:lead_id>/credit-shares/", teamwork.propose_shares, name="propose_shares"),
    path(
        "<int:lead_id>/credit-shares/<str:decision>/",
        teamwork.decide_shares,
        name="decide_shares",
    ),
    path("helping/", lists.helping, name="helping"),
    path("bulk-moves/", bulk_reassign.moves, name="bulk_moves"),
    path("team/reps/<int:rep_id>/leave/", handover.hand_over, name="hand_over"),
    path("bulk-moves/<int:job_id>/", bulk_reassign.move, name="bulk_move"),
    path(
        "bulk-moves/<int:job_id>/report.csv",
        bulk_reassign.move_report,
        name="bulk_move_report",
    ),
    path("imports/", imports.imports, name="imports"),
    path("imports/<int:job_id>/", imports.job_page, name="import"),
    path("imports/<int:job_id>/start/", imports.start, name="import_start"),
    path("imports/<int:job_id>/report.csv", imports.report, name="import_report"),
    path("transfers/", transfers.inbox, name="transfer_inbox"),
    path("transfers/mine/", transfers.mine, name="my_requests"),
    path("transfers/<int:request_id>/approve/", transfers.approve, name="approve_transfer"),
    path("transfers/<int:request_id>/reject/", transfers.reject, name="reject_transfer"),
    path("transfers/<int:request_id>/withdraw/", transfers.withdraw, name="withdraw_transfer"),
    path("<int:lead_id>/dispute/", disputes.file, name="file_dispute"),
    path("disputes/", disputes.listing, name="disputes"),
    path("disputes/<int:dispute_id>/", disputes.detail, name="dispute"),
    path("disputes/<int:dispute_id>/rule/", disputes.rule, name="rule_dispute"),
    path("disputes/<int:dispute_id>/withdraw/", disputes.withdraw, name="withdraw_dispute"),
]

urlpatterns = [
    path("", home.home, name="home"),
    path("results/", results.mine, name="results"),
    path("results/unsettled/", results.unsettled, name="unsettled"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/<str:name>.csv", dashboard.dashboard_csv, name="dashboard-csv"),
    path("rules/", rules_open.rules, name="rules"),
    # The URL namespace is named after the path (/leads/), as before the pages moved here.
    path("leads/", include((lead_pages, "leads"))),
]

# The admin console (系统设置): users and pool policies here (they show ownership facts);
# teams and API keys in accounts.urls. Admins only.
urlpatterns += [
    path("settings/users/", console_users.users, name="console-users"),
    path("settings/users/new/", console_users.user_new, name="console-user-new"),
    path("settings/users/<int:user_id>/", console_users.user_edit, name="console-user"),
    path(
        "settings/users/<int:user_id>/active/",
        console_users.user_set_active,
        name="console-user-active",
    ),
    path(
        "settings/users/<int:user_id>/away/", console_users.away_add, name="console-user-away-add"
    ),
    path("settings/away/<int:period_id>/end/", console_users.away_end, name="console-away-end"),
    path(
        "settings/away/<int:period_id>/delete/",
        console_users.away_delete,
        name="console-away-delete",
    ),
    path("settings/policies/", console_policies.policies, name="console-policies"),
    path("settings/rules/", console_rules.rules, name="console-rules"),
    path("settings/rules/new/", console_rules.rule_new, name="console-rule-new"),
    path("settings/rules/preview/", console_rules.rule_preview, name="console-rules-preview"),
    path("settings/rules/<int:rule_id>/", console_rules.rule_edit, name="console-rule"),
    path(
        "settings/rules/<int:rule_id>/preview/",
        console_rules.rule_preview,
        name="console-rule-preview",
    ),
    path("settings/rules/<int:rule_id>/move/", console_rules.rule_move, name="console-rule-move"),
    path(
        "settings/rules/<int:rule_id>/active/",
        console_rules.rule_set_active,
        name="console-rule-active",
    ),
    path(
        "settings/rules/<int:rule_id>/delete/",
        console_rules.rule_delete,
        name="console-rule-delete",
    ),
]
