from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "Children and referrals"

    def ready(self) -> None:
        # Imports here, not at the top: apps.py is loaded before any app's models are.
        # Its menu entries (core.registry; the portal's navigation reads them).
        from accounts.access import STAFF_ROLES
        from accounts.models import Role
        from core import registry

        staff = STAFF_ROLES

        registry.nav_entry("Referrals", "referrals:inbox", roles=staff, order=10)
        registry.nav_entry("Waiting list", "referrals:waiting", roles=staff, order=20)
        registry.nav_entry(
            "Children",
            "children:list",
            roles={Role.COORDINATOR, Role.MANAGER, Role.SOCIAL_WORKER},
            order=70,
        )
