from django.urls import path

from . import views

urlpatterns = [
    path("auth/token/", views.TokenObtainApi.as_view(), name="api-token"),
    path("auth/token/revoke/", views.TokenRevokeApi.as_view(), name="api-token-revoke"),
    path("audit-events/", views.AuditEventListApi.as_view(), name="api-audit-events"),
    path("me/", views.MeApi.as_view(), name="api-me"),
    path("me/password/", views.PasswordChangeApi.as_view(), name="api-me-password"),
    path("users/", views.UserListCreateApi.as_view(), name="api-users"),
    path("users/<int:user_id>/", views.UserDetailApi.as_view(), name="api-user"),
    path("teams/", views.TeamListCreateApi.as_view(), name="api-teams"),
    path("teams/<int:team_id>/", views.TeamDetailApi.as_view(), name="api-team"),
    path("api-keys/", views.ApiKeyListCreateApi.as_view(), name="api-api-keys"),
    path("api-keys/<int:key_id>/", views.ApiKeyApi.as_view(), name="api-api-key"),
    path(
        "api-keys/<int:key_id>/revoke/", views.ApiKeyRevokeApi.as_view(), name="api-api-key-revoke"
    ),
    path("notifications/", views.NotificationListApi.as_view(), name="api-notifications"),
    path("notifications/read/", views.NotificationReadApi.as_view(), name="api-notifications-read"),
    path(
        "notifications/preferences/",
        views.NotificationPreferencesApi.as_view(),
        name="api-notification-preferences",
    ),
]
