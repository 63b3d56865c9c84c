from rest_framework.permissions import BasePermission


class IsAdminRole(BasePermission):
    """Admins only: users with the admin role (superusers have it)."""

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.is_admin)
