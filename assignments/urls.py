"""The pages of customers and their ownership: the home page, and everything under /leads/."""

from django.urls import include, path

from .views import actions, customers, detail, home, lists

lead_pages = [
    path("pool/", lists.pool, name="pool"),
    path("mine/", lists.mine, name="mine"),
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
    path("<int:lead_id>/merge/", actions.merge, name="merge"),
]

urlpatterns = [
    path("", home.home, name="home"),
    # The URL namespace is named after the path (/leads/), as before the pages moved here.
    path("leads/", include((lead_pages, "leads"))),
]
