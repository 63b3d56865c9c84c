from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from crm.errors import DomainError

from ...services import import_leads, rows_from_csv


class Command(BaseCommand):
    help = (
        "Import customers from a CSV file (UTF-8; header: company_name, uscc, website, province, "
        "city, industry, source, contact_name, contact_title, contact_phone, contact_email), "
        "each row through the duplicate check. Refused rows are listed; the rest are created."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--as", dest="username", required=True, help="the admin or manager importing"
        )
        parser.add_argument("--pool-team", type=int, default=None, help="team pool id")
        parser.add_argument(
            "--confirm-duplicates",
            action="store_true",
            help="create rows that only look like existing customers (weak matches)",
        )

    def handle(self, *args, file: Path, username: str, pool_team, confirm_duplicates, **options):
        actor = User.objects.filter(username=username, is_active=True).first()
        if actor is None:
            raise CommandError(f"No active user {username!r}.")
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        try:
            report = import_leads(
                actor=actor,
                rows=rows_from_csv(text),
                pool_team_id=pool_team,
                confirm_duplicates=confirm_duplicates,
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        for result in report.results:
            if result.lead is None:
                self.stdout.write(f"row {result.row}: {result.code} — {result.detail}")
        counts = ", ".join(f"{code} {n}" for code, n in sorted(report.counts().items()))
        self.stdout.write(f"Imported {report.created} of {len(report.results)} rows ({counts}).")
