from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The top of the house: the home page, the navigation, /healthz and `seed_demo`. It may
    import any app; no app imports it."""

    name = "portal"
    verbose_name = "Portal"
