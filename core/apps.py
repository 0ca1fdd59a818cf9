from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # Imports here, not at the top: apps.py is loaded before any app's models are.
        # Every free-text field of every form gets a maximum length (core.forms).
        from core.forms import cap_project_forms

        cap_project_forms()
