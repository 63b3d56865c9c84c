"""The Permissions-Policy header (django-csp covers Content-Security-Policy only)."""

from django.conf import settings


def permissions_policy_header(policy: dict[str, list[str]]) -> str:
    """{"camera": [], "fullscreen": ["self"]} -> 'camera=(), fullscreen=(self)'."""
    parts = []
    for feature, allowed in policy.items():
        origins = " ".join(o if o in ("self", "*") else f'"{o}"' for o in allowed)
        parts.append(f"{feature}=({origins})")
    return ", ".join(parts)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy_header(getattr(settings, "PERMISSIONS_POLICY", {}))

    def __call__(self, request):
        response = self.get_response(request)
        if self.header and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.header
        return response
