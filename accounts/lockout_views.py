"""What a locked-out (username, IP) sees (AXES_LOCKOUT_CALLABLE): on the sign-in page and in
the admin a page that says until when; on the API the JSON error with Retry-After."""

from django.http import JsonResponse
from django.shortcuts import render

from . import lockout


def lockout_response(request, original_response=None, credentials=None):
    until = lockout.locked_until(request, credentials)
    seconds = lockout.retry_after_seconds(until)
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {
                "code": "locked_out",
                "detail": lockout.locked_out_message(until),
                "retry_after": seconds,
                "locked_until": until.isoformat(),
            },
            status=429,
        )
    else:
        response = render(
            request,
            "registration/locked_out.html",
            {"until": until, "message": lockout.locked_out_message(until)},
            status=429,
        )
    response["Retry-After"] = str(seconds)
    return response
