from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # Every free-text field of every form gets a maximum length (core.forms).
        from core.forms import cap_project_forms

        cap_project_forms()
