from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # Imports here, not at the top: apps.py is loaded before any app's models are.
        # Sign-in and sign-out record and forget each session (accounts.signals).
        from accounts import signals  # noqa: F401
