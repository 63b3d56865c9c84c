from django.contrib.auth import views as auth_views
from django.urls import path

from . import console_views, notification_views, views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("language/", views.set_language, name="set-language"),
    path("notifications/", notification_views.inbox, name="notifications"),
    path("notifications/read/", notification_views.mark_read, name="notifications-read"),
    path(
        "notifications/preferences/",
        notification_views.preferences,
        name="notifications-preferences",
    ),
    path("settings/", console_views.settings_home, name="settings"),
    path("settings/teams/", console_views.teams, name="console-teams"),
    path("settings/teams/<int:team_id>/", console_views.team_edit, name="console-team"),
    path("settings/api-keys/", console_views.api_keys, name="console-api-keys"),
    path("settings/audit/", console_views.audit, name="console-audit"),
    path(
        "settings/api-keys/<int:key_id>/revoke/",
        console_views.api_key_revoke,
        name="console-api-key-revoke",
    ),
]
