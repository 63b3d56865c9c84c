import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings.base")

app = Celery("crm")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# crm is no Django app, but it has a task of its own (the nightly backup).
app.autodiscover_tasks(["crm"])
