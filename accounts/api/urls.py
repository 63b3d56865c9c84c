from django.urls import path

from . import views

urlpatterns = [
    path("auth/token/", views.TokenObtainApi.as_view(), name="api-token"),
    path("me/", views.MeApi.as_view(), name="api-me"),
    path("users/", views.UserListCreateApi.as_view(), name="api-users"),
    path("teams/", views.TeamListCreateApi.as_view(), name="api-teams"),
    path("notifications/", views.NotificationListApi.as_view(), name="api-notifications"),
    path("notifications/read/", views.NotificationReadApi.as_view(), name="api-notifications-read"),
    path(
        "notifications/preferences/",
        views.NotificationPreferencesApi.as_view(),
        name="api-notification-preferences",
    ),
]
