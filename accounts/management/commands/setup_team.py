"""Everything `make serve` (crm/team.py) does before its processes start, in one process:
migrate, collect the static files (only when they changed), and the first admin.

The first admin: nothing once an active admin exists. Otherwise one named
NOCLASH_ADMIN_USERNAME (default `admin`) with NOCLASH_ADMIN_PASSWORD, or with a generated
password printed once.
"""

import hashlib
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.services import create_user

SOURCES_STAMP = ".noclash-sources"


def static_sources_fingerprint() -> str:
    """Every static source file's path, size and time: collecting (hashing and compressing
    hundreds of files) takes seconds, and after the first start there is rarely anything new."""
    digest = hashlib.sha256()
    for finder in get_finders():
        for path, storage in finder.list([]):
            stat = os.stat(storage.path(path))
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


class Command(BaseCommand):
    help = "Prepare the team server: migrate, collect static files, create the first admin."

    def handle(self, *args, **options) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        self.collect_static()
        self.create_first_admin()

    def collect_static(self) -> None:
        stamp = Path(settings.STATIC_ROOT) / SOURCES_STAMP
        fingerprint = static_sources_fingerprint()
        manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
        if manifest.exists() and stamp.exists() and stamp.read_text() == fingerprint:
            return
        call_command("collectstatic", interactive=False, verbosity=0)
        stamp.write_text(fingerprint)

    def create_first_admin(self) -> None:
        if User.objects.filter(role=User.Role.ADMIN, is_active=True).exists():
            return
        username = os.environ.get("NOCLASH_ADMIN_USERNAME", "").strip() or "admin"
        given = os.environ.get("NOCLASH_ADMIN_PASSWORD", "")
        password = given or secrets.token_urlsafe(12)
        try:
            create_user(actor=None, username=username, password=password, role=User.Role.ADMIN)
        except ValidationError as error:
            raise CommandError(
                f"NOCLASH_ADMIN_PASSWORD refused: {' '.join(error.messages)}"
            ) from error
        shown = "(NOCLASH_ADMIN_PASSWORD)" if given else password
        self.stdout.write(
            "\n"
            "****************************************************************\n"
            " First start: an admin was created. Sign in with\n"
            f"   username  {username}\n"
            f"   password  {shown}\n"
            " This password is shown only now: write it down, or change it after signing\n"
            " in (or later: python manage.py changepassword with the same environment).\n"
            "****************************************************************"
        )
