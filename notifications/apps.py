from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications and monitoring jobs"

    def ready(self) -> None:
        # Imports here, not at the top: apps.py is loaded before any app's models are.
        from notifications import receivers  # noqa: F401  (connects them)
