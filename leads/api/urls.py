from django.urls import path

from assignments.api import views as ownership
from leads.api import views

urlpatterns = [
    path("leads/", views.LeadListCreateApi.as_view(), name="api-leads"),
    path("leads/<int:lead_id>/", views.LeadDetailApi.as_view(), name="api-lead"),
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
