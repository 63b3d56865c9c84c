from rest_framework.permissions import BasePermission

from accounts.models import ApiKey


class IsAdminRole(BasePermission):
    """Admins only: users with the admin role (superusers have it)."""

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.is_admin)


class HasApiKey(BasePermission):
    """Only another system with a live API key (accounts.api.authentication)."""

    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, ApiKey)
