from django.apps import AppConfig


class VolunteersConfig(AppConfig):
    name = "volunteers"
    verbose_name = "Volunteers"

    def ready(self) -> None:
        # Imports here, not at the top: apps.py is loaded before any app's models are.
        # Its menu entries (core.registry; the portal's navigation reads them).
        from accounts.access import STAFF_ROLES
        from accounts.models import Role
        from core import registry

        staff = STAFF_ROLES

        registry.nav_entry("Volunteers", "volunteers:board", roles=staff, order=110)
        registry.nav_entry(
            "My volunteering",
            "volunteers:me",
            roles={Role.INDEPENDENT_VISITOR},
            order=160,
            when=lambda user: hasattr(user, "volunteer"),
        )
