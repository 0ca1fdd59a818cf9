from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "visits"
    verbose_name = "Visits"

    def ready(self) -> None:
        # Imports here, not at the top: apps.py is loaded before any app's models are.
        from accounts.access import STAFF_ROLES
        from accounts.models import Role
        from core import registry

        staff = STAFF_ROLES

        registry.nav_entry("Reports to read", "visits:report_queue", roles=staff, order=40)
        registry.nav_entry(
            "Visits",
            "visits:list",
            roles={Role.COORDINATOR, Role.MANAGER, Role.SOCIAL_WORKER, Role.INDEPENDENT_VISITOR},
            order=60,
        )
        from visits import (
            selectors,
            signals,  # noqa: F401  (connects the receivers)
        )

        # A match's page shows the date of its last visit held.
        registry.record_extra(
            "match",
            "last_visit",
            lambda user, match: {"last_visit_on": selectors.last_visit_on(match)},
        )
