"""Printed by `make run` before the processes start: where to go and how to log in."""

import os

port = os.environ.get("PORT", "8000")
print(
    f"""
================================================================
 NoClash CRM is starting at  http://127.0.0.1:{port}/
 (web + Celery worker + Celery beat; Ctrl-C stops all three)

 Demo logins
   admin                     / noclash-admin   (admin)
   manager1, manager2        / noclash-demo    (managers)
   rep1 ... rep8             / noclash-demo    (sales reps)
================================================================
""",
    flush=True,
)
