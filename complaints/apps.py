from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "complaints"
    verbose_name = "Complaints"

    def ready(self) -> None:
        # Imports here, not at the top: apps.py is loaded before any app's models are.
        # Its menu entries (core.registry; the portal's navigation reads them).
        from accounts.models import Role
        from core import registry

        registry.nav_entry(
            "Complaints",
            "complaints:register",
            roles={Role.COORDINATOR, Role.MANAGER, Role.COMPLAINTS_MANAGER},
            order=100,
        )
