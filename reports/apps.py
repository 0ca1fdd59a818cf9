from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        # Its menu entries (core.registry; the portal's navigation reads them).
        from accounts.models import Role
        from core import registry

        registry.nav_entry("Reports", "reports:index", roles={Role.MANAGER}, order=130)
