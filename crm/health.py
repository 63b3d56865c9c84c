from django.db import connection
from django.http import HttpResponse


class HealthCheckMiddleware:
    """`/healthz` for container health checks. Placed first, so it answers before the host
    check and the HTTPS redirect (the probe calls 127.0.0.1 over plain HTTP)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            return HttpResponse("ok", content_type="text/plain")
        return self.get_response(request)
