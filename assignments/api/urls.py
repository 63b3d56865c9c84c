"""The API of customers and their ownership (`/api/v1/`): every URL that names a lead."""

from django.urls import path

from . import customers, views

urlpatterns = [
    path("leads/", customers.LeadListCreateApi.as_view(), name="api-leads"),
    path(
        "leads/duplicates/",
        customers.LeadDuplicateCheckApi.as_view(),
        name="api-lead-duplicate-check",
    ),
    path("leads/import/", customers.LeadImportApi.as_view(), name="api-lead-import"),
    path("leads/<int:lead_id>/", customers.LeadDetailApi.as_view(), name="api-lead"),
    path(
        "leads/<int:lead_id>/duplicates/",
        customers.LeadDuplicatesApi.as_view(),
        name="api-lead-duplicates",
    ),
    path("leads/<int:lead_id>/merge/", customers.LeadMergeApi.as_view(), name="api-lead-merge"),
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
        views.LeadTransferRequestsApi.as_view(),
        name="api-lead-transfer-requests",
    ),
    path(
        "transfer-requests/",
        views.TransferRequestListApi.as_view(),
        name="api-transfer-requests",
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
    path("policy/", views.GlobalPolicyApi.as_view(), name="api-policy"),
    path("teams/<int:team_id>/policy/", views.TeamPolicyApi.as_view(), name="api-team-policy"),
]
