from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications and monitoring jobs"

    def ready(self) -> None:
        from notifications import receivers  # noqa: F401  (connects them)
