from django.apps import AppConfig


class DataProtectionConfig(AppConfig):
    name = "dataprotection"
    verbose_name = "Data protection"

    def ready(self) -> None:
        # Imports here, not at the top: apps.py is loaded before any app's models are.
        # Its menu entries (core.registry; the portal's navigation reads them).
        from accounts.models import Role
        from core import registry

        registry.nav_entry(
            "Data protection",
            "dataprotection:index",
            roles={Role.MANAGER, Role.DATA_PROTECTION_OFFICER},
            order=140,
        )

        from dataprotection import selectors

        # The legal-hold banner on the records a hold can cover.
        registry.record_extra(
            "child", "legal_hold", lambda user, child: selectors.hold_banner(user, child=child)
        )
        registry.record_extra(
            "volunteer",
            "legal_hold",
            lambda user, volunteer: selectors.hold_banner(user, volunteer=volunteer),
        )
