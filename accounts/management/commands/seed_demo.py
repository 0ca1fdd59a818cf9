"""Demo data for a first look and for every feature's manual check.

Idempotent: running it twice changes nothing the second time. Refuses to run with DEBUG off
unless given --force, because it creates accounts with a published password.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from accounts.models import User

DEMO_PASSWORD = "ivscheme-demo-2026"  # noqa: S105 - published demo password, DEBUG only

DEMO_USERS = [
    ("coordinator.north@example.org", "Priya Shah"),
    ("coordinator.south@example.org", "Tom Okafor"),
    ("manager.north@example.org", "Helen Price"),
    ("service.manager@example.org", "David Evans"),
    ("iv.north@example.org", "Sarah Whitfield"),
    ("iv.south@example.org", "Marek Nowak"),
    ("sw.north@example.org", "Grace Adeyemi"),
    ("sw.south@example.org", "James Bell"),
    ("complaints@example.org", "Fiona Clarke"),
]


class Command(BaseCommand):
    help = "Create the demo schemes, users and records (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never in production)."
        )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo creates accounts with a published password, so it refuses to run "
                "with DEBUG off. Use --force only on a throwaway database."
            )
        created = 0
        for email, name in DEMO_USERS:
            user, was_created = User.objects.get_or_create(
                email=email, defaults={"full_name": name}
            )
            if was_created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
                created += 1
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo users: {created} created, {len(DEMO_USERS) - created} already there."
            )
        )
