from django.urls import path

from . import views

app_name = "leads"

urlpatterns = [
    path("pool/", views.pool, name="pool"),
    path("mine/", views.mine, name="mine"),
    path("team/", views.team, name="team"),
    path("new/", views.create, name="new"),
    path("new/check/", views.check_duplicates, name="check_duplicates"),
    path("<int:lead_id>/", views.detail, name="detail"),
    path("<int:lead_id>/edit/", views.edit, name="edit"),
    path("<int:lead_id>/claim/", views.claim, name="claim"),
    path("<int:lead_id>/release/", views.release, name="release"),
    path("<int:lead_id>/followup/", views.followup, name="followup"),
    path("<int:lead_id>/reassign/", views.reassign, name="reassign"),
    path("<int:lead_id>/contacts/add/", views.add_contact, name="add_contact"),
    path("<int:lead_id>/request-transfer/", views.request_transfer, name="request_transfer"),
    path("<int:lead_id>/merge/", views.merge, name="merge"),
]
