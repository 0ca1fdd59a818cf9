from django.apps import AppConfig


class MatchesConfig(AppConfig):
    name = "matches"
    verbose_name = "Matches"

    def ready(self) -> None:
        # Imports here, not at the top: apps.py is loaded before any app's models are.
        # Its menu entries (core.registry; the portal's navigation reads them).
        from accounts.access import STAFF_ROLES
        from accounts.models import Role
        from core import registry

        staff = STAFF_ROLES

        registry.nav_entry("Matches", "matches:list", roles=staff, order=30)
        registry.nav_entry(
            "My children", "matches:my_children", roles={Role.SOCIAL_WORKER}, order=50
        )

        from matches import selectors

        # A child's page lists the child's matches.
        registry.record_extra(
            "child",
            "matches",
            lambda user, child: {"matches": selectors.matches_for_child(user=user, child=child)},
        )
        from matches import receivers  # noqa: F401  (connects them)
