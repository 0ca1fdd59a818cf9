from django.apps import AppConfig


class ExpensesConfig(AppConfig):
    name = "expenses"
    verbose_name = "Expenses"

    def ready(self) -> None:
        # Imports here, not at the top: apps.py is loaded before any app's models are.
        # Its menu entries (core.registry; the portal's navigation reads them).
        from accounts.access import STAFF_ROLES
        from accounts.models import Role
        from core import registry

        staff = STAFF_ROLES

        registry.nav_entry("Claims", "expenses:queue", roles=staff, order=120)
        registry.nav_entry(
            "My claims", "expenses:mine", roles={Role.INDEPENDENT_VISITOR}, order=150
        )
