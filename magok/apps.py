from django.apps import AppConfig


class MagokConfig(AppConfig):
    """The project package as an app: the project-wide management commands (demo data, the
    periodic task table) live here, above every domain app."""

    name = "magok"
    verbose_name = "마곡 포털"

    def ready(self) -> None:
        from .pagecache import connect_signals

        connect_signals()
