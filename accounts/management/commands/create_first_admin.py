"""The first admin of a new installation (`make serve` runs this at every start).

Does nothing once an active admin exists. Otherwise creates one named NOCLASH_ADMIN_USERNAME
(default `admin`) with NOCLASH_ADMIN_PASSWORD, or with a generated password printed once.
"""

import os
import secrets

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.services import create_user


class Command(BaseCommand):
    help = "Create the first admin if there is no active admin (prints a generated password once)."

    def handle(self, *args, **options) -> None:
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
