from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AssignmentsConfig(AppConfig):
    name = "assignments"
    verbose_name = _("Ownership")

    def ready(self) -> None:
        from .schedules import ensure_periodic_tasks

        # After every migrate (and test flush): the default periodic jobs exist.
        post_migrate.connect(ensure_periodic_tasks, sender=self, dispatch_uid="noclash-schedules")
