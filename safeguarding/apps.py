from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "safeguarding"
    verbose_name = "Safeguarding concerns and incidents"

    def ready(self) -> None:
        # Imports here, not at the top: apps.py is loaded before any app's models are.
        # Its menu entries (core.registry; the portal's navigation reads them).
        from accounts.access import STAFF_ROLES
        from accounts.models import Role
        from core import registry

        staff = STAFF_ROLES

        registry.nav_entry("Safeguarding", "safeguarding:register", roles=staff, order=80)
        registry.nav_entry(
            "Report a worry",
            "safeguarding:raise",
            roles={Role.INDEPENDENT_VISITOR, Role.SOCIAL_WORKER},
            order=90,
        )
