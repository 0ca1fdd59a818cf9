from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "visits"
    verbose_name = "Visits"

    def ready(self) -> None:
        from visits import signals  # noqa: F401  (connects the receivers)
