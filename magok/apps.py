from django.apps import AppConfig


class MagokConfig(AppConfig):
    name = "magok"
    verbose_name = "마곡 포털"
