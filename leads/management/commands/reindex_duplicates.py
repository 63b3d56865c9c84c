from django.core.management.base import BaseCommand
from django.db import transaction

from leads.dedupe.index import reindex_all


class Command(BaseCommand):
    help = "Rebuild the duplicate-check index of every lead (after changing normalisation rules)."

    def handle(self, *args, **options):
        # One transaction: lookups never see a half-built index.
        with transaction.atomic():
            done = reindex_all()
        self.stdout.write(f"Indexed {done} leads.")
