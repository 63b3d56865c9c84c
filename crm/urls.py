"""Root URLs. Each app owns its doors; this file only mounts them (by name: the project
package imports no app)."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

api_patterns = [
    path("", include("accounts.api.urls")),
    path("", include("assignments.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_patterns)),
    path("", include("accounts.urls")),
    path("", include("assignments.urls")),
]

# Errors that escape the views: JSON `{code, detail}` on /api/ paths, a page elsewhere.
handler400 = "crm.errors_views.bad_request"
handler403 = "crm.errors_views.permission_denied"
handler404 = "crm.errors_views.page_not_found"
handler500 = "crm.errors_views.server_error"
