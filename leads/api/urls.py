from django.urls import path

from assignments.api import views as ownership
from leads.api import views

urlpatterns = [
    path("leads/", views.LeadListCreateApi.as_view(), name="api-leads"),
    path(
        "leads/duplicates/", views.LeadDuplicateCheckApi.as_view(), name="api-lead-duplicate-check"
    ),
    path("leads/import/", views.LeadImportApi.as_view(), name="api-lead-import"),
    path("leads/<int:lead_id>/", views.LeadDetailApi.as_view(), name="api-lead"),
    path(
        "leads/<int:lead_id>/duplicates/",
        views.LeadDuplicatesApi.as_view(),
        name="api-lead-duplicates",
    ),
    path("leads/<int:lead_id>/merge/", views.LeadMergeApi.as_view(), name="api-lead-merge"),
    path(
        "leads/<int:lead_id>/contacts/", views.LeadContactsApi.as_view(), name="api-lead-contacts"
    ),
    path(
        "leads/<int:lead_id>/contacts/<int:contact_id>/",
        views.LeadContactApi.as_view(),
        name="api-lead-contact",
    ),
    path(
        "leads/<int:lead_id>/transfer-requests/",
        ownership.LeadTransferRequestsApi.as_view(),
        name="api-lead-transfer-requests",
    ),
    path(
        "transfer-requests/",
        ownership.TransferRequestListApi.as_view(),
        name="api-transfer-requests",
    ),
    path(
        "leads/<int:lead_id>/followups/",
        views.LeadFollowUpsApi.as_view(),
        name="api-lead-followups",
    ),
    path("leads/<int:lead_id>/claim/", ownership.LeadClaimApi.as_view(), name="api-lead-claim"),
    path(
        "leads/<int:lead_id>/release/", ownership.LeadReleaseApi.as_view(), name="api-lead-release"
    ),
    path(
        "leads/<int:lead_id>/reassign/",
        ownership.LeadReassignApi.as_view(),
        name="api-lead-reassign",
    ),
    path(
        "leads/<int:lead_id>/history/", ownership.LeadHistoryApi.as_view(), name="api-lead-history"
    ),
    path("policy/", ownership.GlobalPolicyApi.as_view(), name="api-policy"),
    path("teams/<int:team_id>/policy/", ownership.TeamPolicyApi.as_view(), name="api-team-policy"),
]
