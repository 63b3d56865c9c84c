from django.contrib.auth import views as auth_views
from django.urls import path

from . import notification_views, views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", views.set_language, name="set-language"),
    path("notifications/", notification_views.inbox, name="notifications"),
    path("notifications/read/", notification_views.mark_read, name="notifications-read"),
    path(
        "notifications/preferences/",
        notification_views.preferences,
        name="notifications-preferences",
    ),
]
