"""The API of customers and their ownership (`/api/v1/`): every URL that names a lead."""

from django.urls import path

from . import (
    agenda,
    bulk,
    bulk_reassignments,
    collaboration,
    collisions,
    customers,
    deals,
    disputes,
    intake,
    merge_preview,
    stats,
    territory,
    transfers,
    views,
)

urlpatterns = [
    path("leads/", customers.LeadListCreateApi.as_view(), name="api-leads"),
    path("intake/", intake.IntakeApi.as_view(), name="api-intake"),
    path(
        "leads/duplicates/",
        customers.LeadDuplicateCheckApi.as_view(),
        name="api-lead-duplicate-check",
    ),
    path("leads/import/", customers.LeadImportApi.as_view(), name="api-lead-import"),
    path("leads/bulk-claim/", bulk.LeadBulkClaimApi.as_view(), name="api-leads-bulk-claim"),
    path("leads/bulk-release/", bulk.LeadBulkReleaseApi.as_view(), name="api-leads-bulk-release"),
    path("leads/<int:lead_id>/", customers.LeadDetailApi.as_view(), name="api-lead"),
    path(
        "leads/<int:lead_id>/duplicates/",
        customers.LeadDuplicatesApi.as_view(),
        name="api-lead-duplicates",
    ),
    path("leads/<int:lead_id>/merge/", customers.LeadMergeApi.as_view(), name="api-lead-merge"),
    path(
        "leads/<int:lead_id>/merge/preview/",
        merge_preview.LeadMergePreviewApi.as_view(),
        name="api-lead-merge-preview",
    ),
    path(
        "leads/<int:lead_id>/contacts/",
        customers.LeadContactsApi.as_view(),
        name="api-lead-contacts",
    ),
    path(
        "leads/<int:lead_id>/contacts/<int:contact_id>/",
        customers.LeadContactApi.as_view(),
        name="api-lead-contact",
    ),
    path(
        "leads/<int:lead_id>/transfer-requests/",
        transfers.LeadTransferRequestsApi.as_view(),
        name="api-lead-transfer-requests",
    ),
    path(
        "leads/<int:lead_id>/disputes/",
        disputes.LeadDisputesApi.as_view(),
        name="api-lead-disputes",
    ),
    path("disputes/", disputes.DisputeListApi.as_view(), name="api-disputes"),
    path("disputes/<int:dispute_id>/", disputes.DisputeApi.as_view(), name="api-dispute"),
    path(
        "disputes/<int:dispute_id>/rule/",
        disputes.DisputeRuleApi.as_view(),
        name="api-dispute-rule",
    ),
    path(
        "disputes/<int:dispute_id>/withdraw/",
        disputes.DisputeWithdrawApi.as_view(),
        name="api-dispute-withdraw",
    ),
    path(
        "transfer-requests/",
        transfers.TransferRequestListApi.as_view(),
        name="api-transfer-requests",
    ),
    path(
        "transfer-requests/<int:request_id>/",
        transfers.TransferRequestApi.as_view(),
        name="api-transfer-request",
    ),
    path(
        "transfer-requests/<int:request_id>/approve/",
        transfers.TransferApproveApi.as_view(),
        name="api-transfer-approve",
    ),
    path(
        "transfer-requests/<int:request_id>/reject/",
        transfers.TransferRejectApi.as_view(),
        name="api-transfer-reject",
    ),
    path(
        "transfer-requests/<int:request_id>/withdraw/",
        transfers.TransferWithdrawApi.as_view(),
        name="api-transfer-withdraw",
    ),
    path(
        "leads/<int:lead_id>/followups/",
        customers.LeadFollowUpsApi.as_view(),
        name="api-lead-followups",
    ),
    path("leads/<int:lead_id>/claim/", views.LeadClaimApi.as_view(), name="api-lead-claim"),
    path("leads/<int:lead_id>/release/", views.LeadReleaseApi.as_view(), name="api-lead-release"),
    path(
        "leads/<int:lead_id>/reassign/",
        views.LeadReassignApi.as_view(),
        name="api-lead-reassign",
    ),
    path("leads/<int:lead_id>/history/", views.LeadHistoryApi.as_view(), name="api-lead-history"),
    path("leads/<int:lead_id>/status/", deals.LeadStatusApi.as_view(), name="api-lead-status"),
    path("leads/<int:lead_id>/deals/", deals.LeadDealsApi.as_view(), name="api-lead-deals"),
    path("deals/<int:deal_id>/", deals.DealApi.as_view(), name="api-deal"),
    path("deals/<int:deal_id>/win/", deals.DealWinApi.as_view(), name="api-deal-win"),
    path("deals/<int:deal_id>/lose/", deals.DealLoseApi.as_view(), name="api-deal-lose"),
    path("deals/<int:deal_id>/credits/", deals.DealCreditsApi.as_view(), name="api-deal-credits"),
    path("credits/", deals.CreditListApi.as_view(), name="api-credits"),
    path("deal-stages/", deals.DealStagesApi.as_view(), name="api-deal-stages"),
    path(
        "leads/<int:lead_id>/collaborators/",
        collaboration.LeadCollaboratorsApi.as_view(),
        name="api-lead-collaborators",
    ),
    path(
        "leads/<int:lead_id>/collaborators/<int:user_id>/",
        collaboration.LeadCollaboratorApi.as_view(),
        name="api-lead-collaborator",
    ),
    path(
        "leads/<int:lead_id>/credit-shares/",
        collaboration.LeadCreditSharesApi.as_view(),
        name="api-lead-credit-shares",
    ),
    path(
        "leads/<int:lead_id>/credit-shares/approve/",
        collaboration.LeadCreditSharesApproveApi.as_view(),
        name="api-lead-credit-shares-approve",
    ),
    path(
        "leads/<int:lead_id>/credit-shares/reject/",
        collaboration.LeadCreditSharesRejectApi.as_view(),
        name="api-lead-credit-shares-reject",
    ),
    path(
        "users/<int:user_id>/hand-over/",
        bulk_reassignments.HandOverApi.as_view(),
        name="api-user-hand-over",
    ),
    path(
        "bulk-reassignments/",
        bulk_reassignments.BulkReassignmentListApi.as_view(),
        name="api-bulk-reassignments",
    ),
    path(
        "bulk-reassignments/<int:job_id>/",
        bulk_reassignments.BulkReassignmentApi.as_view(),
        name="api-bulk-reassignment",
    ),
    path(
        "bulk-reassignments/<int:job_id>/report.csv",
        bulk_reassignments.BulkReassignmentReportApi.as_view(),
        name="api-bulk-reassignment-report",
    ),
    path("agenda/", agenda.AgendaApi.as_view(), name="api-agenda"),
    path("stats/<str:name>/", stats.StatsApi.as_view(), name="api-stats"),
    path("collisions/", collisions.CollisionListApi.as_view(), name="api-collisions"),
    path("lost-reasons/", deals.LostReasonsApi.as_view(), name="api-lost-reasons"),
    path("policy/", views.GlobalPolicyApi.as_view(), name="api-policy"),
    path("teams/<int:team_id>/policy/", views.TeamPolicyApi.as_view(), name="api-team-policy"),
    path(
        "territory-rules/",
        territory.TerritoryRuleListCreateApi.as_view(),
        name="api-territory-rules",
    ),
    path(
        "territory-rules/reorder/",
        territory.TerritoryRuleReorderApi.as_view(),
        name="api-territory-rules-reorder",
    ),
    path(
        "territory-rules/preview/",
        territory.TerritoryRulePreviewApi.as_view(),
        name="api-territory-rules-preview",
    ),
    path(
        "territory-rules/changes/",
        territory.TerritoryRuleChangeListApi.as_view(),
        name="api-territory-rule-changes",
    ),
    path(
        "territory-rules/<int:rule_id>/",
        territory.TerritoryRuleApi.as_view(),
        name="api-territory-rule",
    ),
]
